#include "powerstack/dsp/impedance_estimator.hpp"

#include <cmath>

namespace powerstack::dsp {

Result<ImpedanceEstimator> ImpedanceEstimator::create(const Config& config) {
  const bool lambda_ok = config.forgetting > 0.0f && config.forgetting <= 1.0f;
  const bool thresholds_ok = std::isfinite(config.min_delta_i_a) && config.min_delta_i_a >= 0.0f &&
                             std::isfinite(config.min_excitation_a2) &&
                             config.min_excitation_a2 >= 0.0f &&
                             std::isfinite(config.initial_r_ohm);
  if (!lambda_ok || !thresholds_ok) {
    return Status::kInvalidArgument;
  }
  return ImpedanceEstimator(config);
}

void ImpedanceEstimator::reset() {
  r_ohm_ = config_.initial_r_ohm;
  information_ = 0.0f;
  information_sq_ = 0.0f;
  residual_sq_sum_ = 0.0f;
  residual_weight_ = 0.0f;
  pairs_used_ = 0;
}

bool ImpedanceEstimator::add_pair(float d_i_a, float d_u_v) {
  if (!std::isfinite(d_i_a) || !std::isfinite(d_u_v) || std::fabs(d_i_a) < config_.min_delta_i_a ||
      d_i_a == 0.0f) {
    return false;
  }
  const float lambda = config_.forgetting;
  const float x2 = d_i_a * d_i_a;
  // Scalar RLS written in information form: I_k = lambda I_{k-1} + x^2; P = 1 / I.
  const float prior_information = lambda * information_;
  const float residual = d_u_v - r_ohm_ * d_i_a;
  information_ = prior_information + x2;
  information_sq_ = lambda * lambda * information_sq_ + x2;
  r_ohm_ += d_i_a * residual / information_;
  // The a-priori residual's variance is sigma^2 (1 + x^2 P_prior); normalise it so the
  // noise estimate does not count the parameter's own uncertainty. Before any information
  // the first residual says nothing about the noise.
  if (prior_information > 0.0f) {
    const float normalised_sq = residual * residual / (1.0f + x2 / prior_information);
    residual_sq_sum_ = lambda * residual_sq_sum_ + normalised_sq;
    residual_weight_ = lambda * residual_weight_ + 1.0f;
  }
  ++pairs_used_;
  return true;
}

Result<ImpedanceEstimate> ImpedanceEstimator::estimate() const {
  if (pairs_used_ < config_.min_pairs || residual_weight_ <= 0.0f) {
    return Status::kNotReady;
  }
  if (information_ < config_.min_excitation_a2 || information_ <= 0.0f) {
    return Status::kInsufficientData;
  }
  const float noise_variance = residual_sq_sum_ / residual_weight_;
  // Variance of the forgetting-weighted least-squares estimate with white noise:
  // sigma^2 * sum(lambda^2k x^2) / (sum(lambda^k x^2))^2. (sigma^2 * P alone would overstate
  // it by up to sqrt(1 + lambda) in sigma once the memory is full.)
  const float variance = noise_variance * information_sq_ / (information_ * information_);
  return ImpedanceEstimate{r_ohm_, std::sqrt(variance)};
}

}  // namespace powerstack::dsp
