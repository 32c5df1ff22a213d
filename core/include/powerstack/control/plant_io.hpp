// Measurements in, Actuation out: the only door between a controller and the hardware (or
// the twin's plant). Plain structs, float, SI units in names. Sign convention (passive, at
// each element): i_pv_a > 0 when the panel delivers current into the converter; i_bat_a > 0
// when the battery is charged. A value the hardware cannot measure is NaN and `valid` says so.
#pragma once

#include <cstdint>

namespace powerstack::control {

struct Measurements {
  float v_pv_v = 0.0f;     // converter input (PV) voltage
  float i_pv_a = 0.0f;     // current from the panel into the converter
  float v_bat_v = 0.0f;    // converter output / battery terminal voltage
  float i_bat_a = 0.0f;    // current into the battery (charging positive)
  float t_fet_c = 25.0f;   // power stage temperature
  float t_coil_c = 25.0f;  // inductor temperature
  float t_bat_c = 25.0f;   // battery temperature
  float t_ambient_c = 25.0f;
  // The output over-voltage comparator has stopped the PWM in hardware (see
  // Actuation::v_bat_trip_v); stays set until the controller disables the PWM.
  bool v_bat_trip_latched = false;
  // The input reverse-current comparator has stopped the PWM and opened the input switch
  // (see Actuation::i_pv_trip_a); cleared the same way.
  bool i_pv_trip_latched = false;
};

struct Actuation {
  float duty = 0.0f;             // high-side on-time fraction, [0, 1]
  bool pwm_enabled = false;      // false: both switches off
  bool low_side_enabled = true;  // false: diode emulation
  float f_sw_hz = 39000.0f;      // switching frequency
  bool load_enabled = true;      // load output switch
  // Threshold of the output over-voltage comparator (ADC watchdog or analog comparator wired
  // to the PWM fault input): above it the hardware stops the PWM within microseconds, without
  // waiting for the next control tick. 0: disarmed.
  float v_bat_trip_v = 0.0f;
  // Input (back-flow) switch between the panel and the converter: on, it conducts both ways;
  // off, only its body diode conducts, panel to converter.
  bool input_switch_on = true;
  // Input reverse-current comparator: a current out of the converter into the panel above
  // this stops the PWM and opens the input switch in hardware. 0: disarmed.
  float i_pv_trip_a = 0.0f;
};

}  // namespace powerstack::control
