// Runs the seed-002 device (LipoDevice + LipoDeviceFirmware) through a timeline of battery
// events and collects what the scenario report and the tests need: probes, events, the
// shutdown point, wake latencies, supercapacitor hold-over and the sleep-current check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/simulation.hpp"
#include "sim/systems/lipo_device.hpp"
#include "sim/systems/lipo_device_firmware.hpp"

namespace powerstack::sim {

struct LipoDeviceEvent {
  double t_s = 0.0;
  std::string action;  // "remove_battery" or "insert_battery"
  double soc = 1.0;    // insert: SOC of the new cell
  double capacity_scale = 1.0;
};

struct LipoDeviceRunSpec {
  double duration_s = 3600.0;
  double plant_step_s = 0.01;
  double controller_period_s = 0.5;
  LipoDeviceConfig device{};
  FirmwareConfig firmware{};
  std::vector<LipoDeviceEvent> events;  // sorted by time
  double probe_period_s = 10.0;
};

struct LipoDeviceRunResult {
  std::vector<ProbeSeries> probes;        // v_bat_v, soc_true_pct, soc_est_pct, v_super_v, v_esp_v,
                                          // i_bat_ma, state
  std::vector<EventRecord> events;        // scheduled, firmware and plant events in time order
  std::vector<double> shutdown_true_soc;  // per power-off by the firmware
  std::vector<double> wake_latency_s;     // insertion -> firmware running again (per insert)
  std::vector<double> holdover_s;  // removal -> supercap below the seed's 3.6 V (per removal)
  std::uint32_t brownouts = 0;
  std::uint32_t adc_out_of_range = 0;
  std::uint32_t power_offs = 0;
  double min_v_esp_v = 0.0;
  double off_current_a = 0.0;        // mean battery current while off (measured on the twin)
  double deep_sleep_budget_a = 0.0;  // from the configuration (design check)
  double off_budget_a = 0.0;
  std::uint64_t steps = 0;
};

LipoDeviceRunResult run_lipo_device(const LipoDeviceRunSpec& spec);

// Signals recorded by run_lipo_device.
const std::vector<std::string>& lipo_device_probe_names();

}  // namespace powerstack::sim
