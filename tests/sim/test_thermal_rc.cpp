#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/models/sync_buck.hpp"
#include "sim/models/thermal_rc.hpp"

using powerstack::Status;
using powerstack::sim::buck_node_heat_w;
using powerstack::sim::buck_thermal_network;
using powerstack::sim::BuckThermalParams;
using powerstack::sim::BuckThermalPoint;
using powerstack::sim::fugu_class_buck_params;
using powerstack::sim::fugu_class_thermal_params;
using powerstack::sim::kBuckCoilNode;
using powerstack::sim::kBuckFetNode;
using powerstack::sim::kBuckHeatsinkNode;
using powerstack::sim::kThermalAmbient;
using powerstack::sim::SyncBuck;
using powerstack::sim::SyncBuckControl;
using powerstack::sim::SyncBuckState;
using powerstack::sim::SyncBuckStepResult;
using powerstack::sim::ThermalRc;
using powerstack::sim::ThermalRcNetwork;

namespace {

TEST(ThermalRc, SingleNodeStepResponseIsTheClosedFormExponential) {
  const ThermalRc rc = ThermalRc::create({{10.0}, {{0, kThermalAmbient, 2.0}}}).value();
  std::vector<double> t = {25.0};
  const std::vector<double> q = {5.0};
  double time = 0.0;
  for (const double dt : {0.7, 3.0, 0.01, 11.0, 40.0}) {
    rc.step(t, q, 25.0, dt);
    time += dt;
    // T = T_amb + P R (1 - exp(-t / (R C))), R C = 20 s.
    EXPECT_NEAR(t[0], 25.0 + 10.0 * (1.0 - std::exp(-time / 20.0)), 1e-12);
  }
  EXPECT_NEAR(rc.time_constants_s()[0], 20.0, 1e-12);
}

// Two coupled nodes against a fine RK4 integration, and against the steady state.
TEST(ThermalRc, TwoNodeChainMatchesAFineReferenceIntegration) {
  const ThermalRcNetwork net{{3.0, 50.0}, {{0, 1, 0.8}, {1, kThermalAmbient, 2.5}}};
  const ThermalRc rc = ThermalRc::create(net).value();
  std::vector<double> t = {30.0, 20.0};
  const std::vector<double> q = {6.0, 1.0};
  double a = 30.0;
  double b = 20.0;
  auto deriv = [&](double ta, double tb, double& da, double& db) {
    const double g_ab = (ta - tb) / 0.8;
    da = (6.0 - g_ab) / 3.0;
    db = (1.0 + g_ab - (tb - 15.0) / 2.5) / 50.0;
  };
  const double h = 1e-3;
  for (int k = 0; k < 200000; ++k) {  // 200 s
    double k1a, k1b, k2a, k2b, k3a, k3b, k4a, k4b;
    deriv(a, b, k1a, k1b);
    deriv(a + 0.5 * h * k1a, b + 0.5 * h * k1b, k2a, k2b);
    deriv(a + 0.5 * h * k2a, b + 0.5 * h * k2b, k3a, k3b);
    deriv(a + h * k3a, b + h * k3b, k4a, k4b);
    a += h / 6.0 * (k1a + 2.0 * k2a + 2.0 * k3a + k4a);
    b += h / 6.0 * (k1b + 2.0 * k2b + 2.0 * k3b + k4b);
  }
  for (int k = 0; k < 8; ++k) {
    rc.step(t, q, 15.0, 25.0);
  }
  EXPECT_NEAR(t[0], a, 1e-9);
  EXPECT_NEAR(t[1], b, 1e-9);
  const std::vector<double> ss = rc.steady_state_c(q, 15.0);
  EXPECT_NEAR(ss[1], 15.0 + 7.0 * 2.5, 1e-12);
  EXPECT_NEAR(ss[0], ss[1] + 6.0 * 0.8, 1e-12);
}

TEST(ThermalRc, RefusesMalformedNetworks) {
  EXPECT_EQ(ThermalRc::create({{}, {}}).status(), Status::kInvalidArgument);
  EXPECT_EQ(ThermalRc::create({{1.0}, {{0, kThermalAmbient, 0.0}}}).status(),
            Status::kInvalidArgument);
  EXPECT_EQ(ThermalRc::create({{0.0}, {{0, kThermalAmbient, 1.0}}}).status(),
            Status::kInvalidArgument);
  EXPECT_EQ(ThermalRc::create({{1.0}, {{0, 3, 1.0}}}).status(), Status::kInvalidArgument);
  // Node 1 floats (no path to ambient).
  EXPECT_EQ(ThermalRc::create({{1.0, 1.0}, {{0, kThermalAmbient, 1.0}}}).status(),
            Status::kInvalidArgument);
}

// The calibrated network, heated by the losses the averaged buck model computes when run to
// steady state at seed 000's point, reproduces the measured temperatures.
TEST(ThermalRc, FuguNetworkReproducesTheSeedMeasurement) {
  const BuckThermalPoint pt;
  const BuckThermalParams tp = fugu_class_thermal_params();
  ASSERT_EQ(tp.t_ambient_c, 25.0);
  const SyncBuck buck = SyncBuck::create(fugu_class_buck_params()).value();
  const auto op = buck.ccm_operating_point(pt.v_in_v, pt.v_out_v, pt.i_out_a);
  // Dynamic model: source 52.6 V at the point behind 0.1 Ohm, battery behind 0.1 Ohm.
  SyncBuckState s{pt.v_in_v, 0.0, 24.0};
  double v_in = s.v_in_v;
  double v_out = s.v_out_v;
  SyncBuckStepResult r;
  for (int k = 0; k < 5000; ++k) {
    const double i_src = (pt.v_in_v + 0.1 * op.i_in_a - v_in) / 0.1;
    const double i_load = (v_out - (pt.v_out_v - 0.1 * pt.i_out_a)) / 0.1;
    r = buck.step(s, SyncBuckControl{op.duty, true, true, 0.0}, i_src, i_load, 20e-6);
    v_in = r.v_in_avg_v;
    v_out = r.v_out_avg_v;
  }
  ASSERT_NEAR(r.i_l_avg_a, pt.i_out_a, 1e-3);
  const std::array<double, 3> heat = buck_node_heat_w(r.losses);
  const ThermalRc rc = ThermalRc::create(buck_thermal_network(tp)).value();
  std::vector<double> t(3, tp.t_ambient_c);
  for (int k = 0; k < 4 * 3600; ++k) {  // four hours in 1 s steps from a cold board
    rc.step(t, heat, tp.t_ambient_c, 1.0);
  }
  EXPECT_NEAR(t[kBuckCoilNode], pt.t_coil_c, 0.5);
  EXPECT_NEAR(t[kBuckFetNode], pt.t_fet_c, 0.5);
  const std::vector<double> ss = rc.steady_state_c(heat, tp.t_ambient_c);
  EXPECT_NEAR(ss[kBuckCoilNode], t[kBuckCoilNode], 1e-6);
  EXPECT_NEAR(ss[kBuckFetNode], t[kBuckFetNode], 1e-6);
  const auto tau = rc.time_constants_s();
  std::printf(
      "[ thermal  ] heat coil %.3f W fet %.3f W | R_coil_amb %.3f R_fet_hs %.3f R_hs_amb %.3f "
      "K/W | T coil %.3f fet %.3f heatsink %.3f C | tau %.1f %.1f %.1f s\n",
      heat[0], heat[1], tp.r_coil_ambient_k_per_w, tp.r_fet_heatsink_k_per_w,
      tp.r_heatsink_ambient_k_per_w, t[kBuckCoilNode], t[kBuckFetNode], t[kBuckHeatsinkNode],
      tau[0], tau[1], tau[2]);
}

}  // namespace
