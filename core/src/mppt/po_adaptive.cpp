#include "powerstack/mppt/po_adaptive.hpp"

#include <cmath>

#include "mppt_util.hpp"

namespace powerstack::mppt {

void PoAdaptive::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, config_.duty_min, config_.duty_max);
  up_ = true;
  step_rel_ = config_.step_max_rel;
  tick_ = 0;
  have_prev_ = false;
  acc_w_ = 0.0f;
  acc_n_ = 0;
  p_x_w_ = 0.0f;
  drift_prev_w_ = 0.0f;
  have_drift_ = false;
  noise_var_w2_ = 0.0f;
}

void PoAdaptive::perturb() {
  duty_ += (up_ ? 1.0f : -1.0f) * step_rel_ * duty_;
  if (duty_ >= config_.duty_max) {
    duty_ = config_.duty_max;
    up_ = false;
  } else if (duty_ <= config_.duty_min) {
    duty_ = config_.duty_min;
    up_ = true;
  }
  tick_ = 0;
  acc_w_ = 0.0f;
  acc_n_ = 0;
}

TrackerCommand PoAdaptive::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, false};
  }
  duty_ = detail::resume_from(duty_, duty_applied);
  const float p_w = s.v_pv_v * s.i_pv_a;
  const int settle = config_.settle_ticks < 0 ? 0 : config_.settle_ticks;
  const int avg = config_.avg_ticks < 1 ? 1 : config_.avg_ticks;
  ++tick_;
  if (!have_prev_) {
    // First measurement at the starting duty, then the first perturbation.
    acc_w_ += p_w;
    if (++acc_n_ >= avg) {
      p_prev_w_ = acc_w_ / static_cast<float>(acc_n_);
      have_prev_ = true;
      perturb();
    }
    return {duty_, false};
  }
  if (tick_ <= settle) {
    return {duty_, false};
  }
  acc_w_ += p_w;
  ++acc_n_;
  if (tick_ == settle + avg) {
    p_x_w_ = acc_w_ / static_cast<float>(acc_n_);
    acc_w_ = 0.0f;
    acc_n_ = 0;
    return {duty_, false};
  }
  if (tick_ < settle + 2 * avg) {
    return {duty_, false};
  }
  const float p_end_w = acc_w_ / static_cast<float>(acc_n_);
  // Drift per tick from the unperturbed window, scaled to the span P_prev -> P_x.
  const float drift_per_tick = (p_end_w - p_x_w_) / static_cast<float>(avg);
  const float effect_w = (p_x_w_ - p_prev_w_) - drift_per_tick * static_cast<float>(settle + avg);
  const float p_ref = p_x_w_ > p_prev_w_ ? p_x_w_ : p_prev_w_;
  // Noise: the drift term's change from cycle to cycle has variance ~4 sigma_P^2 (a ramp
  // cancels out); the effect combines ~10 sigma_P^2 of sample noise, i.e. 2.5 x that.
  const float drift_w = p_end_w - p_x_w_;
  if (have_drift_) {
    const float d = drift_w - drift_prev_w_;
    noise_var_w2_ += config_.noise_alpha * (d * d - noise_var_w2_);
  }
  drift_prev_w_ = drift_w;
  have_drift_ = true;
  const float gate_w2 = config_.gate_sigma * config_.gate_sigma * 2.5f * noise_var_w2_;
  // Below this the "noise" is the plant's own settling and ramp curvature, not the sensors.
  const float floor_w = config_.gate_floor_rel * p_ref;
  if (p_ref < config_.low_power_w) {
    up_ = true;
    step_rel_ = config_.step_max_rel;
  } else if (effect_w * effect_w <= gate_w2 && gate_w2 > floor_w * floor_w) {
    // No evidence either way: the flat top of the curve (far from the peak the slope shows).
    // Dither there at the smallest step instead of walking off on noise.
    up_ = !up_;
    step_rel_ = config_.step_min_rel;
  } else {
    const bool reverse = effect_w < 0.0f;
    const float slope = std::fabs(effect_w) / p_ref / (step_rel_ > 0.0f ? step_rel_ : 1.0f);
    // Grow at most 2x a cycle, so a kink cannot pump the step back up right after a halving.
    float next = config_.gain * slope;
    next = next < 2.0f * step_rel_ ? next : 2.0f * step_rel_;
    if (reverse) {
      // Crossed the peak: the secant slope over a step that straddles a sharp peak (a
      // shaded string's) overstates the distance, so at least halve the step.
      up_ = !up_;
      next = next < 0.5f * step_rel_ ? next : 0.5f * step_rel_;
    }
    step_rel_ = detail::clamp(next, config_.step_min_rel, config_.step_max_rel);
  }
  p_prev_w_ = p_end_w;
  perturb();
  return {duty_, false};
}

}  // namespace powerstack::mppt
