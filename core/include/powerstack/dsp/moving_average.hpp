// MovingAverage<N>: mean of the last N samples (fewer while filling).
//
// Kept as a running sum for O(1) updates; the sum is recomputed from the window once per lap
// so float round-off cannot drift over a long run. Non-finite samples are refused.
#pragma once

#include <cmath>
#include <cstddef>

#include "powerstack/dsp/ring_buffer.hpp"

namespace powerstack::dsp {

template <std::size_t N>
class MovingAverage {
 public:
  bool update(float x) {
    if (!std::isfinite(x)) {
      return false;
    }
    float evicted = 0.0f;
    const bool was_full = window_.push(x, evicted);
    sum_ += x;
    if (was_full) {
      sum_ -= evicted;
    }
    if (window_.wrapped()) {
      resum();
    }
    return true;
  }
  // Mean of the samples held; 0 when empty.
  [[nodiscard]] float value() const {
    return window_.size() == 0U ? 0.0f : sum_ / static_cast<float>(window_.size());
  }
  [[nodiscard]] std::size_t count() const { return window_.size(); }
  [[nodiscard]] bool full() const { return window_.full(); }
  void reset() {
    window_.clear();
    sum_ = 0.0f;
  }

 private:
  void resum() {
    float s = 0.0f;
    for (std::size_t i = 0; i < window_.size(); ++i) {
      s += window_[i];
    }
    sum_ = s;
  }

  RingBuffer<N> window_;
  float sum_ = 0.0f;
};

}  // namespace powerstack::dsp
