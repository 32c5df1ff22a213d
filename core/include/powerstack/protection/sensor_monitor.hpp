// SensorMonitor: finds broken measurements before the control acts on them.
//   implausible: non-finite, far outside the physical range, or more power out of the
//                converter than into it for a while;
//   saturated:   at the ADC channel's full scale (the true value is unknown);
//   stuck:       a voltage or current bit-for-bit unchanged for stuck_s while the converter
//                ran and its duty moved (a live channel always carries some noise, and a
//                moving duty moves every port quantity).
// Temperatures are checked for plausibility only (they change too slowly to call stuck).
#pragma once

#include "powerstack/control/plant_io.hpp"
#include "powerstack/protection/trip_event.hpp"

namespace powerstack::protection {

struct SensorLimits {
  // ADC full scale of each channel (0: not checked).
  float v_in_fs_v = 0.0f;
  float v_out_fs_v = 0.0f;
  float i_in_fs_a = 0.0f;
  float i_out_fs_a = 0.0f;
  float stuck_s = 2.0f;
  float duty_moved = 0.002f;     // duty range that must have been seen for a stuck verdict
  float power_excess_w = 15.0f;  // output power above input * 1.1 + this is implausible ...
  float power_excess_s = 1.0f;   // ... when it lasts this long
};

struct SensorVerdict {
  TripReason reason = TripReason::kNone;
  float value = 0.0f;
};

class SensorMonitor {
 public:
  void configure(const SensorLimits& limits) { limits_ = limits; }
  SensorVerdict update(const control::Measurements& m, bool running, float duty, float dt_s);
  void reset();

 private:
  struct Track {
    float last = 0.0f;
    float unchanged_s = 0.0f;
    float duty_min = 0.0f;
    float duty_max = 0.0f;
    bool have = false;
  };
  bool stuck(Track& t, float value, bool running, float duty, float dt_s) const;

  SensorLimits limits_{};
  Track tracks_[4]{};
  float excess_s_ = 0.0f;
};

}  // namespace powerstack::protection
