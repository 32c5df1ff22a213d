// Pwm: a half-bridge's complementary PWM. Duty is the high-side on-time fraction in [0, 1];
// implementations clamp and insert their own dead time.
#pragma once

#include "powerstack/common/status.hpp"

namespace powerstack::hal {

class Pwm {
 public:
  // kInvalidArgument for a non-finite duty; values outside [0, 1] are clamped.
  virtual Status set_duty(float duty) = 0;
  // Disabled means both switches off (high impedance), whatever the duty.
  virtual void enable(bool on) = 0;
  // Low-side switch allowed (false: diode emulation, only the body diode conducts).
  virtual void enable_low_side(bool on) = 0;

 protected:
  ~Pwm() = default;
};

}  // namespace powerstack::hal
