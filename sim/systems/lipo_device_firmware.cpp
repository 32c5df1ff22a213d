#include "sim/systems/lipo_device_firmware.hpp"

#include <fmt/format.h>

#include <cstring>

namespace powerstack::sim {

Status RamFlash::read(std::size_t address, std::uint8_t* out, std::size_t length) {
  if (address > kSize || length > kSize - address) {
    return Status::kOutOfRange;
  }
  std::memcpy(out, bytes_.data() + address, length);
  return Status::kOk;
}

Status RamFlash::program(std::size_t address, const std::uint8_t* data, std::size_t length) {
  if (address > kSize || length > kSize - address) {
    return Status::kOutOfRange;
  }
  if (address % 4 != 0 || length % 4 != 0) {
    return Status::kInvalidArgument;
  }
  for (std::size_t k = 0; k < length; ++k) {
    bytes_[address + k] &= data[k];
  }
  return Status::kOk;
}

Status RamFlash::erase_block(std::size_t address) {
  if (address % kBlock != 0 || address >= kSize) {
    return Status::kInvalidArgument;
  }
  std::memset(bytes_.data() + address, 0xFF, kBlock);
  return Status::kOk;
}

LipoDeviceFirmware::LipoDeviceFirmware(LipoDevice& device, const FirmwareConfig& config)
    : device_(device),
      config_(config),
      model_(battery::typical_lipo(static_cast<float>(device.config().capacity_ah))),
      soc_(model_, {config.filter_tau_s, config.sigma_v}),
      policy_(config.policy),
      store_(flash_, 0) {}

float LipoDeviceFirmware::remaining_h() const {
  return runtime_.remaining_s(soc(), model_.capacity_ah) / 3600.0f;
}

void LipoDeviceFirmware::tick(double t_s, double dt_s) {
  if (!device_.firmware_running()) {
    was_running_ = false;
    return;
  }
  if (!was_running_) {
    // Boot: a fresh start of the RAM state; the saved record says how the last run ended.
    was_running_ = true;
    soc_.reset();
    policy_.wake();
    save_done_ = false;
    const Result<power::SavedBatteryState> saved = store_.load();
    if (saved.ok()) {
      saved_ = saved.value();
    }
    ++saved_.boot_count;
    log(t_s, fmt::format("firmware boot #{} (saved SOC {:.1f} %)", saved_.boot_count,
                         saved.ok() ? 100.0 * static_cast<double>(saved_.soc) : -1.0));
  }
  const auto dt = static_cast<float>(dt_s);
  const Result<float> v =
      battery::battery_voltage_v(config_.adc, static_cast<float>(device_.adc_reading_mv()));
  const auto i_model = static_cast<float>(device_.load_model_current_a());
  if (v.ok()) {
    soc_.update(dt, v.value(), i_model, static_cast<float>(device_.config().t_c));
  } else {
    ++adc_out_of_range_;
  }
  runtime_.update(dt, i_model);
  power::PolicyInput in;
  in.soc = soc_.started() ? soc_.estimate().soc : 0.0f;
  in.v_bat_v = v.ok() ? v.value() : 0.0f;
  in.save_done = save_done_;
  const power::PowerState before = policy_.state();
  const power::PolicyOutput out = policy_.update(in, dt);
  if (out.state != before) {
    log(t_s, fmt::format("policy {} -> {} (SOC {:.2f} %, true {:.2f} %)", power::to_string(before),
                         power::to_string(out.state), 100.0 * static_cast<double>(in.soc),
                         100.0 * device_.soc()));
  }
  device_.set_mode(out.loads_allowed ? EspMode::kRun : EspMode::kQuiet);
  if (out.save_state && !save_done_) {
    saved_.soc = in.soc;
    saved_.soc_sigma = soc_.estimate().sigma;
    saved_.capacity_ah = model_.capacity_ah;
    saved_.r0_ohm = model_.r0_ohm;
    ++saved_.shutdown_count;
    save_done_ = store_.save(saved_) == Status::kOk;
    log(t_s, save_done_ ? "state saved" : "state save FAILED");
  }
  if (!out.main_switch_on) {
    ++shutdowns_;
    last_shutdown_true_soc_ = device_.soc();
    log(t_s, fmt::format("power off at true SOC {:.2f} %", 100.0 * device_.soc()));
    device_.power_off();
    was_running_ = false;
  }
}

}  // namespace powerstack::sim
