#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/engine/simulation.hpp"

namespace {

using powerstack::control::Actuation;
using powerstack::control::Measurements;
using powerstack::sim::Plant;
using powerstack::sim::Simulation;
using powerstack::sim::SimulationConfig;

// A capacitor charged from a source through a resistor; the "duty" scales the source.
// Exact exponential step, so the plant itself adds no discretisation error.
class RcPlant : public Plant {
 public:
  double v_source_v = 10.0;
  double r_ohm = 100.0;
  double c_f = 1e-3;
  double v_c = 0.0;
  double duty = 1.0;
  int steps = 0;

  void step(double /*t_s*/, double dt_s) override {
    const double target = duty * v_source_v;
    v_c = target + (v_c - target) * std::exp(-dt_s / (r_ohm * c_f));
    ++steps;
  }
  [[nodiscard]] Measurements measure() const override {
    Measurements m;
    m.v_bat_v = static_cast<float>(v_c);
    return m;
  }
  void actuate(const Actuation& a) override { duty = static_cast<double>(a.duty); }
  [[nodiscard]] std::vector<std::string> signal_names() const override { return {"v_c"}; }
  [[nodiscard]] double signal(std::string_view name) const override {
    return name == "v_c" ? v_c : std::nan("");
  }
};

TEST(Simulation, AdvancesPlantForTheWholeDuration) {
  RcPlant plant;
  Simulation sim(plant, {1e-3, 0.3, 1e-2});
  sim.run();
  EXPECT_EQ(plant.steps, 300);
  // tau = 0.1 s: v(0.3) = 10 (1 - e^-3).
  EXPECT_NEAR(plant.v_c, 10.0 * (1.0 - std::exp(-3.0)), 1e-9);
}

TEST(Simulation, ControllerRunsAtItsPeriodWithItsDt) {
  RcPlant plant;
  Simulation sim(plant, {1e-3, 1.0, 2e-2});
  std::vector<double> dts;
  sim.set_controller([&](const Measurements&, double dt_s) {
    dts.push_back(dt_s);
    Actuation a;
    a.duty = 0.5F;
    return a;
  });
  sim.run();
  EXPECT_EQ(sim.controller_calls(), 50U);
  ASSERT_FALSE(dts.empty());
  EXPECT_DOUBLE_EQ(dts.front(), 0.02);
  EXPECT_NEAR(plant.v_c, 5.0 * (1.0 - std::exp(-10.0)), 1e-9);
}

TEST(Simulation, EventsFireAtTheirStepInOrder) {
  RcPlant plant;
  Simulation sim(plant, {1e-3, 0.5, 1e-3});
  std::vector<std::string> order;
  sim.schedule(0.2, "second", [&](Plant&) { order.emplace_back("second"); });
  sim.schedule(0.1, "first", [&](Plant& p) {
    order.emplace_back("first");
    dynamic_cast<RcPlant&>(p).v_source_v = 0.0;  // source removed at 0.1 s
  });
  sim.schedule(0.2, "third", [&](Plant&) { order.emplace_back("third"); });
  sim.run();
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third"}));
  ASSERT_EQ(sim.fired_events().size(), 3U);
  EXPECT_DOUBLE_EQ(sim.fired_events()[0].t_s, 0.1);
  // Charged for exactly 100 steps, then discharged for 400.
  const double v_at_cut = 10.0 * (1.0 - std::exp(-1.0));
  EXPECT_NEAR(plant.v_c, v_at_cut * std::exp(-4.0), 1e-9);
}

TEST(Simulation, ProbesRecordAtTheirRateIncludingTheEnd) {
  RcPlant plant;
  Simulation sim(plant, {1e-3, 1.0, 1e-2});
  sim.add_probe("v_c", 0.25);
  sim.run();
  const auto& p = sim.probes().at(0);
  EXPECT_EQ(p.t_s, (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0}));
  EXPECT_NEAR(p.values.back(), 10.0 * (1.0 - std::exp(-10.0)), 1e-9);
  EXPECT_DOUBLE_EQ(p.values.front(), 0.0);
}

TEST(Simulation, LongRunsKeepExactStepCounts) {
  // 10^6 steps of 1 ms: the event at 999.999 s lands on step 999999, not one off.
  RcPlant plant;
  Simulation sim(plant, {1e-3, 1000.0, 1.0});
  double fired_at = -1.0;
  sim.schedule(999.999, "late", [&](Plant&) { fired_at = static_cast<double>(plant.steps); });
  sim.run();
  EXPECT_EQ(plant.steps, 1000000);
  EXPECT_EQ(fired_at, 999999.0);
}

TEST(Simulation, RejectsImpossibleConfigs) {
  EXPECT_TRUE(Simulation::valid({1e-3, 1.0, 1e-2}));
  EXPECT_FALSE(Simulation::valid({0.0, 1.0, 1e-2}));
  EXPECT_FALSE(Simulation::valid({1e-3, -1.0, 1e-2}));
  EXPECT_FALSE(Simulation::valid({1e-3, 1.0, 1e-4}));
  EXPECT_FALSE(Simulation::valid({1e-3, std::nan(""), 1e-2}));
}

}  // namespace

// The twin advances in chunks of wall-paced time: the same controller calls, events and
// plant state as one run() over the same span, bit for bit.
TEST(Simulation, AdvanceToInChunksMatchesRun) {
  const auto setup = [](RcPlant& plant, Simulation& sim, std::vector<double>& seen) {
    sim.set_controller([&plant, &seen](const Measurements& m, double) {
      seen.push_back(static_cast<double>(m.v_bat_v));
      Actuation a;
      a.duty = plant.v_c > 5.0 ? 0.2f : 1.0f;
      return a;
    });
    sim.schedule(0.25, "src", [](Plant& p) { static_cast<RcPlant&>(p).v_source_v = 7.0; });
  };
  RcPlant a;
  Simulation run_sim(a, {1e-3, 0.8, 1e-2});
  std::vector<double> seen_run;
  setup(a, run_sim, seen_run);
  run_sim.run();

  RcPlant b;
  Simulation inc(b, {1e-3, 0.1, 1e-2});  // duration shorter than the span: ignored
  std::vector<double> seen_inc;
  setup(b, inc, seen_inc);
  for (const double t : {0.0123, 0.2, 0.25, 0.2501, 0.61, 0.8}) {
    inc.advance_to(t);
  }
  EXPECT_DOUBLE_EQ(inc.time_s(), 0.8);
  EXPECT_EQ(b.steps, a.steps);
  EXPECT_EQ(b.v_c, a.v_c);
  EXPECT_EQ(seen_inc, seen_run);
  ASSERT_EQ(inc.fired_events().size(), 1U);
  EXPECT_DOUBLE_EQ(inc.fired_events()[0].t_s, 0.25);
}
