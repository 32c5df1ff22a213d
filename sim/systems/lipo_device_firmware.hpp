// The seed-002 firmware's power manager, as it runs on the ESP32, against the LipoDevice twin:
// ADC reading through the divider front end (out-of-range readings refused and counted),
// voltage-only SOC (no current sensor; the IR drop from the firmware's load model), the
// power policy (2 % shutdown with debounce, resume hysteresis, brown-out-safe ordering) and
// the battery state saved to flash before power-off. Every piece is core code; this class
// only wires it to the twin's pins, as the board support code would.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "powerstack/battery/divider_adc.hpp"
#include "powerstack/battery/runtime.hpp"
#include "powerstack/battery/voltage_soc.hpp"
#include "powerstack/hal/nv_storage.hpp"
#include "powerstack/power/power_policy.hpp"
#include "powerstack/power/state_store.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/systems/lipo_device.hpp"

namespace powerstack::sim {

// Flash in RAM that keeps its content while the device is off (the twin's NV memory).
class RamFlash final : public hal::NvStorage {
 public:
  static constexpr std::size_t kSize = 8192;
  static constexpr std::size_t kBlock = 4096;
  RamFlash() { bytes_.fill(0xFF); }
  [[nodiscard]] hal::NvGeometry geometry() const override { return {kSize, kBlock, 4}; }
  Status read(std::size_t address, std::uint8_t* out, std::size_t length) override;
  Status program(std::size_t address, const std::uint8_t* data, std::size_t length) override;
  Status erase_block(std::size_t address) override;

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

struct FirmwareConfig {
  power::PowerPolicyConfig policy{};
  battery::DividerAdcConfig adc{};  // resistors from the device config
  float sigma_v = 0.02f;            // ADC error after calibration, for the SOC uncertainty
  float filter_tau_s = 60.0f;
};

class LipoDeviceFirmware {
 public:
  LipoDeviceFirmware(LipoDevice& device, const FirmwareConfig& config);

  // Called every control period; does nothing while the ESP32 is unpowered or booting.
  void tick(double t_s, double dt_s);

  [[nodiscard]] const std::vector<EventRecord>& events() const { return events_; }
  [[nodiscard]] float soc() const { return soc_.estimate().soc; }
  [[nodiscard]] float soc_sigma() const { return soc_.estimate().sigma; }
  [[nodiscard]] float remaining_h() const;
  [[nodiscard]] power::PowerState state() const { return policy_.state(); }
  [[nodiscard]] std::uint32_t adc_out_of_range() const { return adc_out_of_range_; }
  [[nodiscard]] std::uint32_t shutdowns() const { return shutdowns_; }
  // The twin's true SOC when the firmware last switched the device off, or -1.
  [[nodiscard]] double last_shutdown_true_soc() const { return last_shutdown_true_soc_; }
  [[nodiscard]] RamFlash& flash() { return flash_; }

 private:
  void log(double t_s, std::string what) { events_.push_back({t_s, std::move(what)}); }

  LipoDevice& device_;
  FirmwareConfig config_;
  battery::CellModel model_;
  battery::VoltageSocEstimator soc_;
  battery::RuntimeEstimator runtime_;
  power::PowerPolicy policy_;
  RamFlash flash_;
  power::StateStore store_;
  power::SavedBatteryState saved_{};
  bool was_running_ = false;
  bool save_done_ = false;
  std::uint32_t adc_out_of_range_ = 0;
  std::uint32_t shutdowns_ = 0;
  double last_shutdown_true_soc_ = -1.0;
  std::vector<EventRecord> events_;
};

}  // namespace powerstack::sim
