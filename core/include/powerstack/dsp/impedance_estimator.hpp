// ImpedanceEstimator: internal resistance of a source (PV panel, battery) by recursive least
// squares with a forgetting factor on (dI, dU) pairs.
//
// Model, passive sign convention (current INTO the device positive): U = U0 + R * I near the
// operating point, so dU = R * dI for a pair of samples taken close in time (U0, e.g. a
// battery's OCV, cancels). The same R results for a generating PV panel (I < 0) and a battery.
//
// Pairs whose |dI| is below `min_delta_i_a` carry no information and are skipped, which also
// keeps the covariance from winding up while the operating point is steady. The estimate is
// refused (kNotReady / kInsufficientData) until enough pairs have arrived and the weighted
// excitation sum(lambda^k dI^2) reaches `min_excitation_a2`. The confidence is the 1-sigma
// standard error of the weighted least-squares estimate, sqrt(s^2 sum(lambda^2k dI^2)) /
// sum(lambda^k dI^2), with the noise variance s^2 estimated from the normalised a-priori
// residuals under the same forgetting. Use independent pairs (not overlapping
// differences of one sample stream) for the error figure to hold. Noise on dI biases R
// toward zero by var(dI_true) / (var(dI_true) + var(dI_noise)): excite well above the noise.
#pragma once

#include <cstdint>

#include "powerstack/common/status.hpp"

namespace powerstack::dsp {

struct ImpedanceEstimate {
  float r_ohm = 0.0f;
  float sigma_ohm = 0.0f;  // 1-sigma standard error of r_ohm
};

class ImpedanceEstimator {
 public:
  struct Config {
    float forgetting = 0.995f;       // lambda in (0, 1]; memory ~ 1 / (1 - lambda) pairs
    float min_delta_i_a = 0.02f;     // smaller steps are skipped
    float min_excitation_a2 = 0.5f;  // needed sum(lambda^k dI^2) before reporting
    std::uint32_t min_pairs = 10;    // pairs used before reporting
    float initial_r_ohm = 0.0f;
  };

  // Fails on a forgetting factor outside (0, 1] or a negative/non-finite threshold.
  static Result<ImpedanceEstimator> create(const Config& config);

  ImpedanceEstimator() = default;

  // Returns true when the pair was used.
  bool add_pair(float d_i_a, float d_u_v);

  [[nodiscard]] Result<ImpedanceEstimate> estimate() const;
  [[nodiscard]] std::uint32_t pairs_used() const { return pairs_used_; }
  // sum(lambda^k dI^2), the information the estimate rests on.
  [[nodiscard]] float excitation_a2() const { return information_; }
  void reset();

 private:
  explicit ImpedanceEstimator(const Config& config) : config_(config) { reset(); }

  Config config_{};
  float r_ohm_ = 0.0f;
  float information_ = 0.0f;      // sum(lambda^k x^2) = 1 / P
  float information_sq_ = 0.0f;   // sum(lambda^2k x^2), for the estimate's variance
  float residual_sq_sum_ = 0.0f;  // forgetting-weighted sum of normalised residual^2
  float residual_weight_ = 0.0f;  // forgetting-weighted count of those residuals
  std::uint32_t pairs_used_ = 0;
};

}  // namespace powerstack::dsp
