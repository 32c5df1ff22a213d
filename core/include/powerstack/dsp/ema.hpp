// Ema: exponential moving average y += alpha * (x - y).
//
// The first sample initialises the average (no bias toward zero at start-up). The balancer
// seed's "exponential average over 3 values" is Ema::over_samples(3), i.e. alpha = 1/3
// (y = (2*y + x) / 3); Ema::with_span(n) gives the other common convention alpha = 2/(n+1).
// Cost: two floats of state, one multiply-add per sample.
#pragma once

#include <cmath>

#include "powerstack/common/status.hpp"

namespace powerstack::dsp {

class Ema {
 public:
  // alpha must lie in (0, 1]; 1 passes the input through.
  static Result<Ema> with_alpha(float alpha) {
    if (!(alpha > 0.0f && alpha <= 1.0f)) {  // also rejects NaN
      return Status::kInvalidArgument;
    }
    return Ema(alpha);
  }
  // alpha = 1 / n: the "average over n values" of small firmware (n >= 1).
  static Result<Ema> over_samples(unsigned n) {
    if (n == 0U) {
      return Status::kInvalidArgument;
    }
    return Ema(1.0f / static_cast<float>(n));
  }
  // alpha = 2 / (n + 1): same centre of mass as an n-sample moving average (n >= 1).
  static Result<Ema> with_span(unsigned n) {
    if (n == 0U) {
      return Status::kInvalidArgument;
    }
    return Ema(2.0f / static_cast<float>(n + 1U));
  }
  // Time-constant form for irregular sampling: alpha = 1 - exp(-dt_s / tau_s), applied per call.
  // Returns false (state unchanged) when dt_s or tau_s is not positive and finite, or x is not
  // finite.
  bool update_timed(float x, float dt_s, float tau_s) {
    if (!std::isfinite(x) || !(dt_s > 0.0f) || !(tau_s > 0.0f) || !std::isfinite(dt_s) ||
        !std::isfinite(tau_s)) {
      return false;
    }
    step(x, 1.0f - std::exp(-dt_s / tau_s));
    return true;
  }

  Ema() = default;

  // Non-finite samples are ignored (returns false) so one bad reading cannot poison the state.
  bool update(float x) {
    if (!std::isfinite(x)) {
      return false;
    }
    step(x, alpha_);
    return true;
  }
  [[nodiscard]] float value() const { return value_; }
  [[nodiscard]] bool primed() const { return primed_; }
  [[nodiscard]] float alpha() const { return alpha_; }
  void reset() {
    primed_ = false;
    value_ = 0.0f;
  }

 private:
  explicit Ema(float alpha) : alpha_(alpha) {}
  void step(float x, float alpha) {
    if (!primed_) {
      value_ = x;
      primed_ = true;
    } else {
      value_ += alpha * (x - value_);
    }
  }

  float alpha_ = 1.0f;
  float value_ = 0.0f;
  bool primed_ = false;
};

}  // namespace powerstack::dsp
