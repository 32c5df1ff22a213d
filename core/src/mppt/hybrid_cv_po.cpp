#include "powerstack/mppt/hybrid_cv_po.hpp"

#include <cmath>

#include "mppt_util.hpp"

namespace powerstack::mppt {

void HybridCvPo::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, config_.duty_min, config_.duty_max);
  po_.reset(duty_);
  pausing_ = true;
  pause_.start();
  since_approach_s_ = 0.0f;
  p_avg_.reset();
  pending_ = false;
  voc_v_ = 0.0f;
  approaches_ = 0;
}

TrackerCommand HybridCvPo::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, pausing_};
  }
  since_approach_s_ += s.dt_s;
  if (pausing_) {
    if (!pause_.settled(s.dt_s, s.v_pv_v, config_.pause_s, config_.pause_max_s)) {
      return {duty_, true};
    }
    voc_v_ = s.v_pv_v;
    pausing_ = false;
    since_approach_s_ = 0.0f;
    p_avg_.reset();
    ++approaches_;
    duty_ = detail::clamp(detail::duty_for_voltage(s.v_bat_v, config_.k * voc_v_), config_.duty_min,
                          config_.duty_max);
    po_.reset(duty_);
    return {duty_, false};
  }
  const float p_w = s.v_pv_v * s.i_pv_a;
  p_avg_.update_timed(p_w, s.dt_s, config_.avg_tau_s);
  const float p_avg_w = p_avg_.value();
  if (p_avg_w > 0.0f && std::fabs(p_w - p_avg_w) > config_.change_rel * p_avg_w) {
    pending_ = true;  // acted on once the rate limit allows
  }
  if (pending_ && since_approach_s_ >= config_.min_interval_s) {
    pending_ = false;
    pausing_ = true;
    pause_.start();
    pause_.elapsed(s.dt_s, config_.pause_s);  // this tick is the first one off
    return {duty_, true};
  }
  const TrackerCommand c = po_.step(s, duty_applied);
  duty_ = c.duty;
  return c;
}

}  // namespace powerstack::mppt
