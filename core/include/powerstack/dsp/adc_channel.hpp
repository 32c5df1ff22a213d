// AdcChannel: one ADC input turned into a physical value with its validity.
//
// counts -> pin volts (counts * vref_v / max_counts) -> front end (divider or shunt
// amplifier) -> calibration -> value. A count at or within `saturation_margin_counts` of the
// ADC's ends is saturated: the true input may be anywhere beyond it, so the reading is
// flagged and its value is NaN (it cannot be used by accident). A value outside the
// channel's plausible range [min_valid, max_valid] is flagged too, but keeps its value for
// diagnostics.
#pragma once

#include <cstdint>

#include "powerstack/common/status.hpp"
#include "powerstack/dsp/linear_transform.hpp"

namespace powerstack::dsp {

struct AdcSpec {
  std::uint8_t bits = 12;                      // resolution; max_counts = 2^bits - 1
  float vref_v = 3.3f;                         // pin voltage at max_counts
  std::uint16_t saturation_margin_counts = 0;  // counts this close to 0 or max are saturated
};

enum class ReadingStatus : std::uint8_t {
  kOk = 0,
  kSaturatedLow,   // at the ADC's lower limit: value unknown (NaN)
  kSaturatedHigh,  // at the ADC's upper limit: value unknown (NaN)
  kBelowRange,     // converted, but below the channel's plausible range
  kAboveRange,     // converted, but above the channel's plausible range
  kInvalidCount,   // count larger than the ADC can produce, or no finite value: value NaN
};

constexpr const char* to_string(ReadingStatus s) {
  switch (s) {
    case ReadingStatus::kOk:
      return "ok";
    case ReadingStatus::kSaturatedLow:
      return "saturated-low";
    case ReadingStatus::kSaturatedHigh:
      return "saturated-high";
    case ReadingStatus::kBelowRange:
      return "below-range";
    case ReadingStatus::kAboveRange:
      return "above-range";
    case ReadingStatus::kInvalidCount:
      return "invalid-count";
  }
  return "unknown";
}

struct Reading {
  float value = 0.0f;  // physical unit of the channel (V or A); NaN when saturated
  ReadingStatus status = ReadingStatus::kOk;
  [[nodiscard]] constexpr bool ok() const { return status == ReadingStatus::kOk; }
};

class AdcChannel {
 public:
  // Fails when bits is 0 or above 16, vref_v is not positive and finite, the margin leaves no
  // usable counts, the front end's gain is zero or non-finite, or min_valid > max_valid.
  static Result<AdcChannel> create(const AdcSpec& adc, const LinearTransform& front_end,
                                   float min_valid, float max_valid);

  AdcChannel() = default;

  [[nodiscard]] Reading convert(std::uint32_t counts) const;

  // Applies a calibration on top of the nominal chain (replacing any earlier one). Refused
  // (kInvalidArgument, nothing changed) when the combined conversion would not be finite or
  // would have zero gain.
  Status set_calibration(const LinearTransform& calibration);
  [[nodiscard]] const LinearTransform& transform() const { return counts_to_value_; }
  [[nodiscard]] std::uint32_t max_counts() const { return max_counts_; }
  // Physical values at the first and last non-saturated counts (lowest first).
  [[nodiscard]] float span_low() const;
  [[nodiscard]] float span_high() const;

 private:
  LinearTransform nominal_;          // counts -> value without calibration
  LinearTransform counts_to_value_;  // nominal_ with calibration applied
  std::uint32_t max_counts_ = 4095;
  std::uint32_t margin_ = 0;
  float min_valid_ = 0.0f;
  float max_valid_ = 0.0f;
};

}  // namespace powerstack::dsp
