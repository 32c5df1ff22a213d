// Charger state machine: one test per state and exit, numbers from the profiles' sources
// (LibreSolar bat_charger.cpp / EN 62509), recomputed here by hand.
#include "harness/check.hpp"
#include "powerstack/charger/battery_charger.hpp"

using powerstack::charger::BatteryCharger;
using powerstack::charger::ChargeState;
using powerstack::charger::ChargeTarget;
using powerstack::charger::find_charge_profile;
using powerstack::charger::lead_acid_agm_profile;
using powerstack::charger::lead_acid_flooded_profile;
using powerstack::charger::lifepo4_profile;

namespace {

BatteryCharger lfp_8s() {
  BatteryCharger c;
  (void)c.configure({&lifepo4_profile(), 8, 100.0f, 30.0f});
  return c;
}

// Runs `seconds` of 1 s ticks at a fixed reading; returns the last target.
ChargeTarget hold(BatteryCharger& c, float v, float i, float t_c, int seconds) {
  ChargeTarget t{};
  for (int k = 0; k < seconds; ++k) {
    t = c.step(v, i, t_c, 1.0f);
  }
  return t;
}

}  // namespace

PS_TEST(charger_bulk_targets_the_absorption_voltage_and_current_limit) {
  BatteryCharger c = lfp_8s();
  const ChargeTarget t = c.step(26.0f, 20.0f, 25.0f, 0.01f);
  PS_CHECK(c.state() == ChargeState::kBulk);
  PS_CHECK(t.charge);
  PS_CHECK_NEAR(t.v_target_v, 8.0 * 3.55, 1e-4);
  // 0.5 C of 100 Ah = 50 A, capped by the 30 A of the configuration.
  PS_CHECK_NEAR(t.i_limit_a, 30.0, 1e-5);
}

PS_TEST(charger_enters_absorption_at_the_cv_voltage) {
  BatteryCharger c = lfp_8s();
  (void)hold(c, 28.0f, 20.0f, 25.0f, 10);
  PS_CHECK(c.state() == ChargeState::kBulk);
  (void)c.step(28.41f, 20.0f, 25.0f, 1.0f);
  PS_CHECK(c.state() == ChargeState::kAbsorption);
}

PS_TEST(charger_tail_current_ends_lifepo4_absorption_without_float) {
  BatteryCharger c = lfp_8s();
  (void)c.step(28.41f, 20.0f, 25.0f, 1.0f);
  // C/10 = 10 A; 9 A at the CV voltage for 29 s: not yet (30 s hold).
  (void)hold(c, 28.40f, 9.0f, 25.0f, 29);
  PS_CHECK(c.state() == ChargeState::kAbsorption);
  const ChargeTarget t = hold(c, 28.40f, 9.0f, 25.0f, 2);
  PS_CHECK(c.state() == ChargeState::kFull);
  PS_CHECK(!t.charge);  // no float, no trickle for LiFePO4
}

PS_TEST(charger_weak_sun_below_the_cv_voltage_is_not_a_full_battery) {
  BatteryCharger c = lfp_8s();
  (void)c.step(28.41f, 20.0f, 25.0f, 1.0f);
  // Current below the tail, but the voltage sags 1 % below the target: no exit.
  (void)hold(c, 28.1f, 2.0f, 25.0f, 600);
  PS_CHECK(c.state() == ChargeState::kAbsorption);
}

PS_TEST(charger_absorption_time_limit_counts_time_at_the_target_only) {
  BatteryCharger c = lfp_8s();
  (void)c.step(28.41f, 20.0f, 25.0f, 1.0f);
  (void)hold(c, 28.0f, 20.0f, 25.0f, 3600);  // an hour under a cloud: not counted
  (void)hold(c, 28.4f, 20.0f, 25.0f, 7190);
  PS_CHECK(c.state() == ChargeState::kAbsorption);
  (void)hold(c, 28.4f, 20.0f, 25.0f, 20);  // 2 h at the target
  PS_CHECK(c.state() == ChargeState::kFull);
}

PS_TEST(charger_full_restarts_below_the_recharge_voltage) {
  BatteryCharger c = lfp_8s();
  (void)c.step(28.41f, 20.0f, 25.0f, 1.0f);
  (void)hold(c, 28.4f, 1.0f, 25.0f, 40);
  PS_CHECK(c.state() == ChargeState::kFull);
  (void)hold(c, 26.9f, -1.0f, 25.0f, 120);  // above 8 x 3.35 = 26.8 V
  PS_CHECK(c.state() == ChargeState::kFull);
  (void)hold(c, 26.7f, -1.0f, 25.0f, 59);
  PS_CHECK(c.state() == ChargeState::kFull);
  const ChargeTarget t = hold(c, 26.7f, -1.0f, 25.0f, 2);
  PS_CHECK(c.state() == ChargeState::kBulk);
  PS_CHECK(t.charge);
}

