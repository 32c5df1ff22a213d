#include "powerstack/charger/charge_controller.hpp"

namespace powerstack::charger {

ChargeController::ChargeController(mppt::Tracker& tracker, const ChargeControllerConfig& config)
    : tracker_(tracker), config_(config), converter_(config.converter) {
  configured_ =
      charger_.configure({config.profile, config.n_cells, config.capacity_ah, config.i_out_max_a});
  protection::ProtectionConfig pc = config.protection;
  if (configured_) {
    v_idle_ref_v_ = charger_.compensated_v(config.profile->v_absorb_cell_v, 25.0f);
    pc.v_out_short_v = 0.4f * v_idle_ref_v_;
  }
  protection_.configure(pc);
  ov_ref_v_ = v_idle_ref_v_;
  follow_target(v_idle_ref_v_);
}

void ChargeController::follow_target(float v_target_v) {
  const float trip = v_target_v * (1.0f + config_.ov_margin_rel);
  protection_.set_output_over_voltage(trip, v_target_v);
  comparator_v_ = trip + config_.comparator_margin_v;
}

control::Actuation ChargeController::step(const control::Measurements& m, float dt_s) {
  const bool was_running = converter_.running();
  verdict_ = protection_.update(m, was_running, converter_.duty(), dt_s);
  target_ = charger_.step(m.v_bat_v, m.i_bat_a, m.t_bat_c, dt_s);
  if (configured_) {
    // The over-voltage reference follows a lower target (equalise or absorption -> float)
    // only once the battery is below it: the battery relaxes from the higher voltage over
    // minutes with the converter idle, which is no fault.
    const float v_ref = target_.charge ? target_.v_target_v : v_idle_ref_v_;
    if (v_ref >= ov_ref_v_ || m.v_bat_v <= v_ref) {
      ov_ref_v_ = v_ref;
    }
    follow_target(ov_ref_v_);
  }

  ConverterLimits limits;
  limits.v_out_max_v = target_.v_target_v;
  const float i_cap =
      target_.i_limit_a < config_.i_out_max_a ? target_.i_limit_a : config_.i_out_max_a;
  limits.i_out_max_a = i_cap * verdict_.current_scale;
  limits.i_in_max_a = config_.i_in_max_a;
  limits.p_in_max_w = config_.p_in_max_w;
  const bool allowed = configured_ && verdict_.allow && target_.charge &&
                       limits.i_out_max_a > 0.0f && !m.v_bat_trip_latched && !m.i_pv_trip_latched;

  // The tracker steers only a running converter; a start begins at the converter's own
  // no-current duty, so the request is left open (1) and the tracker resets there.
  mppt::TrackerCommand request{1.0f, false};
  if (allowed && was_running) {
    request = tracker_.step({m.v_pv_v, m.i_pv_a, m.v_bat_v, dt_s}, converter_.duty());
  }
  ConverterCommand cmd =
      converter_.step(m, limits, allowed, request.duty, request.pause_converter, dt_s);
  if (cmd.started) {
    tracker_.reset(cmd.actuation.duty);
  }
  cmd.actuation.v_bat_trip_v = comparator_v_;
  cmd.actuation.i_pv_trip_a = config_.i_pv_reverse_trip_a;
  // The input switch conducts only while the converter switches: at night, during a pause
  // or after a trip its body diode blocks the battery from feeding the panel.
  cmd.actuation.input_switch_on = cmd.actuation.pwm_enabled;
  return cmd.actuation;
}

}  // namespace powerstack::charger
