// The MPPT efficiency benchmark behind `powerstack bench mppt` (docs/mppt.md): every tracker
// of core/mppt closed-loop on the twin's solar-charger plant, EN 50530 static and dynamic
// tests on the standard's simplified c-Si curve, and a partial-shading set on a string of
// substrings with bypass diodes. Efficiency = PV terminal energy / available MPP energy over
// the measured windows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace powerstack::app {

struct MpptBenchOptions {
  // Trackers by name (core TrackerBank names) plus "oracle" (a bench-only regulator of the
  // PV voltage to the curve's true MPP voltage, the plant's ceiling); empty = all.
  std::vector<std::string> algorithms;
  std::vector<double> static_levels = {0.05, 0.10, 0.20, 0.25, 0.30, 0.50, 0.75, 1.00};
  double static_first_settle_s = 40.0;  // the first level: start-up sweeps and scans
  double static_settle_s = 20.0;
  double static_measure_s = 60.0;
  bool dynamic = true;
  bool shading = true;
  double plant_step_s = 1e-3;
  // Sensor noise added to each sample the tracker sees (Gaussian, seeded).
  double noise_v_sigma = 0.0;
  double noise_i_sigma = 0.0;
  // The "static-noisy" test: the static test again with this noise on every sample (ADC
  // noise left on a control period's mean: ASSUMPTION 0.05 V and 0.02 A, ~50 and ~20 counts of
  // a 12-bit ESP32 ADC over 80 V / 30 A averaged down by oversampling).
  bool noisy = true;
  double noisy_v_sigma = 0.05;
  double noisy_i_sigma = 0.02;
  std::uint64_t seed = 1;
};

// Rows {"algorithm", "test": "static"|"dynamic"|"shading"|"static-noisy", "efficiency",
// ...details}; every row has "backfeed_wh": energy pushed into the panel (negative PV power).
nlohmann::json run_mppt_bench(const MpptBenchOptions& options);

// The table: one line per algorithm, one column per test (percent), baselines first.
std::string format_mppt_table(const nlohmann::json& rows);

}  // namespace powerstack::app
