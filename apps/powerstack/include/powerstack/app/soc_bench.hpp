// The "soc" bench: state-of-charge accuracy of each estimator on the twin against the cell
// model's true SOC over full discharges (pulsed ESP32 load, temperatures 0-40 C) under model
// mismatch: the estimators use the nominal Li-Po table and parameters, every simulated cell
// is drawn with a spread (capacity +-5 %, R0 +-20 %, OCV offset +-10 mV) and one is aged to
// 80 % capacity. Sensor errors: voltage offset +-5 mV, gain +-0.2 %, noise 2 mV rms; current
// offset +-1 mA, gain +-1 %, noise 1 mA rms (drawn per cell). docs/power-manager.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

namespace powerstack::app {

struct SocBenchOptions {
  int cells = 8;             // the last one is the aged cell
  double capacity_ah = 4.0;  // seed 002
  double step_s = 0.1;
  std::uint64_t seed = 2;
};

// Rows {"method", "rms_error_pct", "max_error_pct"}, one per method.
nlohmann::json run_soc_bench(const SocBenchOptions& options);

}  // namespace powerstack::app
