// WindowStats<N>: mean, standard deviation and peak-to-peak over the last N samples
// (noise sigma and P2P of U and I, seed 000).
//
// Mean and variance follow a sliding Welford update (add the new sample, remove the evicted
// one) in O(1), re-derived exactly from the window once per lap so round-off cannot build up.
// min/max/peak_to_peak scan the window: O(N) per query, none per update.
#pragma once

#include <cmath>
#include <cstddef>

#include "powerstack/dsp/ring_buffer.hpp"

namespace powerstack::dsp {

template <std::size_t N>
class WindowStats {
 public:
  bool update(float x) {
    if (!std::isfinite(x)) {
      return false;
    }
    float evicted = 0.0f;
    if (window_.push(x, evicted)) {
      const float old_mean = mean_;
      mean_ += (x - evicted) / static_cast<float>(N);
      m2_ += (x - evicted) * (x - mean_ + evicted - old_mean);
    } else {
      const float delta = x - mean_;
      mean_ += delta / static_cast<float>(window_.size());
      m2_ += delta * (x - mean_);
    }
    if (window_.wrapped()) {
      recompute();
    }
    return true;
  }
  [[nodiscard]] std::size_t count() const { return window_.size(); }
  [[nodiscard]] bool full() const { return window_.full(); }
  [[nodiscard]] float mean() const { return mean_; }
  // Sample standard deviation (n - 1) of the window; 0 with fewer than two samples.
  [[nodiscard]] float stddev() const {
    const std::size_t n = window_.size();
    if (n < 2U || m2_ <= 0.0f) {
      return 0.0f;
    }
    return std::sqrt(m2_ / static_cast<float>(n - 1U));
  }
  [[nodiscard]] float min() const { return extreme(false); }
  [[nodiscard]] float max() const { return extreme(true); }
  [[nodiscard]] float peak_to_peak() const { return max() - min(); }
  void reset() {
    window_.clear();
    mean_ = 0.0f;
    m2_ = 0.0f;
  }

 private:
  void recompute() {
    const std::size_t n = window_.size();
    float sum = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
      sum += window_[i];
    }
    mean_ = sum / static_cast<float>(n);
    float m2 = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
      const float d = window_[i] - mean_;
      m2 += d * d;
    }
    m2_ = m2;
  }
  [[nodiscard]] float extreme(bool want_max) const {
    if (window_.size() == 0U) {
      return 0.0f;
    }
    float e = window_[0];
    for (std::size_t i = 1; i < window_.size(); ++i) {
      const float v = window_[i];
      if (want_max ? v > e : v < e) {
        e = v;
      }
    }
    return e;
  }

  RingBuffer<N> window_;
  float mean_ = 0.0f;
  float m2_ = 0.0f;
};

}  // namespace powerstack::dsp
