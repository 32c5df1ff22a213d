#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/models/loads.hpp"

using powerstack::Status;
using powerstack::sim::BelowMinimum;
using powerstack::sim::BurstTrain;
using powerstack::sim::constant_current;
using powerstack::sim::constant_power;
using powerstack::sim::constant_resistance;
using powerstack::sim::Esp32Figures;
using powerstack::sim::LoadProfile;
using powerstack::sim::LoadSchedule;
using powerstack::sim::RandomBurstParams;
using powerstack::sim::ScheduleSegment;
using powerstack::sim::SimRandom;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Charge drawn at a fixed voltage over [0, t_end], stepping exactly from edge to edge.
double charge_c(LoadProfile& profile, double v_v, double t_end_s, int* segments = nullptr) {
  double q = 0.0;
  double t = 0.0;
  int n = 0;
  while (t < t_end_s) {
    const double next = std::min(profile.next_edge_s(t), t_end_s);
    EXPECT_GT(next, t);
    q += profile.current_a(t, v_v) * (next - t);
    t = next;
    ++n;
  }
  if (segments != nullptr) {
    *segments = n;
  }
  return q;
}

}  // namespace

TEST(Loads, ConstantPowerDrawsPOverVAndIsResistiveBelowMinimum) {
  const auto load = constant_power(1.32, 2.5);
  for (double v = 2.5; v <= 30.0; v += 0.5) {
    EXPECT_NEAR(load.current_a(v), 1.32 / v, 1e-15) << v;
    EXPECT_NEAR(load.power_w(v), 1.32, 1e-12);
  }
  // Below 2.5 V: the resistance 2.5^2 / 1.32 ohm, continuous at the knee.
  EXPECT_NEAR(load.current_a(1.0), 1.0 / (2.5 * 2.5 / 1.32), 1e-15);
  EXPECT_NEAR(load.current_a(2.5 - 1e-12), 1.32 / 2.5, 1e-9);
  EXPECT_EQ(load.current_a(0.0), 0.0);
  EXPECT_EQ(load.current_a(-1.0), 0.0);
  const auto brownout = constant_power(1.32, 2.5, BelowMinimum::kOff);
  EXPECT_EQ(brownout.current_a(2.4), 0.0);
  EXPECT_NEAR(brownout.current_a(3.3), 0.4, 1e-15);
}

TEST(Loads, ConstantCurrentAndResistance) {
  const auto cc = constant_current(0.2, 1.0);
  EXPECT_DOUBLE_EQ(cc.current_a(3.3), 0.2);
  EXPECT_DOUBLE_EQ(cc.current_a(0.5), 0.1);  // resistive below 1 V
  EXPECT_EQ(cc.current_a(-0.5), 0.0);
  EXPECT_DOUBLE_EQ(constant_current(0.2).current_a(1e-6), 0.2);
  const auto r = constant_resistance(10.0);
  EXPECT_DOUBLE_EQ(r.current_a(5.0), 0.5);
  EXPECT_DOUBLE_EQ(r.current_a(-5.0), -0.5);
  EXPECT_EQ(validate(constant_resistance(0.0)), Status::kInvalidArgument);
  EXPECT_EQ(validate(constant_current(-1.0)), Status::kInvalidArgument);
  EXPECT_EQ(validate(constant_power(1.0, 2.0)), Status::kOk);
}

