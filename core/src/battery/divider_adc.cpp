#include "powerstack/battery/divider_adc.hpp"

#include <cmath>

namespace powerstack::battery {

AdcRange esp32_adc_range(Esp32Attenuation attenuation) {
  switch (attenuation) {
    case Esp32Attenuation::k0dB:
      return {100.0f, 950.0f, 23.0f};
    case Esp32Attenuation::k2_5dB:
      return {100.0f, 1250.0f, 30.0f};
    case Esp32Attenuation::k6dB:
      return {150.0f, 1750.0f, 40.0f};
    case Esp32Attenuation::k11dB:
      return {150.0f, 2450.0f, 60.0f};
  }
  return {150.0f, 2450.0f, 60.0f};
}

float divider_ratio(const DividerAdcConfig& c) {
  return c.r_bottom_ohm / (c.r_top_ohm + c.r_bottom_ohm);
}

Result<float> battery_voltage_v(const DividerAdcConfig& c, float reading_mv) {
  if (!std::isfinite(reading_mv) || !(c.r_top_ohm >= 0.0f) || !(c.r_bottom_ohm > 0.0f)) {
    return Status::kInvalidArgument;
  }
  const AdcRange r = esp32_adc_range(c.attenuation);
  if (reading_mv < r.min_mv || reading_mv > r.max_mv) {
    return Status::kOutOfRange;
  }
  const float pin_mv = c.cal_gain * reading_mv + c.cal_offset_mv;
  return pin_mv * 1e-3f / divider_ratio(c);
}

Status calibrate_two_point(DividerAdcConfig& c, float v_bat1_v, float reading1_mv, float v_bat2_v,
                           float reading2_mv) {
  const float ratio = divider_ratio(c);
  const float pin1_mv = v_bat1_v * ratio * 1e3f;
  const float pin2_mv = v_bat2_v * ratio * 1e3f;
  const float d_reading = reading2_mv - reading1_mv;
  if (!std::isfinite(pin1_mv) || !std::isfinite(pin2_mv) || !std::isfinite(d_reading) ||
      std::fabs(d_reading) < 1.0f) {
    return Status::kInvalidArgument;
  }
  c.cal_gain = (pin2_mv - pin1_mv) / d_reading;
  c.cal_offset_mv = pin1_mv - c.cal_gain * reading1_mv;
  return Status::kOk;
}

bool divider_fits_range(const DividerAdcConfig& c, float v_bat_min_v, float v_bat_max_v,
                        float tolerance) {
  const AdcRange r = esp32_adc_range(c.attenuation);
  // Extremes: bottom resistor high and top low give the highest ratio, and the reverse.
  const float hi = c.r_bottom_ohm * (1.0f + tolerance);
  const float lo = c.r_bottom_ohm * (1.0f - tolerance);
  const float ratio_max = hi / (hi + c.r_top_ohm * (1.0f - tolerance));
  const float ratio_min = lo / (lo + c.r_top_ohm * (1.0f + tolerance));
  return v_bat_min_v * ratio_min * 1e3f >= r.min_mv && v_bat_max_v * ratio_max * 1e3f <= r.max_mv;
}

}  // namespace powerstack::battery
