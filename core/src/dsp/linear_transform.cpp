#include "powerstack/dsp/linear_transform.hpp"

#include <cmath>

namespace powerstack::dsp {

namespace {
bool positive_finite(float x) {
  return std::isfinite(x) && x > 0.0f;
}
}  // namespace

Result<LinearTransform> divider(float r_top_ohm, float r_bottom_ohm) {
  // r_top may be 0 (direct connection); r_bottom must carry the current.
  if (!std::isfinite(r_top_ohm) || r_top_ohm < 0.0f || !positive_finite(r_bottom_ohm)) {
    return Status::kInvalidArgument;
  }
  const float gain = (r_top_ohm + r_bottom_ohm) / r_bottom_ohm;
  if (!std::isfinite(gain)) {
    return Status::kInvalidArgument;
  }
  return LinearTransform{gain, 0.0f};
}

Result<LinearTransform> shunt_amplifier(float r_shunt_ohm, float amp_gain, float offset_v) {
  if (!positive_finite(r_shunt_ohm) || !positive_finite(amp_gain) || !std::isfinite(offset_v)) {
    return Status::kInvalidArgument;
  }
  const float v_per_a = r_shunt_ohm * amp_gain;
  const LinearTransform t{1.0f / v_per_a, -offset_v / v_per_a};
  // Extreme but positive inputs can still overflow float (e.g. 1e-30 Ohm * 1e-20).
  if (!std::isfinite(t.gain) || !std::isfinite(t.offset)) {
    return Status::kInvalidArgument;
  }
  return t;
}

Result<LinearTransform> two_point_calibration(float raw_1, float true_1, float raw_2,
                                              float true_2) {
  if (!std::isfinite(raw_1) || !std::isfinite(true_1) || !std::isfinite(raw_2) ||
      !std::isfinite(true_2)) {
    return Status::kInvalidArgument;
  }
  const float d_raw = raw_2 - raw_1;
  const float gain = (true_2 - true_1) / d_raw;
  // Coinciding raw points (or a flat response) give no slope to calibrate with.
  if (d_raw == 0.0f || !std::isfinite(gain) || gain == 0.0f) {
    return Status::kInvalidArgument;
  }
  return LinearTransform{gain, true_1 - gain * raw_1};
}

}  // namespace powerstack::dsp
