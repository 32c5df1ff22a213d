// Converter control on the quasi-static test plant (charger_test_plant.hpp): start and soft
// start, the limit loops (CC, CV, input power), minimum low-side on-time, diode emulation,
// light-load stop.
#include "charger_test_plant.hpp"
#include "harness/check.hpp"
#include "powerstack/charger/converter_control.hpp"

using powerstack::charger::BindingLimit;
using powerstack::charger::ConverterCommand;
using powerstack::charger::ConverterConfig;
using powerstack::charger::ConverterControl;
using powerstack::charger::ConverterLimits;
using powerstack::control::Measurements;

namespace {

constexpr float kDt = 0.01f;

// Closes the loop for `ticks` ticks with the tracker steering; returns the last command.
ConverterCommand run(ConverterControl& c, ps_test::TestChargerPlant& plant,
                     ps_test::TestTracker& tracker, const ConverterLimits& lim, int ticks) {
  ConverterCommand cmd{};
  for (int k = 0; k < ticks; ++k) {
    const bool was = c.running();
    powerstack::mppt::TrackerCommand req{1.0f, false};
    if (was) {
      req = tracker.step({plant.m.v_pv_v, plant.m.i_pv_a, plant.m.v_bat_v, kDt}, c.duty());
    }
    cmd = c.step(plant.m, lim, true, req.duty, req.pause_converter, kDt);
    if (cmd.started) {
      tracker.reset(cmd.actuation.duty);
    }
    plant.apply(cmd.actuation);
  }
  return cmd;
}

ConverterLimits wide_limits() {
  return {40.0f, 60.0f, 40.0f, 5000.0f};
}

}  // namespace

PS_TEST(converter_starts_only_when_the_panel_is_above_the_battery) {
  ConverterControl c;
  Measurements m;
  m.v_bat_v = 26.0f;
  m.v_pv_v = 28.0f;  // below 26 x 1.05 + 1.5 = 28.8 V
  ConverterCommand cmd = c.step(m, wide_limits(), true, 1.0f, false, kDt);
  PS_CHECK(!c.running());
  PS_CHECK(!cmd.actuation.pwm_enabled);
  m.v_pv_v = 40.0f;
  cmd = c.step(m, wide_limits(), true, 1.0f, false, kDt);
  PS_CHECK(cmd.started);
  PS_CHECK(cmd.actuation.pwm_enabled);
  // Soft start at the duty where the buck drives no current, low side off.
  PS_CHECK_NEAR(cmd.actuation.duty, 26.0 / 40.0, 1e-5);
  PS_CHECK(!cmd.actuation.low_side_enabled);
}

PS_TEST(converter_soft_start_limits_the_rise_of_the_duty) {
  ConverterConfig cfg;
  ConverterControl c(cfg);
  Measurements m;
  m.v_bat_v = 20.0f;
  m.v_pv_v = 40.0f;
  float last = c.step(m, wide_limits(), true, 1.0f, false, kDt).actuation.duty;
  for (int k = 0; k < 50; ++k) {
    const float d = c.step(m, wide_limits(), true, 0.95f, false, kDt).actuation.duty;
    PS_CHECK(d - last <= cfg.slew_per_s * kDt + 1e-6f);
    PS_CHECK(d >= last);
    last = d;
  }
  PS_CHECK(c.binding() == BindingLimit::kSoftStart);
}

PS_TEST(converter_keeps_the_minimum_low_side_on_time) {
  ConverterConfig cfg;
  cfg.f_sw_hz = 39000.0f;
  cfg.t_ls_min_s = 1e-6f;
  ConverterControl c(cfg);
  Measurements m;
  m.v_bat_v = 20.0f;
  m.v_pv_v = 40.0f;
  float d = 0.0f;
  for (int k = 0; k < 1000; ++k) {
    d = c.step(m, wide_limits(), true, 1.0f, false, kDt).actuation.duty;
  }
  PS_CHECK_NEAR(d, 1.0 - 1e-6 * 39000.0, 1e-5);  // 0.961
}

PS_TEST(converter_current_limit_binds_on_a_strong_panel) {
  ps_test::TestChargerPlant plant;
  plant.panel.isc_a = 12.0f;
  ps_test::TestTracker tracker;
  ConverterControl c;
  ConverterLimits lim = wide_limits();
  lim.i_out_max_a = 5.0f;  // far below the ~15 A at the MPP
  plant.apply({});
  (void)run(c, plant, tracker, lim, 3000);
  PS_CHECK(c.binding() == BindingLimit::kIout);
  for (int k = 0; k < 100; ++k) {
    (void)run(c, plant, tracker, lim, 1);
    PS_CHECK_NEAR(plant.m.i_bat_a, 5.0, 0.5);
  }
}

