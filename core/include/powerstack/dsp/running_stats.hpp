// RunningStats: count, mean, standard deviation, min, max and peak-to-peak of every sample
// since the last reset, by Welford's update (stable for a small noise on a large offset,
// e.g. millivolts of ripple on a 50 V bus, where sum-of-squares in float fails).
// Use for block statistics: collect a block, read it, reset.
#pragma once

#include <cmath>
#include <cstdint>

namespace powerstack::dsp {

class RunningStats {
 public:
  // Non-finite samples are refused (returns false).
  bool update(float x) {
    if (!std::isfinite(x)) {
      return false;
    }
    ++count_;
    const float delta = x - mean_;
    mean_ += delta / static_cast<float>(count_);
    m2_ += delta * (x - mean_);
    if (count_ == 1U || x < min_) {
      min_ = x;
    }
    if (count_ == 1U || x > max_) {
      max_ = x;
    }
    return true;
  }
  [[nodiscard]] std::uint32_t count() const { return count_; }
  [[nodiscard]] float mean() const { return mean_; }
  // Sample standard deviation (n - 1); 0 with fewer than two samples.
  [[nodiscard]] float stddev() const {
    return count_ < 2U ? 0.0f : std::sqrt(m2_ / static_cast<float>(count_ - 1U));
  }
  [[nodiscard]] float min() const { return min_; }
  [[nodiscard]] float max() const { return max_; }
  [[nodiscard]] float peak_to_peak() const { return count_ == 0U ? 0.0f : max_ - min_; }
  void reset() { *this = RunningStats{}; }

 private:
  std::uint32_t count_ = 0U;
  float mean_ = 0.0f;
  float m2_ = 0.0f;
  float min_ = 0.0f;
  float max_ = 0.0f;
};

}  // namespace powerstack::dsp
