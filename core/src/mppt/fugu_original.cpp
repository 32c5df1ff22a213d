#include "powerstack/mppt/fugu_original.hpp"

#include "mppt_util.hpp"

namespace powerstack::mppt {

void FuguOriginal::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, 0.0f, config_.duty_max);
  // The firmware's previous readings start at zero.
  p_prev_w_ = 0.0f;
  v_prev_v_ = 0.0f;
}

TrackerCommand FuguOriginal::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, false};
  }
  duty_ = detail::resume_from(duty_, duty_applied);
  const float p_w = s.v_pv_v * s.i_pv_a;
  const bool p_up = p_w > p_prev_w_;
  const bool p_down = p_w < p_prev_w_;
  const bool v_up = s.v_pv_v > v_prev_v_;
  const bool v_down = s.v_pv_v < v_prev_v_;
  if ((p_up && v_up) || (p_down && v_down)) {
    duty_ -= config_.step;  // the last move helped: keep raising (or stop lowering) V
  } else {
    duty_ += config_.step;  // the move hurt, or P or V did not change: pull more current
  }
  p_prev_w_ = p_w;
  v_prev_v_ = s.v_pv_v;
  // Predictive floor: never so low a duty that the output would back-feed the input.
  const float floor = s.v_pv_v > 0.0f ? config_.floor_margin * s.v_bat_v / s.v_pv_v : 0.0f;
  duty_ = detail::clamp(duty_, detail::clamp(floor, 0.0f, config_.duty_max), config_.duty_max);
  return {duty_, false};
}

}  // namespace powerstack::mppt
