// VoltageSocEstimator: SOC from the terminal voltage alone (seed 002: a divider into the ADC,
// no current sensor). The voltage is corrected for the IR drop when a load current is known
// (measured, or the firmware's own figure for its present mode; NaN = unknown), inverted
// through the nominal OCV table and low-pass filtered (time constant filter_tau_s) so that a
// Wi-Fi burst moves the estimate little. Uncertainty: the voltage error (sensor sigma plus the
// unmodelled polarisation, |i| R1) over the local OCV slope.
#pragma once

#include "powerstack/battery/cell_model.hpp"

namespace powerstack::battery {

class VoltageSocEstimator {
 public:
  struct Config {
    float filter_tau_s = 120.0f;
    float sigma_v = 0.01f;  // voltage measurement error (1 sigma)
  };

  VoltageSocEstimator(const CellModel& model, const Config& config)
      : model_(model), config_(config) {}

  // One sample: terminal voltage, load current into the cell (NaN if unknown), temperature.
  // The first sample (or the first after reset()) sets the estimate directly. Non-finite
  // v_v or dt_s < 0 is ignored.
  void update(float dt_s, float v_v, float i_a, float t_c);
  [[nodiscard]] SocEstimate estimate() const { return {soc_, sigma_}; }
  [[nodiscard]] bool started() const { return started_; }
  void reset() { started_ = false; }

 private:
  CellModel model_;
  Config config_;
  float soc_ = 0.0f;
  float sigma_ = 1.0f;
  bool started_ = false;
};

}  // namespace powerstack::battery
