// ExactAccumulator: sums float increments over years without losing small ones.
//
// A float total stops growing once an increment falls below half its last digit (1 mA for
// 1 ms stops counting after ~0.5 Ah). Here the total is a 64-bit count of quanta, and the
// part of each increment smaller than a quantum is carried in a float residual in
// [-0.5, 0.5] quanta, so the only error left is the float rounding of each increment itself
// (relative ~6e-8), whatever the total. Range: +-9.2e18 quanta.
#pragma once

#include <cmath>
#include <cstdint>

namespace powerstack::dsp {

class ExactAccumulator {
 public:
  // quantum: the unit counted, e.g. 1e-6 for micro-units. Must be positive.
  explicit constexpr ExactAccumulator(float quantum = 1e-6f) : quantum_(quantum) {}

  // Adds `amount` (same unit as the quantum's base). Returns false, total unchanged, for a
  // non-finite amount or one that would overflow the total.
  bool add(float amount) {
    if (!std::isfinite(amount)) {
      return false;
    }
    const float x = amount / quantum_ + residual_;
    // Increments beyond +-2^62 quanta are not physical for one sample; refuse rather than overflow.
    if (!(std::fabs(x) < 4.6e18f)) {
      return false;
    }
    const float whole = std::floor(x + 0.5f);
    const auto step = static_cast<std::int64_t>(whole);
    // Refuse instead of overflowing the total (signed overflow is undefined behaviour).
    if ((step > 0 && quanta_ > INT64_MAX - step) || (step < 0 && quanta_ < INT64_MIN - step)) {
      return false;
    }
    quanta_ += step;
    residual_ = x - whole;
    return true;
  }
  [[nodiscard]] double total() const {
    return (static_cast<double>(quanta_) + static_cast<double>(residual_)) *
           static_cast<double>(quantum_);
  }
  [[nodiscard]] std::int64_t quanta() const { return quanta_; }
  [[nodiscard]] float quantum() const { return quantum_; }
  // Restores a persisted count (the sub-quantum residual is dropped).
  void restore(std::int64_t quanta) {
    quanta_ = quanta;
    residual_ = 0.0f;
  }

 private:
  float quantum_;
  std::int64_t quanta_ = 0;
  float residual_ = 0.0f;
};

}  // namespace powerstack::dsp