TEST(LoadSchedule, PiecewiseConstantModesAndEdges) {
  const auto s = LoadSchedule::create({ScheduleSegment{"sleep", 9.0, constant_current(1e-5)},
                                       ScheduleSegment{"active", 1.0, constant_current(0.1)}},
                                      true);
  ASSERT_TRUE(s.ok());
  const LoadSchedule& sched = s.value();
  EXPECT_DOUBLE_EQ(sched.period_s(), 10.0);
  EXPECT_EQ(sched.segment_at(-1.0).name, "sleep");
  EXPECT_EQ(sched.segment_at(0.0).name, "sleep");
  EXPECT_EQ(sched.segment_at(8.999).name, "sleep");
  EXPECT_EQ(sched.segment_at(9.0).name, "active");
  EXPECT_EQ(sched.segment_at(10.0).name, "sleep");
  EXPECT_EQ(sched.segment_at(1009.5).name, "active");
  EXPECT_DOUBLE_EQ(sched.next_edge_s(0.0), 9.0);
  EXPECT_DOUBLE_EQ(sched.next_edge_s(9.0), 10.0);
  EXPECT_DOUBLE_EQ(sched.next_edge_s(1009.5), 1010.0);

  const auto once = LoadSchedule::create({ScheduleSegment{"a", 1.0, constant_current(0.1)},
                                          ScheduleSegment{"b", 2.0, constant_current(0.2)}},
                                         false);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once.value().segment_at(100.0).name, "b");  // the last holds
  EXPECT_DOUBLE_EQ(once.value().next_edge_s(0.5), 1.0);
  EXPECT_EQ(once.value().next_edge_s(1.5), kInf);

  EXPECT_FALSE(LoadSchedule::create({}, true).ok());
  EXPECT_FALSE(LoadSchedule::create({ScheduleSegment{"x", 0.0, constant_current(0.1)}}, true).ok());
}

TEST(BurstTrain, PeriodicPulses) {
  auto b = BurstTrain::periodic(0.1, 0.005, 1.0, 0.35);
  ASSERT_TRUE(b.ok());
  BurstTrain train = b.value();
  EXPECT_FALSE(train.burst_at(0.5).has_value());
  ASSERT_TRUE(train.burst_at(1.0).has_value());
  EXPECT_DOUBLE_EQ(train.burst_at(1.2021)->t_start_s, 1.2);
  EXPECT_FALSE(train.burst_at(1.2051).has_value());
  EXPECT_DOUBLE_EQ(train.next_edge_s(0.0), 1.0);
  EXPECT_NEAR(train.next_edge_s(1.0), 1.005, 1e-12);
  EXPECT_NEAR(train.next_edge_s(1.006), 1.1, 1e-12);
  EXPECT_FALSE(BurstTrain::periodic(0.1, 0.2, 0.0, 0.3).ok());  // width >= period
}

TEST(BurstTrain, SeededRandomBurstsAreReproducibleAndHaveTheirStatistics) {
  RandomBurstParams p;
  p.mean_interval_s = 0.2;
  p.min_interval_s = 0.02;
  p.width_min_s = 0.002;
  p.width_max_s = 0.005;
  p.i_min_a = 0.28;
  p.i_max_a = 0.40;
  auto a = BurstTrain::random(p, SimRandom(7)).value();
  auto b = BurstTrain::random(p, SimRandom(7)).value();
  std::vector<double> starts;
  double t = 0.0;
  double prev_end = 0.0;
  while (starts.size() < 20000) {
    t = a.next_edge_s(t);
    const auto burst = a.burst_at(t);
    ASSERT_TRUE(burst.has_value());  // edges alternate: start, end
    ASSERT_EQ(burst->t_start_s, t);
    EXPECT_GE(burst->t_start_s - prev_end, p.min_interval_s - p.width_max_s);
    EXPECT_GE(burst->width_s, p.width_min_s);
    EXPECT_LE(burst->width_s, p.width_max_s);
    EXPECT_GE(burst->i_a, p.i_min_a);
    EXPECT_LE(burst->i_a, p.i_max_a);
    starts.push_back(t);
    t = a.next_edge_s(t);  // its end
    prev_end = t;
  }
  // Mean gap 0.2 s; gap sd = 0.18 s, standard error 0.18 / sqrt(2e4) = 1.3 ms.
  EXPECT_NEAR(starts.back() / static_cast<double>(starts.size()), 0.2, 0.005);
  // Same seed, same bursts, also when queried backwards (regenerated from the seed).
  for (int k = static_cast<int>(starts.size()) - 1; k >= 0; k -= 997) {
    const auto burst = b.burst_at(starts[static_cast<std::size_t>(k)] + 1e-9);
    ASSERT_TRUE(burst.has_value());
    EXPECT_EQ(burst->t_start_s, starts[static_cast<std::size_t>(k)]);
  }
  auto c = BurstTrain::random(p, SimRandom(8)).value();
  EXPECT_NE(c.next_edge_s(0.0), starts.front());
  p.min_interval_s = 0.004;  // below the widest burst: bursts could overlap
  EXPECT_FALSE(BurstTrain::random(p, SimRandom(7)).ok());
}

