#include "powerstack/mppt/incremental_conductance.hpp"

#include <cmath>

#include "mppt_util.hpp"

namespace powerstack::mppt {

void IncrementalConductance::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, config_.duty_min, config_.duty_max);
  have_prev_ = false;
  step_rel_ = config_.step_max_rel;
}

TrackerCommand IncrementalConductance::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, false};
  }
  duty_ = detail::resume_from(duty_, duty_applied);
  const float v = s.v_pv_v;
  const float i = s.i_pv_a;
  int move = 0;  // +1: raise V (less duty), -1: lower V, 0: hold
  if (!have_prev_ || v <= 0.0f || i <= 0.0f) {
    move = -1;  // no slope yet, or no power: draw current
    step_rel_ = config_.step_max_rel;
  } else {
    const float dv = v - v_prev_v_;
    const float di = i - i_prev_a_;
    if (std::fabs(dv) <= config_.dv_rel_eps * v) {
      if (std::fabs(di) > config_.di_rel_eps * i) {
        move = di > 0.0f ? 1 : -1;
      }
    } else {
      const float g = i / v;
      const float e = di / dv + g;
      if (std::fabs(e) > config_.tolerance * g) {
        move = e > 0.0f ? 1 : -1;
      }
      // |dP/dV| V / P = |I + V dI/dV| / I = |e| / g
      step_rel_ = detail::clamp(config_.gain * std::fabs(e) / g, config_.step_min_rel,
                                config_.step_max_rel);
    }
  }
  have_prev_ = true;
  v_prev_v_ = v;
  i_prev_a_ = i;
  duty_ = detail::clamp(duty_ - static_cast<float>(move) * step_rel_ * duty_, config_.duty_min,
                        config_.duty_max);
  return {duty_, false};
}

}  // namespace powerstack::mppt
