#include "powerstack/mppt/fugu_fl4p.hpp"

#include <cmath>

#include "mppt_util.hpp"

namespace powerstack::mppt {

void FuguFl4p::reset(float duty_start) {
  duty_ = detail::clamp(duty_start, 0.0f, config_.duty_max);
  start_sweep();
}

void FuguFl4p::start_sweep() {
  phase_ = Phase::kSweep;
  duty_ = 0.0f;  // the firmware disables the converter and ramps from zero
  since_sweep_s_ = 0.0f;
  sweep_best_w_ = 0.0f;
  sweep_best_duty_ = 0.0f;
}

TrackerCommand FuguFl4p::step(const PvSample& s, float duty_applied) {
  if (!detail::usable(s)) {
    return {duty_, false};
  }
  const float dt = s.dt_s;
  const float p_w = s.v_pv_v * s.i_pv_a;
  since_sweep_s_ += dt;
  switch (phase_) {
    case Phase::kSweep: {
      if (p_w > sweep_best_w_ && p_w >= config_.low_power_w) {
        sweep_best_w_ = p_w;
        sweep_best_duty_ = duty_;
      }
      const bool done = duty_ >= config_.duty_max || (s.v_pv_v < config_.vin_min_v && duty_ > 0.0f);
      if (!done) {
        duty_ =
            detail::clamp(duty_ + config_.duty_max / config_.sweep_s * dt, 0.0f, config_.duty_max);
        return {duty_, false};
      }
      phase_ = Phase::kFade;
      if (sweep_best_w_ <= 0.0f) {
        sweep_best_duty_ = duty_;  // nothing found: stay where the sweep ended
      }
      [[fallthrough]];
    }
    case Phase::kFade: {
      const float max_move = config_.fade_per_s * dt;
      const float move = detail::clamp(sweep_best_duty_ - duty_, -max_move, max_move);
      duty_ += move;
      if (std::fabs(sweep_best_duty_ - duty_) <= 1.0f / 2048.0f) {
        // Fresh P&O state from the sweep's result.
        phase_ = Phase::kTrack;
        slow_ = false;
        up_ = true;
        ewma_init_ = false;
        acc_w_ = 0.0f;
        acc_n_ = 0;
        since_decision_s_ = 0.0f;
        since_reverse_s_ = 1e9f;
        last_power_w_ = p_w;
        mpp_w_ = 0.0f;
        mpp_age_s_ = 0.0f;
      }
      return {duty_, false};
    }
    case Phase::kTrack:
      break;
  }
  duty_ = detail::resume_from(duty_, duty_applied);
  if (since_sweep_s_ >= config_.sweep_period_s) {
    start_sweep();
    return {duty_, false};
  }
  track(p_w, dt);
  return {duty_, false};
}

void FuguFl4p::track(float p_w, float dt) {
  const float alpha = 2.0f / (config_.slow_ewma_span + 1.0f);
  ewma_w_ = ewma_init_ ? ewma_w_ + alpha * (p_w - ewma_w_) : p_w;
  ewma_init_ = true;
  acc_w_ += slow_ ? ewma_w_ : p_w;
  ++acc_n_;
  since_decision_s_ += dt;
  since_reverse_s_ += dt;
  mpp_age_s_ += dt;

  const float interval = slow_ ? config_.slow_interval_s : config_.fast_interval_s;
  if (since_decision_s_ > interval && acc_n_ > 0) {
    since_decision_s_ = 0.0f;
    const float power = acc_w_ / static_cast<float>(acc_n_);
    acc_w_ = 0.0f;
    acc_n_ = 0;
    const float dp = power - last_power_w_;
    if (power < config_.low_power_w) {
      up_ = true;  // pump more power
    } else {
      const float abs_dp = std::fabs(dp);
      const bool significant =
          abs_dp >= config_.min_power_step_w ||
          (last_power_w_ > 0.0f && abs_dp / last_power_w_ > config_.min_power_step_rel);
      if (significant && (!slow_ || since_reverse_s_ > config_.slow_min_reverse_s)) {
        last_power_w_ = power;
        if (dp < 0.0f) {
          up_ = !up_;
          since_reverse_s_ = 0.0f;
        }
      }
    }
    if (power > last_power_w_) {
      last_power_w_ = power;
    }
    if (mpp_age_s_ > config_.mpp_forget_s && mpp_w_ > 0.0f) {
      mpp_w_ = 0.0f;
    }
    if (power < mpp_w_ * config_.mpp_drop_rel && mpp_age_s_ > config_.mpp_drop_s) {
      mpp_w_ = 0.0f;
    }
    if (power > mpp_w_ * config_.mpp_capture_rel) {
      mpp_w_ = power;
      mpp_age_s_ = 0.0f;
      mpp_duty_ = duty_;
    }
  }

  float speed = config_.fast_speed;
  if (p_w > config_.low_power_w && mpp_age_s_ > config_.slow_after_s &&
      since_reverse_s_ < config_.slow_after_s) {
    speed = config_.slow_speed;
    if (!slow_) {
      slow_ = true;
      ewma_init_ = false;
      // One control tick towards the best duty seen (the firmware's control value is the
      // distance in PWM counts; its slew scaling moves about a quarter of it a tick).
      duty_ += detail::clamp(0.256f * (mpp_duty_ - duty_), -1.0f, 0.008f);
      duty_ = detail::clamp(duty_, 0.0f, config_.duty_max);
      return;
    }
  } else {
    slow_ = false;
  }
  duty_ += (up_ ? speed : -speed) * config_.slew_per_s * dt;
  // Bounce at the ends of the duty range.
  if (duty_ <= 1.0f / 2048.0f) {
    duty_ = 1.0f / 2048.0f;
    up_ = true;
  } else if (duty_ >= config_.duty_max) {
    duty_ = config_.duty_max;
    up_ = false;
  }
}

}  // namespace powerstack::mppt
