#include "sim/systems/lipo_device_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {
constexpr double kHoldoverV = 3.6;  // seed 002's hold-over threshold
constexpr double kBudgetAtV = 3.7;  // nominal Li-Po voltage for the sleep-current check

double sum(const std::vector<SleepBudgetItem>& items) {
  double a = 0.0;
  for (const auto& it : items) {
    a += it.i_a;
  }
  return a;
}
}  // namespace

const std::vector<std::string>& lipo_device_probe_names() {
  static const std::vector<std::string> names = {
      "v_bat_v", "soc_true_pct", "soc_est_pct", "v_super_v", "v_esp_v", "i_bat_ma", "state"};
  return names;
}

LipoDeviceRunResult run_lipo_device(const LipoDeviceRunSpec& spec) {
  LipoDeviceRunResult r;
  LipoDevice device(spec.device);
  FirmwareConfig fw_config = spec.firmware;
  fw_config.adc.r_top_ohm = static_cast<float>(spec.device.r_top_ohm);
  fw_config.adc.r_bottom_ohm = static_cast<float>(spec.device.r_bottom_ohm);
  LipoDeviceFirmware firmware(device, fw_config);
  for (const auto& name : lipo_device_probe_names()) {
    r.probes.push_back({name, spec.probe_period_s, {}, {}});
  }
  r.deep_sleep_budget_a = sum(deep_sleep_budget(spec.device, kBudgetAtV));
  r.off_budget_a = sum(off_budget(spec.device, kBudgetAtV));

  const auto steps_for = [&](double t_s) {
    return static_cast<std::uint64_t>(std::llround(t_s / spec.plant_step_s));
  };
  const std::uint64_t total = steps_for(spec.duration_s);
  const std::uint64_t control_every =
      std::max<std::uint64_t>(1, steps_for(spec.controller_period_s));
  const std::uint64_t probe_every = std::max<std::uint64_t>(1, steps_for(spec.probe_period_s));
  std::size_t next_event = 0;
  double insert_t = -1.0;
  double remove_t = -1.0;
  for (std::uint64_t n = 0; n < total; ++n) {
    const double t = static_cast<double>(n) * spec.plant_step_s;
    while (next_event < spec.events.size() && steps_for(spec.events[next_event].t_s) <= n) {
      const LipoDeviceEvent& e = spec.events[next_event++];
      if (e.action == "remove_battery") {
        device.remove_battery();
        remove_t = t;
        r.events.push_back({t, "battery removed"});
      } else {
        device.insert_battery(e.soc, e.capacity_scale);
        insert_t = t;
        r.events.push_back({t, fmt::format("battery inserted (SOC {:.0f} %)", 100.0 * e.soc)});
      }
    }
    if (n % control_every == 0) {
      const bool on_before = device.switch_on();
      firmware.tick(t, spec.controller_period_s);
      if (on_before && !device.switch_on()) {
        r.shutdown_true_soc.push_back(device.soc());
      }
    }
    const bool was_on = device.switch_on();
    device.step(t, spec.plant_step_s);
    if (!was_on && device.switch_on()) {
      r.events.push_back({t, "wake comparator fired: main switch on"});
    }
    if (insert_t >= 0.0 && firmware.state() == power::PowerState::kRunning &&
        device.firmware_running()) {
      r.wake_latency_s.push_back(t - insert_t);
      insert_t = -1.0;
    }
    if (remove_t >= 0.0 && (device.battery_present() || device.v_super_v() < kHoldoverV)) {
      if (!device.battery_present()) {
        r.holdover_s.push_back(t - remove_t);
        r.events.push_back({t, fmt::format("supercap below {:.1f} V", kHoldoverV)});
      }
      remove_t = -1.0;
    }
    if (n % probe_every == 0) {
      const double values[] = {
          device.v_bat_v(),
          100.0 * device.soc(),
          device.firmware_running() ? 100.0 * static_cast<double>(firmware.soc()) : std::nan(""),
          device.v_super_v(),
          device.v_esp_v(),
          1e3 * device.i_bat_a(),
          static_cast<double>(device.firmware_running() ? static_cast<int>(firmware.state()) : -1)};
      for (std::size_t k = 0; k < r.probes.size(); ++k) {
        r.probes[k].t_s.push_back(t);
        r.probes[k].values.push_back(values[k]);
      }
    }
  }
  r.steps = total;
  for (const auto& e : firmware.events()) {
    r.events.push_back(e);
  }
  std::stable_sort(r.events.begin(), r.events.end(),
                   [](const EventRecord& a, const EventRecord& b) { return a.t_s < b.t_s; });
  r.brownouts = device.brownouts();
  r.adc_out_of_range = firmware.adc_out_of_range();
  r.power_offs = firmware.shutdowns();
  r.min_v_esp_v = device.min_v_esp_running_v();
  r.off_current_a =
      device.off_time_s() > 0.0 ? device.off_charge_ah() * 3600.0 / device.off_time_s() : 0.0;
  return r;
}

}  // namespace powerstack::sim
