// One test per protection: trip threshold, release threshold (hysteresis), retry delay, the
// logged reason code; then the sensor checks and the bounded log.
#include <cmath>
#include <cstdint>

#include "harness/check.hpp"
#include "powerstack/protection/protection_monitor.hpp"

using powerstack::control::Measurements;
using powerstack::protection::ProtectionConfig;
using powerstack::protection::ProtectionMonitor;
using powerstack::protection::ProtectionVerdict;
using powerstack::protection::TripLog;
using powerstack::protection::TripReason;

namespace {

constexpr float kDt = 0.01f;

ProtectionConfig config() {
  ProtectionConfig c;
  c.v_out_max_v = 29.8f;
  c.v_out_max_release_v = 28.4f;
  c.v_out_short_v = 11.0f;
  c.retry_s = 1.0f;
  return c;
}

Measurements normal() {
  Measurements m;
  m.v_pv_v = 38.0f;
  m.i_pv_a = 8.0f;
  m.v_bat_v = 27.0f;
  m.i_bat_a = 10.0f;
  return m;
}

// Runs `ticks` ticks at m (the duty wobbles as a tracker's would); returns the last verdict.
ProtectionVerdict run(ProtectionMonitor& p, const Measurements& m, int ticks, bool running = true) {
  ProtectionVerdict v{};
  for (int k = 0; k < ticks; ++k) {
    v = p.update(m, running, 0.7f + 0.003f * static_cast<float>(k % 3), kDt);
  }
  return v;
}

// A trip when `bad` is applied, blocking until `good` has held for the retry delay.
void check_trip_and_release(TripReason reason, const Measurements& bad, const Measurements& good,
                            bool running = true) {
  ProtectionMonitor p;
  p.configure(config());
  PS_CHECK(run(p, normal(), 10, running).allow);
  const ProtectionVerdict v = run(p, bad, 1, running);
  PS_CHECK(!v.allow);
  PS_CHECK(v.blocking == reason);
  PS_CHECK(p.log().count(reason) == 1);
  PS_CHECK(!run(p, good, 95, false).allow);  // 1 s retry delay
  PS_CHECK(run(p, good, 10, false).allow);
  bool release_logged = false;  // the release is logged too
  for (std::size_t i = 0; i < p.log().size(); ++i) {
    release_logged = release_logged || (p.log().at(i).reason == reason && !p.log().at(i).tripped);
  }
  PS_CHECK(release_logged);
}

}  // namespace

PS_TEST(protection_input_over_voltage_with_hysteresis) {
  Measurements bad = normal();
  bad.v_pv_v = 81.0f;
  Measurements between = normal();
  between.v_pv_v = 77.0f;  // below the trip, above the 75 V release
  ProtectionMonitor p;
  p.configure(config());
  PS_CHECK(!run(p, bad, 1).allow);
  PS_CHECK(!run(p, between, 500, false).allow);
  check_trip_and_release(TripReason::kInputOverVoltage, bad, normal());
}

PS_TEST(protection_input_under_voltage) {
  Measurements bad = normal();
  bad.v_pv_v = 8.0f;
  Measurements good = normal();
  good.v_pv_v = 10.5f;
  check_trip_and_release(TripReason::kInputUnderVoltage, bad, good, false);
}

PS_TEST(protection_output_over_voltage_releases_below_the_charge_voltage) {
  Measurements bad = normal();
  bad.v_bat_v = 30.0f;
  Measurements between = normal();
  between.v_bat_v = 29.0f;
  ProtectionMonitor p;
  p.configure(config());
  PS_CHECK(!run(p, bad, 1).allow);
  PS_CHECK(!run(p, between, 500, false).allow);
  check_trip_and_release(TripReason::kOutputOverVoltage, bad, normal());
}

PS_TEST(protection_comparator_latch_is_logged_as_the_fast_path) {
  Measurements bad = normal();
  bad.v_bat_trip_latched = true;  // the tick itself sees a voltage already back in range
  check_trip_and_release(TripReason::kOutputOverVoltageFast, bad, normal());
}

PS_TEST(protection_output_over_current) {
  Measurements bad = normal();
  bad.i_bat_a = 36.0f;
  bad.i_pv_a = 27.0f;
  check_trip_and_release(TripReason::kOutputOverCurrent, bad, normal());
}

PS_TEST(protection_output_short_only_while_switching) {
  Measurements bad = normal();
  bad.v_bat_v = 3.0f;
  ProtectionMonitor p;
  p.configure(config());
  PS_CHECK(run(p, bad, 10, false).allow);  // converter off: nothing to protect
  check_trip_and_release(TripReason::kOutputShort, bad, normal());
}

PS_TEST(protection_pv_back_feed) {
  Measurements bad = normal();
  bad.i_pv_a = -2.0f;
  // A reverse current shorter than backfeed_s (50 ms) is a transient, not a back-feed.
  ProtectionMonitor p;
  p.configure(config());
  PS_CHECK(run(p, bad, 4).allow);
  PS_CHECK(!run(p, bad, 2).allow);
  PS_CHECK(p.active(TripReason::kPvBackfeed));
  // The input comparator's latch trips at once.
  Measurements latched = normal();
  latched.i_pv_trip_latched = true;
  check_trip_and_release(TripReason::kPvBackfeed, latched, normal());
}

PS_TEST(protection_input_short) {
  Measurements bad = normal();
  bad.v_pv_v = 0.5f;
  bad.i_pv_a = 0.0f;
  ProtectionMonitor p;
  p.configure(config());
  const ProtectionVerdict v = run(p, bad, 1);
  PS_CHECK(!v.allow);
  PS_CHECK(p.active(TripReason::kInputShort));
}