TEST(Esp32Profiles, FiguresAreOrderedAndInTheDocumentedRanges) {
  for (const Esp32Figures& f :
       {powerstack::sim::esp32_figures(), powerstack::sim::esp32_c6_figures(),
        powerstack::sim::esp32_s3_figures()}) {
    EXPECT_LT(f.deep_sleep_a, f.light_sleep_a) << f.source;
    EXPECT_LT(f.light_sleep_a, f.modem_sleep_a) << f.source;
    EXPECT_LT(f.modem_sleep_a, f.rx_a) << f.source;
    EXPECT_LT(f.rx_a, f.tx_a) << f.source;
    EXPECT_LE(f.tx_a, f.tx_peak_a) << f.source;
    EXPECT_LE(f.deep_sleep_a, 10e-6);  // seed 002 asks for < 10 uA in deep sleep
    EXPECT_GE(f.tx_peak_a, 0.24);
    EXPECT_LE(f.tx_peak_a, 0.40);
  }
}

TEST(Esp32Profiles, DutyCycleAverageMatchesClosedForm) {
  const Esp32Figures f = powerstack::sim::esp32_figures();
  auto made = powerstack::sim::esp32_duty_cycle_profile(f, 60.0, 2.0, 0.1, 0.005);
  ASSERT_TRUE(made.ok());
  LoadProfile profile = made.value();
  int segments = 0;
  charge_c(profile, 3.3, 60.0, &segments);
  EXPECT_EQ(segments, 1 + 2 * 20);  // sleep, then 20 x (burst, gap)
  const double q = charge_c(profile, 3.3, 600.0);
  // Per 60 s: 58 s deep sleep, 2 s awake with 20 bursts of 5 ms at the TX peak.
  const double per_period =
      58.0 * f.deep_sleep_a + (2.0 - 20 * 0.005) * f.rx_a + 20 * 0.005 * f.tx_peak_a;
  EXPECT_NEAR(q, 10.0 * per_period, 1e-9);
  EXPECT_EQ(profile.load_at(30.0).value, f.deep_sleep_a);
  EXPECT_EQ(profile.load_at(58.001).value, f.tx_peak_a);
  EXPECT_EQ(profile.load_at(58.006).value, f.rx_a);
  EXPECT_FALSE(powerstack::sim::esp32_duty_cycle_profile(f, 2.0, 2.0, 0.1, 0.005).ok());
}

TEST(Esp32Profiles, ConnectedProfileIsSeededAndHasTheExpectedMean) {
  const Esp32Figures f = powerstack::sim::esp32_c6_figures();  // seed 003
  auto p1 = powerstack::sim::esp32_connected_profile(f, 0.1, 0.005, SimRandom(3)).value();
  auto p2 = powerstack::sim::esp32_connected_profile(f, 0.1, 0.005, SimRandom(3)).value();
  auto p3 = powerstack::sim::esp32_connected_profile(f, 0.1, 0.005, SimRandom(4)).value();
  const double t_end = 500.0;
  const double q1 = charge_c(p1, 3.3, t_end);
  EXPECT_EQ(q1, charge_c(p2, 3.3, t_end));
  EXPECT_NE(q1, charge_c(p3, 3.3, t_end));
  // Duty 5 ms / 100 ms at a mean burst current (350 + 400) / 2 mA over an 85 mA floor.
  const double expected = f.rx_a + 0.05 * (0.5 * (f.tx_a + f.tx_peak_a) - f.rx_a);
  EXPECT_NEAR(q1 / t_end, expected, 0.02 * expected);
}