PS_TEST(converter_voltage_limit_holds_the_cv_target) {
  ps_test::TestChargerPlant plant;
  plant.v_oc_v = 27.9f;
  plant.r_ohm = 0.1f;
  ps_test::TestTracker tracker;
  ConverterControl c;
  ConverterLimits lim = wide_limits();
  lim.v_out_max_v = 28.4f;  // 5 A at 0.1 Ohm; the panel could push ~10 A
  plant.apply({});
  (void)run(c, plant, tracker, lim, 3000);
  PS_CHECK(c.binding() == BindingLimit::kVout);
  for (int k = 0; k < 100; ++k) {
    (void)run(c, plant, tracker, lim, 1);
    PS_CHECK(plant.m.v_bat_v <= 28.4f * 1.005f);
    PS_CHECK(plant.m.v_bat_v >= 28.4f * 0.99f);
  }
}

PS_TEST(converter_input_power_limit_binds) {
  ps_test::TestChargerPlant plant;
  ps_test::TestTracker tracker;
  ConverterControl c;
  ConverterLimits lim = wide_limits();
  lim.p_in_max_w = 150.0f;
  plant.apply({});
  (void)run(c, plant, tracker, lim, 3000);
  PS_CHECK(c.binding() == BindingLimit::kPin);
  PS_CHECK_NEAR(plant.m.v_pv_v * plant.m.i_pv_a, 150.0, 150.0 * 0.06);
}

PS_TEST(converter_tracks_the_panel_when_no_limit_binds) {
  ps_test::TestChargerPlant plant;
  ps_test::TestTracker tracker;
  ConverterControl c;
  plant.apply({});
  (void)run(c, plant, tracker, wide_limits(), 3000);
  PS_CHECK(c.binding() == BindingLimit::kMppt);
  float p_sum = 0.0f;
  for (int k = 0; k < 100; ++k) {
    (void)run(c, plant, tracker, wide_limits(), 1);
    p_sum += plant.m.v_pv_v * plant.m.i_pv_a;
  }
  PS_CHECK(p_sum / 100.0f >= 0.98f * plant.panel.p_mpp());
}

PS_TEST(converter_diode_emulation_follows_the_output_current) {
  ConverterControl c;
  Measurements m;
  m.v_bat_v = 25.0f;
  m.v_pv_v = 40.0f;
  m.i_pv_a = 0.5f;  // 20 W in: 0.8 A out, between the thresholds: stays off
  (void)c.step(m, wide_limits(), true, 0.63f, false, kDt);
  PS_CHECK(!c.step(m, wide_limits(), true, 0.63f, false, kDt).actuation.low_side_enabled);
  m.i_pv_a = 1.0f;  // 1.6 A out
  PS_CHECK(c.step(m, wide_limits(), true, 0.63f, false, kDt).actuation.low_side_enabled);
  m.i_pv_a = 0.5f;  // hysteresis: still on
  PS_CHECK(c.step(m, wide_limits(), true, 0.63f, false, kDt).actuation.low_side_enabled);
  m.i_pv_a = -0.1f;  // reverse: off
  PS_CHECK(!c.step(m, wide_limits(), true, 0.63f, false, kDt).actuation.low_side_enabled);
}

// In DCM (low side off) the duty run sits below v_bat / v_pv: forcing CCM at that duty would
// reverse the current, so the low side waits until the converter is in CCM on its own.
PS_TEST(converter_low_side_waits_for_continuous_conduction) {
  ConverterControl c;
  Measurements m;
  m.v_bat_v = 28.4f;
  m.v_pv_v = 42.6f;  // start duty 2/3 (no current limit below)
  ConverterLimits lim = wide_limits();
  lim.i_out_max_a = 0.0f;
  (void)c.step(m, lim, true, 0.6667f, false, kDt);
  m.v_pv_v = 39.4f;  // measured at duty 0.6667: 0.6667 x 39.4 = 26.3 V < 28.4 V, DCM
  m.i_pv_a = 1.84f;  // 2.55 A out, above the 1.5 A threshold
  PS_CHECK(!c.step(m, lim, true, 0.6667f, false, kDt).actuation.low_side_enabled);
  m.v_pv_v = 42.0f;  // 0.6667 x 42.0 = 28.0 V: still DCM
  PS_CHECK(!c.step(m, lim, true, 0.6667f, false, kDt).actuation.low_side_enabled);
  m.v_pv_v = 43.0f;  // 0.6667 x 43.0 = 28.67 V >= 28.4 V: CCM
  PS_CHECK(c.step(m, lim, true, 0.6667f, false, kDt).actuation.low_side_enabled);
}