PS_TEST(charger_lead_acid_floats_and_returns_to_bulk_after_30_min_low) {
  BatteryCharger c;
  PS_CHECK(c.configure({&lead_acid_agm_profile(), 6, 100.0f, 50.0f}));
  (void)c.step(14.41f, 10.0f, 25.0f, 1.0f);
  PS_CHECK(c.state() == ChargeState::kAbsorption);
  const ChargeTarget f = hold(c, 14.40f, 3.0f, 25.0f, 31);  // tail 4 % of 100 Ah
  PS_CHECK(c.state() == ChargeState::kFloat);
  PS_CHECK(f.charge);
  PS_CHECK_NEAR(f.v_target_v, 6.0 * 2.30, 1e-4);
  (void)hold(c, 13.1f, -5.0f, 25.0f, 1799);  // below 6 x 2.20 = 13.2 V
  PS_CHECK(c.state() == ChargeState::kFloat);
  (void)hold(c, 13.1f, -5.0f, 25.0f, 2);
  PS_CHECK(c.state() == ChargeState::kBulk);
}

PS_TEST(charger_flooded_lead_acid_equalises_when_requested_then_floats) {
  BatteryCharger c;
  PS_CHECK(c.configure({&lead_acid_flooded_profile(), 6, 70.0f, 50.0f}));
  c.request_equalise();
  (void)c.step(14.41f, 10.0f, 25.0f, 1.0f);
  const ChargeTarget e = hold(c, 14.40f, 2.0f, 25.0f, 31);
  PS_CHECK(c.state() == ChargeState::kEqualise);
  PS_CHECK_NEAR(e.v_target_v, 6.0 * 2.50, 1e-4);
  PS_CHECK_NEAR(e.i_limit_a, 70.0 / 7.0, 1e-4);  // C/7
  (void)hold(c, 15.0f, 2.0f, 25.0f, 3599);
  PS_CHECK(c.state() == ChargeState::kEqualise);
  const ChargeTarget f = hold(c, 15.0f, 2.0f, 25.0f, 2);
  PS_CHECK(c.state() == ChargeState::kFloat);
  PS_CHECK_NEAR(f.v_target_v, 6.0 * 2.35, 1e-4);
}

PS_TEST(charger_agm_never_equalises) {
  BatteryCharger c;
  PS_CHECK(c.configure({&lead_acid_agm_profile(), 6, 100.0f, 50.0f}));
  c.request_equalise();
  (void)c.step(14.41f, 10.0f, 25.0f, 1.0f);
  (void)hold(c, 14.40f, 2.0f, 25.0f, 31);
  PS_CHECK(c.state() == ChargeState::kFloat);
}

PS_TEST(charger_lead_acid_voltage_is_temperature_compensated) {
  BatteryCharger c;
  PS_CHECK(c.configure({&lead_acid_agm_profile(), 6, 100.0f, 50.0f}));
  // -3 mV/K per cell: 6 x (2.40 - 0.003 x 10) at 35 C, 6 x (2.40 + 0.003 x 25) at 0 C.
  PS_CHECK_NEAR(c.step(12.5f, 5.0f, 35.0f, 1.0f).v_target_v, 14.22, 1e-3);
  PS_CHECK_NEAR(c.step(12.5f, 5.0f, 0.0f, 1.0f).v_target_v, 14.85, 1e-3);
  // LiFePO4 has no compensation.
  BatteryCharger l = lfp_8s();
  PS_CHECK_NEAR(l.step(26.0f, 5.0f, 40.0f, 1.0f).v_target_v, 28.4, 1e-4);
}

PS_TEST(charger_lifepo4_is_inhibited_below_freezing_with_hysteresis) {
  BatteryCharger c = lfp_8s();
  PS_CHECK(c.step(26.0f, 5.0f, 5.0f, 1.0f).charge);
  PS_CHECK(!c.step(26.0f, 5.0f, -0.5f, 1.0f).charge);
  PS_CHECK(c.state() == ChargeState::kInhibited);
  PS_CHECK(!c.step(26.0f, 0.0f, 1.0f, 1.0f).charge);  // inside, but within the 3 K margin
  PS_CHECK(c.step(26.0f, 0.0f, 3.5f, 1.0f).charge);
  PS_CHECK(c.state() == ChargeState::kBulk);
  PS_CHECK(!c.step(26.0f, 5.0f, 51.0f, 1.0f).charge);          // and above 50 C
  PS_CHECK(!c.step(26.0f, 5.0f, 1e30f * 1e30f, 1.0f).charge);  // a broken sensor (inf)
}

PS_TEST(charger_refuses_an_invalid_configuration) {
  BatteryCharger c;
  PS_CHECK(!c.configure({nullptr, 8, 100.0f, 30.0f}));
  PS_CHECK(!c.step(26.0f, 0.0f, 25.0f, 1.0f).charge);
  PS_CHECK(!c.configure({&lifepo4_profile(), 0, 100.0f, 30.0f}));
  PS_CHECK(!c.configure({&lifepo4_profile(), 8, 0.0f, 30.0f}));
}

PS_TEST(charger_profiles_are_found_by_name) {
  PS_CHECK(find_charge_profile("lifepo4") == &lifepo4_profile());
  PS_CHECK(find_charge_profile("lead-acid-flooded") == &lead_acid_flooded_profile());
  PS_CHECK(find_charge_profile("li-ion-nmc") != nullptr);
  PS_CHECK(find_charge_profile("nicd") == nullptr);
  PS_CHECK(find_charge_profile(nullptr) == nullptr);
}
