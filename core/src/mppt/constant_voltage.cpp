#include "powerstack/mppt/constant_voltage.hpp"

#include "mppt_util.hpp"

namespace powerstack::mppt {

void ConstantVoltage::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, config_.duty_min, config_.duty_max);
  pausing_ = true;  // a V_oc sample first
  pause_.start();
  t_phase_s_ = 0.0f;
  voc_v_ = 0.0f;
}

TrackerCommand ConstantVoltage::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, pausing_};
  }
  if (pausing_) {
    if (!pause_.settled(s.dt_s, s.v_pv_v, config_.pause_s, config_.pause_max_s)) {
      return {duty_, true};
    }
    // The converter has been off for pause_s: the input sits at V_oc.
    voc_v_ = s.v_pv_v;
    pausing_ = false;
    t_phase_s_ = 0.0f;
    duty_ = detail::clamp(detail::duty_for_voltage(s.v_bat_v, config_.k * voc_v_), config_.duty_min,
                          config_.duty_max);
    return {duty_, false};
  }
  duty_ = detail::resume_from(duty_, duty_applied);
  const float v_ref = config_.k * voc_v_;
  if (v_ref > 0.0f) {
    duty_ *= 1.0f + config_.gain * (s.v_pv_v - v_ref) / v_ref;
  }
  duty_ = detail::clamp(duty_, config_.duty_min, config_.duty_max);
  t_phase_s_ += s.dt_s;
  if (t_phase_s_ >= config_.resample_s) {
    pausing_ = true;
    pause_.start();
    pause_.elapsed(s.dt_s, config_.pause_s);  // this tick is the first one off
    return {duty_, true};
  }
  return {duty_, false};
}

}  // namespace powerstack::mppt
