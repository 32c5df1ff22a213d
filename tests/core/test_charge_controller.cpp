// The composed controller on the quasi-static test plant: tracking, the charge limit, the
// hardware comparator, derating, and the thresholds it derives from the profile.
#include "charger_test_plant.hpp"
#include "harness/check.hpp"
#include "powerstack/charger/charge_controller.hpp"

using powerstack::charger::ChargeController;
using powerstack::charger::ChargeControllerConfig;
using powerstack::charger::ChargeState;
using powerstack::charger::lifepo4_profile;
using powerstack::control::Actuation;
using powerstack::protection::TripReason;

namespace {

constexpr float kDt = 0.01f;

ChargeControllerConfig lfp_config() {
  ChargeControllerConfig c;
  c.profile = &lifepo4_profile();
  c.n_cells = 8;
  c.capacity_ah = 100.0f;
  return c;
}

Actuation run(ChargeController& c, ps_test::TestChargerPlant& plant, int ticks) {
  Actuation a{};
  for (int k = 0; k < ticks; ++k) {
    a = c.step(plant.m, kDt);
    plant.apply(a);
  }
  return a;
}

}  // namespace

PS_TEST(controller_derives_protection_thresholds_from_the_profile) {
  ps_test::TestTracker tracker;
  ChargeController c(tracker, lfp_config());
  PS_CHECK(c.configured());
  // 8 x 3.55 V x 1.05 = 29.82 V software trip and comparator; release below 28.4 V.
  PS_CHECK_NEAR(c.protection().config().v_out_max_v, 29.82, 1e-3);
  PS_CHECK_NEAR(c.comparator_v(), 29.82, 1e-3);
  PS_CHECK_NEAR(c.protection().config().v_out_max_release_v, 28.4, 1e-3);
  // 8 x 0.4 x 3.55 V: below it, with the converter switching, the output is shorted.
  PS_CHECK_NEAR(c.protection().config().v_out_short_v, 11.36, 1e-3);
}

PS_TEST(controller_over_voltage_threshold_follows_the_target) {
  ps_test::TestTracker tracker;
  ChargeControllerConfig cfg = lfp_config();
  cfg.profile = &powerstack::charger::lead_acid_flooded_profile();
  cfg.n_cells = 12;
  ChargeController c(tracker, cfg);
  c.charger().request_equalise();
  ps_test::TestChargerPlant plant;
  plant.v_oc_v = 24.0f;
  plant.apply({});
  (void)c.step(plant.m, kDt);
  PS_CHECK_NEAR(c.comparator_v(), 12.0 * 2.40 * 1.05, 1e-3);  // absorption target
  plant.m.v_bat_v = 28.81f;                                   // at absorption
  plant.m.i_bat_a = 1.0f;                                     // below the 4 % tail
  for (int k = 0; k < 3200; ++k) {
    (void)c.step(plant.m, kDt);
  }
  PS_CHECK(c.charger().state() == ChargeState::kEqualise);
  PS_CHECK_NEAR(c.comparator_v(), 12.0 * 2.50 * 1.05, 1e-3);
}

PS_TEST(controller_tracks_the_panel_in_bulk) {
  ps_test::TestChargerPlant plant;
  ps_test::TestTracker tracker;
  ChargeController c(tracker, lfp_config());
  plant.apply({});
  (void)run(c, plant, 3000);
  PS_CHECK(c.charger().state() == ChargeState::kBulk);
  PS_CHECK(tracker.steps() > 2000);
  float p = 0.0f;
  for (int k = 0; k < 100; ++k) {
    (void)run(c, plant, 1);
    p += plant.m.v_pv_v * plant.m.i_pv_a;
  }
  PS_CHECK(p / 100.0f >= 0.98f * plant.panel.p_mpp());
}

PS_TEST(controller_limits_the_charge_current) {
  ps_test::TestChargerPlant plant;
  plant.panel.isc_a = 25.0f;  // ~900 W at the MPP: ~34 A into 26 V
  ps_test::TestTracker tracker;
  ChargeControllerConfig cfg = lfp_config();
  cfg.i_out_max_a = 20.0f;
  ChargeController c(tracker, cfg);
  plant.apply({});
  (void)run(c, plant, 4000);
  for (int k = 0; k < 100; ++k) {
    (void)run(c, plant, 1);
    PS_CHECK(plant.m.i_bat_a <= 20.0f * 1.05f);
  }
  PS_CHECK(plant.m.i_bat_a >= 20.0f * 0.9f);
}

PS_TEST(controller_stops_when_the_comparator_latches_and_logs_it) {
  ps_test::TestChargerPlant plant;
  ps_test::TestTracker tracker;
  ChargeController c(tracker, lfp_config());
  plant.apply({});
  Actuation a = run(c, plant, 500);
  PS_CHECK(a.pwm_enabled);
  PS_CHECK_NEAR(a.v_bat_trip_v, c.comparator_v(), 1e-6);
  plant.m.v_bat_trip_latched = true;  // the hardware stopped the PWM between ticks
  a = c.step(plant.m, kDt);
  PS_CHECK(!a.pwm_enabled);
  PS_CHECK(c.protection().log().count(TripReason::kOutputOverVoltageFast) == 1);
}

PS_TEST(controller_derates_the_current_when_hot) {
  ps_test::TestChargerPlant plant;
  plant.panel.isc_a = 12.0f;
  ps_test::TestTracker tracker;
  ChargeController c(tracker, lfp_config());
  plant.apply({});
  (void)run(c, plant, 2000);
  const float i_cool = plant.m.i_bat_a;
  plant.t_c = 85.0f;  // FET 70..90 C: a quarter of the 30 A limit
  (void)run(c, plant, 3000);
  PS_CHECK(i_cool > 10.0f);
  PS_CHECK(plant.m.i_bat_a <= 0.25f * 30.0f * 1.05f);
  PS_CHECK(c.verdict().allow);
}

PS_TEST(controller_does_not_charge_a_cold_lifepo4_battery) {
  ps_test::TestChargerPlant plant;
  plant.t_c = -5.0f;
  ps_test::TestTracker tracker;
  ChargeController c(tracker, lfp_config());
  plant.apply({});
  const Actuation a = run(c, plant, 1000);
  PS_CHECK(!a.pwm_enabled);
  PS_CHECK(c.charger().state() == ChargeState::kInhibited);
}
