// LinearTransform: y = gain * x + offset, the building block of every measurement chain
// (ADC counts -> pin volts -> physical volts or amps, and two-point calibration on top).
#pragma once

#include "powerstack/common/status.hpp"

namespace powerstack::dsp {

struct LinearTransform {
  float gain = 1.0f;
  float offset = 0.0f;

  [[nodiscard]] constexpr float apply(float x) const { return gain * x + offset; }
  // Inverse mapping; only valid when gain != 0 (every constructor below guarantees it).
  [[nodiscard]] constexpr float invert(float y) const { return (y - offset) / gain; }
  // (this after first)(x) == apply(first.apply(x)).
  [[nodiscard]] constexpr LinearTransform after(const LinearTransform& first) const {
    return {gain * first.gain, gain * first.offset + offset};
  }
};

// Resistor divider: v_in = v_pin * (r_top + r_bottom) / r_bottom.
// Fails when a resistance is not finite or not positive.
Result<LinearTransform> divider(float r_top_ohm, float r_bottom_ohm);

// Shunt + amplifier: v_pin = offset_v + i_a * r_shunt_ohm * amp_gain, so
// i_a = (v_pin - offset_v) / (r_shunt_ohm * amp_gain). A Hall sensor is the same model with
// r_shunt_ohm * amp_gain = its sensitivity in V/A. Fails on non-positive shunt or gain.
Result<LinearTransform> shunt_amplifier(float r_shunt_ohm, float amp_gain, float offset_v);

// Two-point calibration: the transform that maps the two raw readings onto the two true
// values (applied after the nominal chain). Fails when the raw points coincide or a value is
// not finite.
Result<LinearTransform> two_point_calibration(float raw_1, float true_1, float raw_2, float true_2);

}  // namespace powerstack::dsp
