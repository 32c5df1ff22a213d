#include "powerstack/charger/converter_control.hpp"

#include <cmath>

namespace powerstack::charger {

namespace {

float clampf(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

// Headroom of a limit, normalised by `scale`; +1 (no constraint) for a limit of 0 or less.
float headroom(float limit, float value, float scale) {
  if (!(limit > 0.0f)) {
    return 1.0f;
  }
  return (limit - value) / scale;
}

}  // namespace

const char* to_string(BindingLimit limit) {
  switch (limit) {
    case BindingLimit::kNone:
      return "off";
    case BindingLimit::kMppt:
      return "mppt";
    case BindingLimit::kSoftStart:
      return "soft-start";
    case BindingLimit::kVout:
      return "cv";
    case BindingLimit::kIout:
      return "cc";
    case BindingLimit::kIin:
      return "pv-current";
    case BindingLimit::kPin:
      return "input-power";
    case BindingLimit::kDutyMax:
      return "duty-max";
  }
  return "unknown";
}

float ConverterControl::duty_max() const {
  return clampf(1.0f - config_.t_ls_min_s * config_.f_sw_hz, 0.0f, 1.0f);
}

void ConverterControl::stop() {
  running_ = false;
  low_side_on_ = false;
  duty_ = 0.0f;
  ceiling_ = 0.0f;
  light_s_ = 0.0f;
  stopped_s_ = 0.0f;
  binding_ = BindingLimit::kNone;
}

bool ConverterControl::may_start(const control::Measurements& m) const {
  return stopped_s_ >= config_.restart_delay_s && m.v_bat_v > 0.5f &&
         m.v_pv_v > m.v_bat_v * 1.05f + config_.start_margin_v;
}

float ConverterControl::start_duty(const control::Measurements& m, float i_out_max_a) const {
  const float d_ccm = m.v_bat_v / m.v_pv_v;  // may_start(): v_pv > v_bat > 0.5 V
  if (!(i_out_max_a > 0.0f)) {
    return clampf(d_ccm, 0.0f, duty_max());
  }
  const float i_start_a = config_.start_current_frac * i_out_max_a;
  const float d_dcm = std::sqrt(2.0f * config_.l_h * config_.f_sw_hz * m.v_bat_v * i_start_a /
                                (m.v_pv_v * (m.v_pv_v - m.v_bat_v)));
  const float d = std::isfinite(d_dcm) && d_dcm < d_ccm ? d_dcm : d_ccm;
  return clampf(d, 0.0f, duty_max());
}

ConverterCommand ConverterControl::step(const control::Measurements& m,
                                        const ConverterLimits& limits, bool allowed,
                                        float duty_request, bool pause, float dt_s) {
  ConverterCommand out;
  out.actuation.f_sw_hz = config_.f_sw_hz;
  const float dt = std::isfinite(dt_s) && dt_s > 0.0f ? dt_s : 0.0f;
  if (!allowed) {
    if (running_) {
      stop();
    }
    stopped_s_ += dt;
    out.actuation.pwm_enabled = false;
    out.actuation.low_side_enabled = false;
    return out;
  }
  if (!running_) {
    stopped_s_ += dt;
    if (!may_start(m)) {
      out.actuation.pwm_enabled = false;
      out.actuation.low_side_enabled = false;
      return out;
    }
    running_ = true;
    low_side_on_ = false;
    duty_ = start_duty(m, limits.i_out_max_a);
    ceiling_ = duty_;
    light_s_ = 0.0f;
    out.started = true;
    binding_ = BindingLimit::kSoftStart;
    limiting_ = false;
    out.actuation.duty = duty_;
    out.actuation.pwm_enabled = true;
    out.actuation.low_side_enabled = false;
    return out;
  }

  const float duty_run = duty_;  // the duty the measurements were taken at
  // Headroom of each limit; the smallest one rules.
  const float p_in_w = m.v_pv_v * m.i_pv_a;
  const float i_scale = limits.i_out_max_a * 0.05f > config_.i_headroom_a
                            ? limits.i_out_max_a * 0.05f
                            : config_.i_headroom_a;
  const float i_in_scale = limits.i_in_max_a * 0.05f > config_.i_headroom_a
                               ? limits.i_in_max_a * 0.05f
                               : config_.i_headroom_a;
  struct Candidate {
    float h;
    BindingLimit which;
  };
  const Candidate cands[] = {
      {headroom(limits.v_out_max_v, m.v_bat_v, limits.v_out_max_v * config_.v_headroom_rel),
       BindingLimit::kVout},
      {headroom(limits.i_out_max_a, m.i_bat_a, i_scale), BindingLimit::kIout},
      {headroom(limits.i_in_max_a, m.i_pv_a, i_in_scale), BindingLimit::kIin},
      {headroom(limits.p_in_max_w, p_in_w, limits.p_in_max_w * 0.05f), BindingLimit::kPin},
  };
  Candidate worst = cands[0];
  for (const Candidate& c : cands) {
    if (c.h < worst.h) {
      worst = c;
    }
  }
  const float h = clampf(worst.h, -2.0f, 1.0f);
  if (h < 0.0f) {
    // Down from the duty actually run, in proportion to the excess.
    ceiling_ = duty_ + config_.gain_per_s * h * dt;
  } else {
    const float up =
        config_.gain_per_s * h < config_.slew_per_s ? config_.gain_per_s * h : config_.slew_per_s;
    ceiling_ = ceiling_ + up * dt;
    // Anti wind-up: the ceiling stays near the duty actually run.
    if (ceiling_ > duty_ + config_.ceiling_margin) {
      ceiling_ = duty_ + config_.ceiling_margin;
    }
  }
  ceiling_ = clampf(ceiling_, 0.0f, duty_max());

  const float request = std::isfinite(duty_request) ? clampf(duty_request, 0.0f, 1.0f) : 0.0f;
  // The hysteresis compares the unclamped headroom (h is clamped to 1, below h_release).
  limiting_ = limiting_ ? worst.h < config_.h_release : worst.h < config_.h_engage;
  if (limiting_) {
    // Near or past a limit the limit loop owns the duty (the tracker's perturbations would
    // only disturb it); the tracker resumes once every limit has a headroom of 1 or more.
    duty_ = ceiling_;
    binding_ = worst.which;
  } else if (request <= ceiling_) {
    duty_ = request;
    binding_ = BindingLimit::kMppt;
  } else {
    duty_ = ceiling_;
    binding_ = ceiling_ >= duty_max() ? BindingLimit::kDutyMax : BindingLimit::kSoftStart;
  }

  // Diode emulation: output current estimated from the input power (the battery current
  // sensor does not see a load on the bus).
  const float i_out_est_a = m.v_bat_v > 0.5f ? p_in_w / m.v_bat_v : 0.0f;
  // Under voltage regulation at a small current one tick's duty correction can swing the
  // current through zero: no forced CCM there either.
  const bool cv_light =
      limiting_ && worst.which == BindingLimit::kVout && i_out_est_a < config_.i_ls_on_a;
  // With the low side off the buck is in discontinuous conduction exactly when the duty run
  // is below v_bat / v_pv (the switch node rests at v_bat in the idle part). Forcing CCM
  // there at the same duty would swing the inductor current negative (battery into the
  // panel) and the next tick would see a reversed current and stop it again: a limit cycle
  // at the CV point that no tail-current exit survives. So the low side switches only once
  // the converter runs in CCM on its own.
  const bool ccm = duty_run * m.v_pv_v >= m.v_bat_v;
  if (low_side_on_ && (i_out_est_a < config_.i_ls_off_a || cv_light)) {
    low_side_on_ = false;
  } else if (!low_side_on_ && i_out_est_a > config_.i_ls_on_a && !cv_light && ccm) {
    low_side_on_ = true;
  }

  // Light load: stop after a while with next to no input power.
  light_s_ = p_in_w < config_.p_sleep_w ? light_s_ + dt : 0.0f;
  if (light_s_ >= config_.sleep_after_s) {
    stop();
    out.actuation.pwm_enabled = false;
    out.actuation.low_side_enabled = false;
    return out;
  }

  out.actuation.duty = duty_;
  out.actuation.pwm_enabled = !pause;
  out.actuation.low_side_enabled = low_side_on_ && !pause;
  return out;
}

}  // namespace powerstack::charger
