// EkfSocEstimator: extended Kalman filter on the 1-RC Thevenin equivalent circuit of the
// nominal CellModel, with the two quantities a real cell most often gets wrong against its
// datasheet as extra states:
//   x = [soc, v_rc (V), q = nominal capacity / capacity, b = OCV offset (V)]
//   soc' = soc + q * stored_charge(i, dt) / C_nom      v_rc' = a v_rc + R1 (1 - a) i,
//   a = e^(-dt / (R1 C1));  q, b: slow random walks.
//   v = OCV(soc, T) + b + v_rc + i R(T)   (R: RLS impedance estimate once converged, else R0(T))
// The measurement update runs every update_period_s (the voltage errors are correlated, so
// updating at every sample would make the filter over-confident). The first sample sets soc
// from the voltage (as a rest reading). SOC sigma is sqrt(P[0][0]).
#pragma once

#include <cstdint>

#include "powerstack/battery/cell_model.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"

namespace powerstack::battery {

class EkfSocEstimator {
 public:
  static constexpr int kStates = 4;
  struct Config {
    float sigma_v = 0.005f;         // voltage sensor noise
    float sigma_current_a = 2e-3f;  // current sensor error per sample (process noise on soc)
    float sigma_capacity = 0.1f;    // prior of q around 1
    float sigma_offset_v = 0.01f;   // prior of b around 0
    float capacity_walk_per_h = 1e-4f;
    float offset_walk_v_per_h = 1e-4f;
    float update_period_s = 10.0f;
    float sigma_model_v = 0.004f;  // table shape and RC-model error, added to sigma_v
    dsp::ImpedanceEstimator::Config impedance{0.999f, 0.02f, 0.05f, 20, 0.0f};
  };

  EkfSocEstimator(const CellModel& model, const Config& config);

  // One sample at t_us (monotonic): terminal voltage, current into the cell, temperature.
  void update(std::uint64_t t_us, float v_v, float i_a, float t_c);
  [[nodiscard]] SocEstimate estimate() const;
  [[nodiscard]] float capacity_ah() const { return model_.capacity_ah / x_[2]; }
  [[nodiscard]] float ocv_offset_v() const { return x_[3]; }
  [[nodiscard]] float v_rc_v() const { return x_[1]; }

 private:
  void predict(float dt_s, float i_a);
  void correct(float v_v, float i_a, float t_c);

  CellModel model_;
  Config config_;
  dsp::ImpedanceEstimator impedance_;
  float x_[kStates] = {0.5f, 0.0f, 1.0f, 0.0f};
  float p_[kStates][kStates] = {};
  bool started_ = false;
  std::uint64_t last_t_us_ = 0;
  float last_v_v_ = 0.0f;
  float last_i_a_ = 0.0f;
  float since_update_s_ = 0.0f;
};

}  // namespace powerstack::battery
