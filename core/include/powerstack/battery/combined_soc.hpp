// CombinedSocEstimator: coulomb counting corrected from the voltage, as a Kalman filter on
// [SOC, OCV offset] (the offset: the real cell's curve and the voltage sensor against the
// nominal table; without it, repeated corrections converge onto a biased reading).
//  - Prediction: the CoulombSocEstimator (charge / capacity). Its errors (sensor offset, gain,
//    capacity) are systematic; the variance grows as a random walk: walk_per_soc per unit of
//    SOC moved plus (offset / capacity)^2 x offset_memory_h per hour.
//  - Rest correction: after min_rest_s with |i| <= i_rest_a the terminal voltage is close to
//    the OCV; the reading is weighted by its confidence: sensor noise and the polarisation
//    left from the last load (|i_load| R1 e^(-t_rest / tau1)), through the OCV slope.
//  - Load correction: under load the OCV is v - i R with R from the dsp ImpedanceEstimator
//    (RLS on the (dI, dU) steps of the pulsed load; nominal R0(T) until it has converged),
//    weighted by the same rule with the unmodelled RC drop |i| R1 added.
//  - Capacity learning: rest readings against a confident anchor reading, fitted by weighted
//    least squares (charge moved = capacity x SOC moved); used once its relative error is
//    below learn_max_error (the "impedance tracking" gauges' idea, for capacity only).
// Corrections run at most every *_update_period_s so a long rest is not counted as many
// independent readings.
#pragma once

#include <cstdint>

#include "powerstack/battery/coulomb_soc.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"

namespace powerstack::battery {

class CombinedSocEstimator {
 public:
  struct Config {
    CoulombSocEstimator::Config coulomb{};
    float walk_per_soc = 1e-3f;  // variance per unit SOC moved: ~(5 % over 0.3)^2 / 0.3
    float offset_memory_h = 1.0f;
    float sigma_v = 0.005f;      // voltage sensor error (1 sigma)
    float sigma_ocv_v = 0.006f;  // OCV table vs real cell (1 sigma)
    float i_rest_a = 0.01f;      // |i| below this counts as rest (seed 002 asleep: ~5.5 mA)
    float min_rest_s = 120.0f;
    float rest_update_period_s = 300.0f;
    float load_update_period_s = 300.0f;
    bool load_updates = true;
    bool learn_capacity = true;
    float learn_max_sigma = 0.015f;  // the anchor reading at least this certain
    float learn_max_error = 0.02f;   // use the fitted capacity once this certain (relative)
    dsp::ImpedanceEstimator::Config impedance{0.999f, 0.02f, 0.05f, 20, 0.0f};
  };

  CombinedSocEstimator(const CellModel& model, const Config& config);

  // One sample at t_us (monotonic): terminal voltage, current into the cell, temperature.
  // The first sample starts the estimate from the voltage (as a rest reading).
  void update(std::uint64_t t_us, float v_v, float i_a, float t_c);
  [[nodiscard]] SocEstimate estimate() const;
  [[nodiscard]] float capacity_ah() const { return capacity_ah_; }
  [[nodiscard]] float ocv_offset_v() const { return offset_v_; }
  // The series resistance in use (RLS estimate once converged, else nominal R0(T)).
  [[nodiscard]] float r_ohm(float t_c) const;
  [[nodiscard]] bool resting() const { return rest_s_ >= config_.min_rest_s; }

 private:
  // Fuses an OCV reading (volts, independent noise s_v) into the count and the offset.
  void correct(float v_ocv_v, float s_v, float t_c);
  void learn(float z, float s_z);

  CellModel model_;
  Config config_;
  CoulombSocEstimator coulomb_;
  dsp::ImpedanceEstimator impedance_;
  float capacity_ah_;
  float p_[2][2] = {{1.0f, 0.0f}, {0.0f, 0.0f}};  // covariance of [soc, offset]
  float offset_v_ = 0.0f;  // OCV offset of cell and voltage sensor against the table
  bool started_ = false;
  std::uint64_t last_t_us_ = 0;
  float last_v_v_ = 0.0f;
  float last_i_a_ = 0.0f;
  float rest_s_ = 0.0f;
  float since_update_s_ = 0.0f;
  float i_load_a_ = 0.0f;  // |i| averaged over the last load period (for the polarisation)
  bool have_anchor_ = false;
  float anchor_soc_ = 0.0f;
  double anchor_q_ah_ = 0.0;
  double fit_qs_ = 0.0;
  double fit_ss_ = 0.0;
};

}  // namespace powerstack::battery
