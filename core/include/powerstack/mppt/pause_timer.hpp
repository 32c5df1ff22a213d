// PauseTimer: times a converter pause (e.g. to sample V_oc) from a tracker's side. A
// sample's dt_s is how long the previous command was in force, so only the ticks after one
// that asked for the pause count as time off.
#pragma once

namespace powerstack::mppt {

class PauseTimer {
 public:
  void start() {
    off_s_ = 0.0f;
    asked_ = false;
  }
  // True once the converter has been off for pause_s; otherwise the caller asks for (more)
  // pause this tick.
  bool elapsed(float dt_s, float pause_s) {
    if (asked_) {
      off_s_ += dt_s;
    }
    if (off_s_ >= pause_s * 0.999f) {
      return true;
    }
    asked_ = true;
    return false;
  }

 private:
  float off_s_ = 0.0f;
  bool asked_ = false;
};

}  // namespace powerstack::mppt
