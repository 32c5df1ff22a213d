#include "powerstack/mppt/global_scan.hpp"

#include <cmath>

#include "mppt_util.hpp"

namespace powerstack::mppt {

void GlobalScan::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, config_.duty_min, config_.duty_max);
  local_.reset(duty_);
  scans_ = 0;
  p_ref_w_ = 0.0f;
  start_scan();
}

void GlobalScan::start_scan() {
  phase_ = Phase::kPause;
  pause_.start();
  since_scan_s_ = 0.0f;
  best_w_ = -1.0f;
  best_duty_ = duty_;
  tick_ = 0;
}

TrackerCommand GlobalScan::scan_step(const PvSample& s) {
  const float p_w = s.v_pv_v * s.i_pv_a;
  ++tick_;
  if (tick_ > config_.settle_ticks) {
    // Settled at the point set tick_ ticks ago: record it and move on.
    if (p_w > best_w_) {
      best_w_ = p_w;
      best_duty_ = duty_;
    }
    tick_ = 0;
    v_target_v_ -= config_.step_rel * voc_v_;
    const float v_low = s.v_bat_v / config_.duty_max;
    if (v_target_v_ < v_low || config_.step_rel <= 0.0f) {
      // Done: resume local tracking at the best point.
      phase_ = Phase::kTrack;
      duty_ = best_duty_;
      local_.reset(duty_);
      p_ref_w_ = best_w_ > 0.0f ? best_w_ : 0.0f;
      p_avg_.reset();
      steady_for_s_ = 0.0f;
      ++scans_;
      return {duty_, false};
    }
    duty_ = detail::clamp(detail::duty_for_voltage(s.v_bat_v, v_target_v_), config_.duty_min,
                          config_.duty_max);
  }
  return {duty_, false};
}

TrackerCommand GlobalScan::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, phase_ == Phase::kPause};
  }
  since_scan_s_ += s.dt_s;
  switch (phase_) {
    case Phase::kPause:
      if (!pause_.settled(s.dt_s, s.v_pv_v, config_.pause_s, config_.pause_max_s)) {
        return {duty_, true};
      }
      voc_v_ = s.v_pv_v;
      v_target_v_ = config_.start_rel * voc_v_;
      duty_ = detail::clamp(detail::duty_for_voltage(s.v_bat_v, v_target_v_), config_.duty_min,
                            config_.duty_max);
      phase_ = Phase::kScan;
      tick_ = 0;
      return {duty_, false};
    case Phase::kScan:
      return scan_step(s);
    case Phase::kTrack:
      break;
  }
  const float p_w = s.v_pv_v * s.i_pv_a;
  p_avg_.update_timed(p_w, s.dt_s, config_.avg_tau_s);
  const float p_avg_w = p_avg_.value();
  const bool steady = std::fabs(p_w - p_avg_w) <= config_.steady_rel * p_avg_w;
  steady_for_s_ = steady ? steady_for_s_ + s.dt_s : 0.0f;
  const bool moved = std::fabs(p_avg_w - p_ref_w_) > config_.change_rel * p_ref_w_;
  if (since_scan_s_ >= config_.period_s ||
      (since_scan_s_ >= config_.min_interval_s && moved && steady_for_s_ >= config_.steady_s)) {
    start_scan();
    pause_.elapsed(s.dt_s, config_.pause_s);  // this tick is the first one off
    return {duty_, true};
  }
  const TrackerCommand c = local_.step(s, duty_applied);
  duty_ = c.duty;
  return c;
}

}  // namespace powerstack::mppt
