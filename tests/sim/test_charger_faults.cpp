// Fault injection on the twin: the charge controller (core) against the solar-charger plant
// with a fault event mid-run. Each test states the safe outcome it asserts and its limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "charger_twin.hpp"
#include "powerstack/charger/charge_profile.hpp"

namespace {

using powerstack::charger::ChargeControllerConfig;
using powerstack::protection::TripReason;
using powerstack::sim::Plant;
using powerstack::sim::ProbeSeries;
using powerstack::sim::SolarChargerPlant;

constexpr double kTick = 0.01;  // control period (100 Hz)

ChargeControllerConfig lfp_8s() {
  ChargeControllerConfig c;
  c.profile = &powerstack::charger::lifepo4_profile();
  c.n_cells = 8;
  c.capacity_ah = 100.0;
  return c;
}

const ProbeSeries& probe(const ps_test::ChargerTwin& t, const std::string& name) {
  for (const auto& p : t.sim->probes()) {
    if (p.signal == name) {
      return p;
    }
  }
  throw std::runtime_error("no probe " + name);
}

// Largest value of a probe in [t0, t1).
double max_in(const ProbeSeries& p, double t0, double t1) {
  double m = -1e300;
  for (std::size_t k = 0; k < p.t_s.size(); ++k) {
    if (p.t_s[k] >= t0 && p.t_s[k] < t1) {
      m = std::max(m, p.values[k]);
    }
  }
  return m;
}
double mean_in(const ProbeSeries& p, double t0, double t1) {
  double sum = 0.0;
  int n = 0;
  for (std::size_t k = 0; k < p.t_s.size(); ++k) {
    if (p.t_s[k] >= t0 && p.t_s[k] < t1) {
      sum += p.values[k];
      ++n;
    }
  }
  return n > 0 ? sum / n : 0.0;
}
double min_in(const ProbeSeries& p, double t0, double t1) {
  double m = 1e300;
  for (std::size_t k = 0; k < p.t_s.size(); ++k) {
    if (p.t_s[k] >= t0 && p.t_s[k] < t1) {
      m = std::min(m, p.values[k]);
    }
  }
  return m;
}

bool logged(const ps_test::ChargerTwin& t, TripReason r) {
  const auto& log = t.controller->protection().log();
  if (log.count(r) == 0) {
    for (std::size_t i = 0; i < log.size(); ++i) {
      std::printf("  log: %u ms %s %s %.3f\n", log.at(i).t_ms,
                  powerstack::protection::to_string(log.at(i).reason),
                  log.at(i).tripped ? "trip" : "release", static_cast<double>(log.at(i).value));
    }
  }
  return log.count(r) > 0;
}

}  // namespace

