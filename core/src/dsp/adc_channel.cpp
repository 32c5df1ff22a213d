#include "powerstack/dsp/adc_channel.hpp"

#include <cmath>
#include <limits>

namespace powerstack::dsp {

Result<AdcChannel> AdcChannel::create(const AdcSpec& adc, const LinearTransform& front_end,
                                      float min_valid, float max_valid) {
  if (adc.bits == 0 || adc.bits > 16 || !std::isfinite(adc.vref_v) || adc.vref_v <= 0.0f) {
    return Status::kInvalidArgument;
  }
  const std::uint32_t max_counts = (std::uint32_t{1} << adc.bits) - 1U;
  // At least one count must remain strictly between the two saturated bands.
  if (2U * std::uint32_t{adc.saturation_margin_counts} + 2U > max_counts) {
    return Status::kInvalidArgument;
  }
  if (!std::isfinite(front_end.gain) || front_end.gain == 0.0f ||
      !std::isfinite(front_end.offset)) {
    return Status::kInvalidArgument;
  }
  // The whole chain must stay finite up to the top count (a huge divider ratio times vref).
  if (!std::isfinite(front_end.apply(adc.vref_v))) {
    return Status::kInvalidArgument;
  }
  if (std::isnan(min_valid) || std::isnan(max_valid) || min_valid > max_valid) {
    return Status::kInvalidArgument;
  }
  AdcChannel ch;
  const LinearTransform counts_to_pin{adc.vref_v / static_cast<float>(max_counts), 0.0f};
  ch.nominal_ = front_end.after(counts_to_pin);
  ch.counts_to_value_ = ch.nominal_;
  ch.max_counts_ = max_counts;
  ch.margin_ = adc.saturation_margin_counts;
  ch.min_valid_ = min_valid;
  ch.max_valid_ = max_valid;
  return ch;
}

Status AdcChannel::set_calibration(const LinearTransform& calibration) {
  const LinearTransform combined = calibration.after(nominal_);
  const bool finite = std::isfinite(combined.gain) && std::isfinite(combined.offset) &&
                      std::isfinite(combined.apply(static_cast<float>(max_counts_)));
  if (!finite || combined.gain == 0.0f) {
    return Status::kInvalidArgument;
  }
  counts_to_value_ = combined;
  return Status::kOk;
}

Reading AdcChannel::convert(std::uint32_t counts) const {
  constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
  if (counts > max_counts_) {
    return {kNan, ReadingStatus::kInvalidCount};
  }
  // Saturation is judged on the ADC side, before any sign flip of the front end.
  if (counts <= margin_) {
    return {kNan, ReadingStatus::kSaturatedLow};
  }
  if (counts >= max_counts_ - margin_) {
    return {kNan, ReadingStatus::kSaturatedHigh};
  }
  const float value = counts_to_value_.apply(static_cast<float>(counts));
  if (!std::isfinite(value)) {
    return {kNan, ReadingStatus::kInvalidCount};  // NaN would pass the range checks below
  }
  if (value < min_valid_) {
    return {value, ReadingStatus::kBelowRange};
  }
  if (value > max_valid_) {
    return {value, ReadingStatus::kAboveRange};
  }
  return {value, ReadingStatus::kOk};
}

float AdcChannel::span_low() const {
  const float a = counts_to_value_.apply(static_cast<float>(margin_ + 1U));
  const float b = counts_to_value_.apply(static_cast<float>(max_counts_ - margin_ - 1U));
  return a < b ? a : b;
}

float AdcChannel::span_high() const {
  const float a = counts_to_value_.apply(static_cast<float>(margin_ + 1U));
  const float b = counts_to_value_.apply(static_cast<float>(max_counts_ - margin_ - 1U));
  return a < b ? b : a;
}

}  // namespace powerstack::dsp
