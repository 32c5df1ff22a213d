// Cell voltage of the balancer module: ADC counts to millivolts, and seed 001's
// "exponential average over 3 values", y = (2 y + x) / 3, in integers.
//
// Scaling: the cell reaches the 10-bit ADC through a 1:1 divider, against the external
// 2.048 V reference trimmed by the reference correction c (-9..9 mV):
//   mV = counts * 2 * (2048 + c) / 1024 = counts * (2048 + c) / 512, rounded to nearest.
// Full scale (1023 counts) is 4092 mV at c = 0.
//
// Rounding of the average: in whole millivolts with truncating division, y = (2y + x) / 3
// stalls below a constant input: from y = x - 2 it computes x - 1.33 -> x - 2 again, so the
// module would report up to 2 mV low forever; rounding to nearest still stalls at +-1 mV.
// The filter therefore keeps its state in 1/16 mV (4095 mV * 16 fits 16 bits) and divides
// with rounding to nearest: it stalls at most 1/16 mV from the input, so the reported
// (rounded) millivolts equal a constant input exactly. The first sample initialises it.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

constexpr uint16_t kAdcMaxCounts = 1023U;
constexpr uint16_t kReferenceMv = 2048U;
constexpr uint16_t kMaxCellMv = 4095U;  // the filter's input limit

// Cell millivolts for `counts` (clamped to 0..1023) and reference correction `c_mv`.
uint16_t cell_mv_from_counts(uint16_t counts, int8_t c_mv);

class CellVoltageFilter {
 public:
  // Adds a sample (clamped to kMaxCellMv); returns the filtered voltage in mV.
  uint16_t update(uint16_t mv);
  uint16_t value_mv() const { return static_cast<uint16_t>((y16_ + 8U) >> 4U); }
  bool primed() const { return primed_; }

 private:
  uint16_t y16_ = 0;  // state in 1/16 mV
  bool primed_ = false;
};

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
