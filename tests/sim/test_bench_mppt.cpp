// The MPPT benchmark's plant path and a reduced run of `powerstack bench mppt`: JSON shape
// and plausible efficiencies (not timing; the full table is the bench's job).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../../apps/powerstack/src/bench_mppt_runner.hpp"
#include "powerstack/app/bench_mppt.hpp"
#include "sim/models/pv_en50530.hpp"

namespace powerstack::app {
namespace {

TEST(En50530Slope, MatchesCentralDifference) {
  auto c = sim::En50530Curve::from_power(sim::En50530Technology::kCrystallineSi, 600.0, 60.0);
  c.set_conditions(420.0, 25.0);
  for (const double v : {0.0, 20.0, 55.0, 62.0, 70.0, 74.0}) {
    const double h = 1e-5;
    const double fd = (c.current_a(v + h) - c.current_a(v - h)) / (2.0 * h);
    EXPECT_NEAR(c.current_slope_a_per_v(v), fd, 1e-6 * (1.0 + std::fabs(fd))) << v;
  }
  c.set_conditions(0.0, 25.0);
  EXPECT_EQ(c.current_slope_a_per_v(10.0), 0.0);
}

TEST(En50530Plant, ReportsTheCurveMppAndReachesIt) {
  const auto g = sim::TimeSeriesProfile::create({0.0, 100.0}, {500.0, 500.0}).value();
  std::string why;
  auto plant = sim::SolarChargerPlant::create(mppt_bench::en50530_plant(g), why);
  ASSERT_TRUE(plant) << why;
  auto curve = sim::En50530Curve::from_power(sim::En50530Technology::kCrystallineSi, 600.0, 60.0);
  curve.set_conditions(500.0, 25.0);
  const sim::PvMpp mpp = curve.mpp();
  // Open circuit at start.
  EXPECT_NEAR(plant->measure().v_pv_v, curve.voc_v(), 1e-3);
  // Regulate v_pv to the MPP voltage by hand: the PV power then equals p_mpp.
  control::Actuation a;
  a.pwm_enabled = true;
  a.low_side_enabled = false;
  float duty = plant->measure().v_bat_v / static_cast<float>(mpp.v_v);
  for (int k = 0; k < 3000; ++k) {
    if (k % 5 == 0) {
      const auto m = plant->measure();
      duty *= 1.0f + 0.5f * (m.v_pv_v - static_cast<float>(mpp.v_v)) / static_cast<float>(mpp.v_v);
      a.duty = duty;
      plant->actuate(a);
    }
    plant->step(k * 1e-3, 1e-3);
  }
  EXPECT_NEAR(plant->signal("p_mpp"), mpp.p_w, 1e-9 * mpp.p_w);
  EXPECT_NEAR(plant->signal("p_pv"), mpp.p_w, 1e-4 * mpp.p_w);
}

TEST(MpptBench, ReducedRunHasTheRowShapeAndPlausibleEfficiency) {
  MpptBenchOptions o;
  o.algorithms = {"po-adaptive"};
  o.static_levels = {0.5};
  o.static_first_settle_s = 5.0;
  o.static_measure_s = 5.0;
  o.dynamic = false;
  o.shading = false;
  const nlohmann::json rows = run_mppt_bench(o);
  ASSERT_TRUE(rows.is_array());
  ASSERT_EQ(rows.size(), 2U);  // static, static-noisy
  const auto& r = rows[0];
  EXPECT_EQ(r.at("algorithm").get<std::string>(), "po-adaptive");
  EXPECT_EQ(r.at("test").get<std::string>(), "static");
  const double eta = r.at("efficiency").get<double>();
  EXPECT_GT(eta, 0.95);
  EXPECT_LE(eta, 1.0 + 1e-6);
  EXPECT_NEAR(r.at("levels_pct").at("50").get<double>(), eta, 1e-12);
  EXPECT_EQ(r.at("backfeed_wh").get<double>(), 0.0);
  const auto& n = rows[1];
  EXPECT_EQ(n.at("test").get<std::string>(), "static-noisy");
  EXPECT_EQ(n.at("noise_v_sigma").get<double>(), o.noisy_v_sigma);
  EXPECT_GT(n.at("noise_i_sigma").get<double>(), 0.0);
  EXPECT_GT(n.at("efficiency").get<double>(), 0.5);
  EXPECT_GE(n.at("backfeed_wh").get<double>(), 0.0);
  const std::string table = format_mppt_table(rows);
  EXPECT_NE(table.find("po-adaptive"), std::string::npos);
  EXPECT_NE(table.find("noisy %"), std::string::npos);
}

TEST(MpptBench, UnknownAlgorithmGivesNoRows) {
  MpptBenchOptions o;
  o.algorithms = {"no-such"};
  EXPECT_TRUE(run_mppt_bench(o).empty());
}

}  // namespace
}  // namespace powerstack::app
