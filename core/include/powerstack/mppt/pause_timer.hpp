// PauseTimer: times a converter pause (e.g. to sample V_oc) from a tracker's side. A
// sample's dt_s is how long the previous command was in force, so only the ticks after one
// that asked for the pause count as time off. The input capacitor charges towards V_oc with
// the panel's current only (940 uF at 0.5 A: ~0.5 V/ms), so a pause also waits, up to
// max_s, until the voltage has stopped rising (less than settle_rel a tick).
#pragma once

namespace powerstack::mppt {

class PauseTimer {
 public:
  void start() {
    off_s_ = 0.0f;
    asked_ = false;
    v_last_v_ = 0.0f;
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
  // As elapsed(), and the voltage v_v has settled (or max_s has passed).
  bool settled(float dt_s, float v_v, float min_s, float max_s, float settle_rel = 0.002f) {
    const float v_before = v_last_v_;
    v_last_v_ = v_v;
    if (!elapsed(dt_s, min_s)) {
      return false;
    }
    return off_s_ >= max_s * 0.999f || v_v - v_before <= settle_rel * v_v;
  }

 private:
  float off_s_ = 0.0f;
  bool asked_ = false;
  float v_last_v_ = 0.0f;
};

}  // namespace powerstack::mppt