PS_TEST(protection_over_temperature_derates_before_shutting_down) {
  ProtectionMonitor p;
  p.configure(config());
  Measurements m = normal();
  m.t_fet_c = 60.0f;
  PS_CHECK_NEAR(run(p, m, 1).current_scale, 1.0, 1e-6);
  m.t_fet_c = 80.0f;  // halfway from 70 to 90 C
  ProtectionVerdict v = run(p, m, 1);
  PS_CHECK(v.allow);
  PS_CHECK_NEAR(v.current_scale, 0.5, 1e-5);
  m.t_coil_c = 118.75f;  // coil 100..125 C: 0.25, the smaller one rules
  PS_CHECK_NEAR(run(p, m, 1).current_scale, 0.25, 1e-4);
  Measurements hot = normal();
  hot.t_fet_c = 91.0f;
  Measurements cooler = normal();
  cooler.t_fet_c = 85.0f;  // not below 90 - 10
  PS_CHECK(!run(p, hot, 1).allow);
  PS_CHECK(!run(p, cooler, 1000, false).allow);
  Measurements cool = normal();
  cool.t_fet_c = 79.0f;
  check_trip_and_release(TripReason::kOverTemperature, hot, cool);
}

PS_TEST(protection_sensor_implausible_values) {
  Measurements nan_v = normal();
  nan_v.v_bat_v = std::nanf("");
  check_trip_and_release(TripReason::kSensorImplausible, nan_v, normal());
  Measurements open_ntc = normal();
  open_ntc.t_fet_c = -60.0f;
  check_trip_and_release(TripReason::kSensorImplausible, open_ntc, normal());
  Measurements negative = normal();
  negative.v_pv_v = -5.0f;
  check_trip_and_release(TripReason::kSensorImplausible, negative, normal());
}

PS_TEST(protection_sensor_power_balance_is_plausible_or_trips) {
  ProtectionMonitor p;
  p.configure(config());
  Measurements m = normal();
  m.i_bat_a = 20.0f;              // 540 W out of 304 W in
  PS_CHECK(run(p, m, 95).allow);  // held 1 s before a verdict
  PS_CHECK(!run(p, m, 10).allow);
  PS_CHECK(p.active(TripReason::kSensorImplausible));
}

PS_TEST(protection_sensor_saturated_at_full_scale) {
  ProtectionConfig c = config();
  c.sensors.i_in_fs_a = 20.0f;
  ProtectionMonitor p;
  p.configure(c);
  Measurements m = normal();
  PS_CHECK(run(p, m, 5).allow);
  m.i_pv_a = 19.95f;
  PS_CHECK(!run(p, m, 1).allow);
  PS_CHECK(p.active(TripReason::kSensorSaturated));
}

PS_TEST(protection_sensor_stuck_needs_a_moving_duty) {
  ProtectionMonitor p;
  p.configure(config());
  const Measurements m = normal();  // every reading frozen
  // Duty constant: a frozen reading proves nothing.
  for (int k = 0; k < 500; ++k) {
    PS_CHECK(p.update(m, true, 0.7f, kDt).allow);
  }
  // Duty moving while the readings stay bit-for-bit equal: stuck after 2 s.
  Measurements moved = m;
  moved.v_pv_v += 0.01f;
  moved.i_pv_a += 0.01f;
  moved.v_bat_v += 0.01f;
  moved.i_bat_a += 0.01f;
  (void)run(p, moved, 1);
  ProtectionVerdict v{};
  for (int k = 0; k < 150; ++k) {
    v = run(p, m, 1);
  }
  PS_CHECK(v.allow);
  v = run(p, m, 60);
  PS_CHECK(!v.allow);
  PS_CHECK(v.blocking == TripReason::kSensorStuck);
}

PS_TEST(protection_retry_delay_doubles_on_repeated_trips) {
  ProtectionMonitor p;
  p.configure(config());
  Measurements bad = normal();
  bad.i_bat_a = 36.0f;  // over-current
  bad.i_pv_a = 27.0f;
  int released_after[3] = {0, 0, 0};
  for (int trip = 0; trip < 3; ++trip) {
    PS_CHECK(!run(p, bad, 1).allow);
    int ticks = 0;
    while (!run(p, normal(), 1, false).allow && ticks < 10000) {
      ++ticks;
    }
    released_after[trip] = ticks;
  }
  PS_CHECK_NEAR(released_after[0], 100, 2);  // 1 s
  PS_CHECK_NEAR(released_after[1], 200, 2);  // 2 s
  PS_CHECK_NEAR(released_after[2], 400, 2);  // 4 s
}

PS_TEST(protection_log_is_bounded_and_counts_what_it_dropped) {
  TripLog log;
  for (std::uint32_t k = 0; k < 40; ++k) {
    log.add({k, TripReason::kPvBackfeed, true, static_cast<float>(k)});
  }
  PS_CHECK(log.size() == TripLog::kCapacity);
  PS_CHECK(log.total() == 40U);
  PS_CHECK(log.dropped() == 40U - TripLog::kCapacity);
  PS_CHECK(log.at(0).t_ms == 40U - TripLog::kCapacity);  // oldest kept
  PS_CHECK(log.at(log.size() - 1).t_ms == 39U);
}

PS_TEST(protection_uptime_counts_milliseconds_without_drift) {
  ProtectionMonitor p;
  p.configure(config());
  for (int k = 0; k < 20000; ++k) {
    (void)p.update(normal(), false, 0.0f, 0.001f);
  }
  PS_CHECK_NEAR(p.uptime_ms(), 20000.0, 2.0);
}
