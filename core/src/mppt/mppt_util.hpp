// Helpers shared by the trackers (internal to core/src/mppt).
#pragma once

#include <cmath>

#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt::detail {

// A sample a tracker may act on: finite values, a positive step, a non-negative voltage.
// Anything else (a NaN from a failed ADC read, a zero or negative dt) makes the tracker
// repeat its last command and keep its state.
inline bool usable(const PvSample& s) {
  return std::isfinite(s.v_pv_v) && std::isfinite(s.i_pv_a) && std::isfinite(s.v_bat_v) &&
         std::isfinite(s.dt_s) && s.dt_s > 0.0f && s.v_pv_v >= 0.0f && s.v_bat_v >= 0.0f;
}

inline float clamp(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

// The duty to continue from: the one the converter really ran when it is known and lower
// than ours (an output limit bound), else our own.
inline float resume_from(float own, float applied) {
  return (std::isfinite(applied) && applied >= 0.0f && applied < own) ? applied : own;
}

// Duty that puts the input of an ideal buck at v_target_v (v_pv = v_bat / duty).
inline float duty_for_voltage(float v_bat_v, float v_target_v) {
  return v_target_v > 0.0f ? v_bat_v / v_target_v : 1.0f;
}

}  // namespace powerstack::mppt::detail
