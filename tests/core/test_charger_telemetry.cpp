// Telemetry data model: energy today/total against hand integrals, sunrise roll-over, noise
// statistics of a known signal, and impedances of known linear sources.
#include <cmath>

#include "charger_test_plant.hpp"
#include "harness/check.hpp"
#include "harness/rng.hpp"
#include "powerstack/telemetry/charger_telemetry.hpp"

using powerstack::charger::ChargeController;
using powerstack::charger::ChargeControllerConfig;
using powerstack::control::Measurements;
using powerstack::telemetry::ChargerTelemetry;

namespace {

ChargeControllerConfig lfp() {
  ChargeControllerConfig c;
  c.profile = &powerstack::charger::lifepo4_profile();
  return c;
}

Measurements sun(float v_pv, float i_pv, float v_bat, float i_bat) {
  Measurements m;
  m.v_pv_v = v_pv;
  m.i_pv_a = i_pv;
  m.v_bat_v = v_bat;
  m.i_bat_a = i_bat;
  return m;
}

}  // namespace

PS_TEST(telemetry_energy_today_and_total) {
  ps_test::TestTracker tracker;
  const ChargeController c(tracker, lfp());
  ChargerTelemetry t(3600.0f);
  // 1 h of 30 V x 5 A in, 26 V x 5.5 A into the battery: 150 Wh and 143 Wh.
  for (int k = 0; k <= 3600; ++k) {
    t.update(sun(30.0f, 5.0f, 26.0f, 5.5f), c, 1.0f);
  }
  PS_CHECK_NEAR(t.snapshot().pv_total_wh, 150.0, 0.01);
  PS_CHECK_NEAR(t.snapshot().pv_today_wh, 150.0, 0.01);
  PS_CHECK_NEAR(t.snapshot().bat_in_total_wh, 143.0, 0.01);
  // A 2 h night with a 13 W load, then a new day: today starts again, totals keep counting.
  for (int k = 0; k < 7200; ++k) {
    t.update(sun(0.0f, 0.0f, 26.0f, -0.5f), c, 1.0f);
  }
  PS_CHECK_NEAR(t.snapshot().bat_out_today_wh, 26.0, 0.05);
  for (int k = 0; k < 1800; ++k) {
    t.update(sun(30.0f, 2.0f, 26.0f, 2.0f), c, 1.0f);
  }
  PS_CHECK(t.snapshot().day == 1U);
  PS_CHECK_NEAR(t.snapshot().pv_today_wh, 30.0, 0.05);  // 60 W for 30 min
  PS_CHECK_NEAR(t.snapshot().pv_total_wh, 180.0, 0.05);
  PS_CHECK_NEAR(t.snapshot().bat_out_today_wh, 0.0, 0.01);
}

PS_TEST(telemetry_noise_sigma_and_peak_to_peak) {
  ps_test::TestTracker tracker;
  const ChargeController c(tracker, lfp());
  ChargerTelemetry t;
  for (int k = 0; k < 200; ++k) {
    const float s = (k % 2 == 0) ? 0.1f : -0.1f;
    t.update(sun(35.0f + s, 5.0f, 26.0f, 4.0f + 2.0f * s), c, 0.01f);
  }
  // Alternating +-a over 64 samples: sigma = a sqrt(64 / 63), P2P = 2a.
  PS_CHECK_NEAR(t.snapshot().pv.v_p2p_v, 0.2, 1e-5);
  PS_CHECK_NEAR(t.snapshot().pv.v_sigma_v, 0.1 * std::sqrt(64.0 / 63.0), 1e-4);
  PS_CHECK_NEAR(t.snapshot().bat.i_p2p_a, 0.4, 1e-5);
  PS_CHECK_NEAR(t.snapshot().pv.i_sigma_a, 0.0, 1e-6);
}

PS_TEST(telemetry_impedances_of_linear_ports) {
  ps_test::TestTracker tracker;
  const ChargeController c(tracker, lfp());
  ChargerTelemetry t;
  ps_test::Rng rng(5);
  PS_CHECK(!t.snapshot().bat_r_ready);
  for (int k = 0; k < 400; ++k) {
    const auto i_pv = static_cast<float>(rng.uniform(2.0, 8.0));
    const auto i_bat = static_cast<float>(rng.uniform(0.0, 10.0));
    // Panel near its MPP: 2 Ohm dynamic resistance; battery 50 mOhm.
    t.update(sun(45.0f - 2.0f * i_pv, i_pv, 26.0f + 0.05f * i_bat, i_bat), c, 0.01f);
  }
  PS_CHECK(t.snapshot().pv_r_ready);
  PS_CHECK(t.snapshot().bat_r_ready);
  PS_CHECK_NEAR(t.snapshot().pv_r_ohm, 2.0, 0.01);
  PS_CHECK_NEAR(t.snapshot().bat_r_ohm, 0.05, 0.001);
}