// A small battery's current limit: the first duty drives half of it in DCM, from the closed
// form I = D^2 v_pv (v_pv - v_bat) / (2 L f v_bat), instead of CCM's no-current duty (which
// would drive ~3.5 A here).
PS_TEST(converter_soft_start_begins_below_a_small_current_limit) {
  ConverterConfig cfg;
  ConverterControl c(cfg);
  Measurements m;
  m.v_bat_v = 24.84f;
  m.v_pv_v = 40.44f;
  ConverterLimits lim = wide_limits();
  lim.i_out_max_a = 2.0f;
  const float d = c.step(m, lim, true, 1.0f, false, kDt).actuation.duty;
  const double i_dcm = static_cast<double>(d) * static_cast<double>(d) * 40.44 * (40.44 - 24.84) /
                       (2.0 * 33e-6 * 39000.0 * 24.84);
  PS_CHECK_NEAR(i_dcm, 1.0, 0.01);
  PS_CHECK(d < 24.84f / 40.44f);
}

// After a limit let go (every headroom above h_release) the tracker steers again.
PS_TEST(converter_gives_the_duty_back_after_a_limit) {
  ConverterControl c;
  Measurements m;
  m.v_bat_v = 28.5f;  // above the 28.4 V CV target: the limit loop takes the duty
  m.v_pv_v = 40.0f;
  m.i_pv_a = 5.0f;
  ConverterLimits lim = wide_limits();
  lim.v_out_max_v = 28.4f;
  (void)c.step(m, lim, true, 0.7f, false, kDt);
  (void)c.step(m, lim, true, 0.7f, false, kDt);
  PS_CHECK(c.binding() == BindingLimit::kVout);
  m.v_bat_v = 26.0f;  // headroom (28.4 - 26) / 0.284 = 8.5
  float d = 0.0f;
  for (int k = 0; k < 10; ++k) {
    d = c.step(m, lim, true, 0.6f, false, kDt).actuation.duty;
  }
  PS_CHECK(c.binding() == BindingLimit::kMppt);
  PS_CHECK_NEAR(d, 0.6, 1e-6);
}

PS_TEST(converter_stops_at_light_load_and_waits_before_restarting) {
  ConverterConfig cfg;
  ConverterControl c(cfg);
  Measurements m;
  m.v_bat_v = 25.0f;
  m.v_pv_v = 40.0f;
  m.i_pv_a = 0.01f;  // 0.4 W
  (void)c.step(m, wide_limits(), true, 0.63f, false, kDt);
  PS_CHECK(c.running());
  const int ticks = static_cast<int>(cfg.sleep_after_s / kDt);
  for (int k = 0; k < ticks - 5; ++k) {
    (void)c.step(m, wide_limits(), true, 0.63f, false, kDt);
  }
  PS_CHECK(c.running());
  for (int k = 0; k < 10; ++k) {
    (void)c.step(m, wide_limits(), true, 0.63f, false, kDt);
  }
  PS_CHECK(!c.running());
  (void)c.step(m, wide_limits(), true, 0.63f, false, kDt);
  PS_CHECK(!c.running());  // restart delay
}

PS_TEST(converter_pause_and_veto_switch_off) {
  ConverterControl c;
  Measurements m;
  m.v_bat_v = 25.0f;
  m.v_pv_v = 40.0f;
  m.i_pv_a = 5.0f;
  (void)c.step(m, wide_limits(), true, 0.63f, false, kDt);
  PS_CHECK(!c.step(m, wide_limits(), true, 0.63f, true, kDt).actuation.pwm_enabled);
  PS_CHECK(c.running());  // a pause is not a stop
  PS_CHECK(!c.step(m, wide_limits(), false, 0.63f, false, kDt).actuation.pwm_enabled);
  PS_CHECK(!c.running());
}
