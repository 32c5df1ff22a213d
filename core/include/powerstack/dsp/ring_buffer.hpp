// RingBuffer<N>: the last N float samples in a fixed array (no heap). Oldest is
// overwritten when full. Shared by the windowed filters and statistics.
#pragma once

#include <array>
#include <cstddef>

namespace powerstack::dsp {

template <std::size_t N>
class RingBuffer {
  static_assert(N > 0, "a window holds at least one sample");

 public:
  // Stores x; returns true and sets `evicted` when the buffer was full.
  bool push(float x, float& evicted) {
    const bool full = size_ == N;
    evicted = data_[head_];
    data_[head_] = x;
    head_ = (head_ + 1U) % N;
    if (!full) {
      ++size_;
    }
    return full;
  }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool full() const { return size_ == N; }
  static constexpr std::size_t capacity() { return N; }
  // i-th stored sample, oldest first (i < size()).
  [[nodiscard]] float operator[](std::size_t i) const {
    const std::size_t oldest = full() ? head_ : 0U;
    return data_[(oldest + i) % N];
  }
  // True when the most recent push completed a lap of the array (used to re-sum).
  [[nodiscard]] bool wrapped() const { return head_ == 0U; }
  void clear() {
    size_ = 0U;
    head_ = 0U;
  }

 private:
  std::array<float, N> data_{};
  std::size_t head_ = 0U;
  std::size_t size_ = 0U;
};

}  // namespace powerstack::dsp