// The goal: a battery at 28.5 V taking full power is cut off. Li-ion NMC 7s (charge
// voltage 7 x 4.20 = 29.4 V) at 88 % SOC sits at ~28.5 V in bulk. Limits: the output peaks at
// <= 31.5 V and is back below the charge voltage within 10 ms (10 W bus load, 940 uF).
TEST(ChargerFaults, BatteryCutAtFullPowerPeaksBelowLimit) {
  auto pc = ps_test::seed000_plant(1000.0);
  pc.chemistry = powerstack::sim::Chemistry::kLiIon;
  pc.battery.n_cells = 7;
  pc.battery.cell = powerstack::sim::typical_cell_params(
      powerstack::sim::chemistry_profile(powerstack::sim::Chemistry::kLiIon), 100.0);
  pc.battery.initial_soc = 0.88;
  ChargeControllerConfig cc;
  cc.profile = &powerstack::charger::li_ion_nmc_profile();
  cc.n_cells = 7;
  std::string why;
  ps_test::ChargerTwin t(pc, cc, {1e-3, 3.0, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  const double t_cut = 2.0;
  t.sim->schedule(t_cut, "cut", [](Plant& p) { static_cast<SolarChargerPlant&>(p).cut_battery(); });
  t.sim->add_probe("v_bat", 1e-3);
  t.sim->add_probe("p_pv", 1e-3);
  t.sim->run();
  const ProbeSeries& v = probe(t, "v_bat");
  const double v_before = max_in(v, t_cut - 0.05, t_cut);
  const double p_before = max_in(probe(t, "p_pv"), t_cut - 0.05, t_cut);
  EXPECT_NEAR(v_before, 28.5, 0.3);
  EXPECT_GT(p_before, 250.0);  // full power: the 310 W module at 1000 W/m2, cells at 56 C
  const double peak = t.plant->totals().v_out_max_v;
  EXPECT_LE(peak, 31.5);
  double t_back = -1.0;
  for (std::size_t k = 0; k < v.t_s.size(); ++k) {
    if (v.t_s[k] > t_cut && v.values[k] < 29.4 && t_back < 0.0 &&
        max_in(v, v.t_s[k], v.t_s[k] + 0.5) < 29.4) {
      t_back = v.t_s[k] - t_cut;
    }
  }
  EXPECT_GE(t_back, 0.0);
  EXPECT_LE(t_back, 0.010);
  EXPECT_TRUE(logged(t, TripReason::kOutputOverVoltageFast));
  std::printf("battery cut at %.2f V, %.0f W: peak %.3f V, below 29.4 V after %.2f ms\n", v_before,
              p_before, peak, 1e3 * t_back);
}

// PV terminals shorted (10 mOhm) at full power. Without a switch the battery would feed the
// short through the high-side body diode; the input reverse-current comparator stops the PWM
// and opens the input switch within microseconds. Safe outcome: the battery current stays
// above -2 A (the bus load) from 1 ms after the short on, the converter is off after one
// control tick, and the trip is logged.
TEST(ChargerFaults, PvShortStopsTheConverter) {
  std::string why;
  ChargeControllerConfig cc = lfp_8s();
  cc.i_pv_reverse_trip_a = 5.0F;
  ps_test::ChargerTwin t(ps_test::seed000_plant(1000.0), cc, {1e-3, 2.5, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  t.sim->schedule(2.0, "short",
                  [](Plant& p) { static_cast<SolarChargerPlant&>(p).short_pv(0.01); });
  t.sim->add_probe("duty", 1e-3);
  t.sim->add_probe("i_bat", 1e-3);
  t.sim->run();
  EXPECT_GT(max_in(probe(t, "duty"), 1.9, 2.0), 0.5);              // it was running
  EXPECT_EQ(max_in(probe(t, "duty"), 2.0 + 2 * kTick, 2.5), 0.0);  // stopped
  EXPECT_GT(min_in(probe(t, "i_bat"), 2.002, 2.5), -2.0);          // only the bus load
  EXPECT_TRUE(logged(t, TripReason::kInputShort) || logged(t, TripReason::kPvBackfeed));
}

// The panel goes dark at full power (shading 0 on every substring). Safe outcome: no lasting
// back-feed into the panel: PV current >= -1 A after two control periods, and the converter
// is off or in diode emulation from then on.
TEST(ChargerFaults, PvBackfeedIsStopped) {
  std::string why;
  ps_test::ChargerTwin t(ps_test::seed000_plant(1000.0), lfp_8s(), {1e-3, 3.0, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  t.sim->schedule(2.0, "dark", [](Plant& p) {
    static_cast<SolarChargerPlant&>(p).set_shading({0.0, 0.0, 0.0});
  });
  t.sim->add_probe("i_pv", 1e-3);
  t.sim->add_probe("low_side", 1e-3);
  t.sim->run();
  EXPECT_GT(min_in(probe(t, "i_pv"), 2.0 + 2 * kTick, 3.0), -1.0);
  EXPECT_EQ(max_in(probe(t, "low_side"), 2.0 + 2 * kTick, 3.0), 0.0);
  std::printf("dark panel: worst PV current %.2f A in the first two ticks\n",
              min_in(probe(t, "i_pv"), 2.0, 2.0 + 2 * kTick));
}

// Reverse current at light load: irradiance falls from 1000 to 20 W/m2 in one step while the
// low side switches. Safe outcome: the inductor current is negative for at most two control
// periods, then never again.
TEST(ChargerFaults, ReverseCurrentEndsInDiodeEmulation) {
  std::string why;
  ps_test::ChargerTwin t(ps_test::seed000_plant(1000.0), lfp_8s(), {1e-3, 4.0, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  t.sim->schedule(2.0, "cloud", [](Plant& p) {
    static_cast<SolarChargerPlant&>(p).set_shading({0.02, 0.02, 0.02});
  });
  t.sim->add_probe("i_l", 1e-3);
  t.sim->run();
  EXPECT_GT(mean_in(probe(t, "i_l"), 1.5, 2.0), 5.0);  // full power before
  EXPECT_GE(min_in(probe(t, "i_l"), 2.0 + 2 * kTick, 4.0), -0.05);
}

// A hot day: two modules in series (~550 W, ~17 A) at 45 C ambient (the battery stays inside
// LiFePO4's 50 C charge window), on a board whose limits are lower than the default: FET
// derating from 55 C, shutdown at 65 C; coil from 70 C, shutdown at 85 C (without derating
// this run reaches FET 62 C, coil 84 C). Safe outcome: the controller derates (silent mode)
// so neither shutdown temperature is reached, and it still charges (derated, not off).
TEST(ChargerFaults, OverTemperatureDeratesInsteadOfTripping) {
  auto pc = ps_test::seed000_plant(1000.0);
  pc.modules_in_series = 2;
  pc.ambient_c = 45.0;
  pc.thermal.t_ambient_c = 45.0;
  ChargeControllerConfig cc = lfp_8s();
  cc.protection.t_fet_derate_c = 55.0F;
  cc.protection.t_fet_max_c = 65.0F;
  cc.protection.t_coil_derate_c = 70.0F;
  cc.protection.t_coil_max_c = 85.0F;
  std::string why;
  ps_test::ChargerTwin t(pc, cc, {1e-3, 1800.0, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  t.sim->add_probe("i_bat", 10.0);
  t.sim->run();
  const auto& tot = t.plant->totals();
  EXPECT_LT(tot.t_fet_max_c, 65.0);
  EXPECT_LT(tot.t_coil_max_c, 85.0);
  EXPECT_FALSE(logged(t, TripReason::kOverTemperature));
  EXPECT_LT(t.controller->verdict().current_scale, 1.0F);    // derating is active
  EXPECT_GT(min_in(probe(t, "i_bat"), 600.0, 1800.0), 0.5);  // still charging
  std::printf("hot board: FET max %.1f C, coil max %.1f C, derating %.2f, %.1f A at the end\n",
              tot.t_fet_max_c, tot.t_coil_max_c,
              static_cast<double>(t.controller->verdict().current_scale),
              probe(t, "i_bat").values.back());
}

// The PV voltage channel freezes at full power. Safe outcome: the converter stops within
// stuck_s (2 s) plus one second, and the trip is logged as a stuck sensor.
TEST(ChargerFaults, StuckSensorStopsTheConverter) {
  std::string why;
  ps_test::ChargerTwin t(ps_test::seed000_plant(1000.0), lfp_8s(), {1e-3, 6.0, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  t.sim->schedule(2.0, "stuck", [](Plant& p) {
    static_cast<SolarChargerPlant&>(p).set_sensor_fault("v_pv",
                                                        SolarChargerPlant::SensorFault::kStuck);
  });
  t.sim->add_probe("duty", 1e-3);
  t.sim->run();
  EXPECT_GT(max_in(probe(t, "duty"), 1.9, 2.0), 0.5);
  EXPECT_EQ(max_in(probe(t, "duty"), 5.0, 6.0), 0.0);
  EXPECT_TRUE(logged(t, TripReason::kSensorStuck));
}

// A saturated battery-voltage channel (reads its 40 V full scale). Safe outcome: off within
// one tick (over-voltage or saturation), logged.
TEST(ChargerFaults, SaturatedSensorStopsTheConverter) {
  std::string why;
  ps_test::ChargerTwin t(ps_test::seed000_plant(1000.0), lfp_8s(), {1e-3, 3.0, kTick}, why);
  ASSERT_TRUE(t.plant) << why;
  t.sim->schedule(2.0, "saturate", [](Plant& p) {
    static_cast<SolarChargerPlant&>(p).set_sensor_fault("v_bat",
                                                        SolarChargerPlant::SensorFault::kSaturated);
  });
  t.sim->add_probe("duty", 1e-3);
  t.sim->run();
  EXPECT_EQ(max_in(probe(t, "duty"), 2.0 + 2 * kTick, 3.0), 0.0);
  EXPECT_TRUE(logged(t, TripReason::kOutputOverVoltage) || logged(t, TripReason::kSensorSaturated));
}
