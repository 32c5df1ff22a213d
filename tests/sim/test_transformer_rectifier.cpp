#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/models/transformer_rectifier.hpp"

using powerstack::Status;
using powerstack::sim::TransformerRectifier;
using powerstack::sim::TransformerRectifierParams;

namespace {

// Seed 004: 230 V mains, 8 VAC transformer, bridge, 2200 uF.
TransformerRectifierParams doorbell() {
  TransformerRectifierParams p;
  p.v_mains_rms_v = 230.0;
  p.f_mains_hz = 50.0;
  p.turns_ratio = 8.0 / 230.0;
  p.r_winding_ohm = 0.2;
  p.v_diode_forward_v = 0.7;
  p.c_reservoir_f = 2200e-6;
  return p;
}

TransformerRectifier make(const TransformerRectifierParams& p) {
  const auto tr = TransformerRectifier::create(p);
  EXPECT_TRUE(tr.ok());
  return tr.value();
}

struct MinMax {
  double lo = 1e300;
  double hi = -1e300;
};

MinMax run(TransformerRectifier& tr, double duration_s, double i_load_a) {
  MinMax m;
  const double dt = 2.5e-5;
  const int n = static_cast<int>(std::lround(duration_s / dt));
  for (int k = 0; k < n; ++k) {
    tr.step(dt, i_load_a);
    m.lo = std::min(m.lo, tr.v_cap_v());
    m.hi = std::max(m.hi, tr.v_cap_v());
  }
  return m;
}

}  // namespace

TEST(TransformerRectifier, NoLoadChargesToPeakMinusTwoDiodeDrops) {
  TransformerRectifier tr = make(doorbell());
  const double expected = std::sqrt(2.0) * 8.0 - 2.0 * 0.7;  // 9.91 V
  EXPECT_NEAR(tr.averaged_estimate(0.0).v_peak_no_load_v, expected, 1e-12);
  run(tr, 2.0, 0.0);
  EXPECT_NEAR(tr.v_cap_v(), expected, 0.005 * expected);
  EXPECT_LE(tr.v_cap_v(), expected + 1e-9);  // never above the source peak
  EXPECT_NEAR(tr.t_s(), 2.0, 1e-9);
}

TEST(TransformerRectifier, RippleUnderLoadIsIOver2fC) {
  TransformerRectifierParams p = doorbell();
  p.r_winding_ohm = 0.01;  // near-ideal source: the closed forms assume none
  TransformerRectifier tr = make(p);
  const double i_load = 0.2;
  run(tr, 1.0, i_load);  // settle
  const double q0 = tr.charge_in_c();
  const MinMax m = run(tr, 0.2, i_load);  // ten cycles
  const double ripple = m.hi - m.lo;
  const double textbook = i_load / (2.0 * 50.0 * 2200e-6);  // 0.909 V
  EXPECT_NEAR(tr.averaged_estimate(i_load).v_ripple_pp_v, textbook, 1e-12);
  // The textbook figure assumes the capacitor discharges for a whole half period; it really
  // discharges for T/2 minus the conduction time t_c, during which it follows the source:
  // dV = I / C * (T/2 - t_c), t_c = (pi/2 - asin(1 - dV / V_peak)) / omega.
  const double v_peak = std::sqrt(2.0) * 8.0 - 1.4;
  const double omega = 2.0 * std::numbers::pi * 50.0;
  double refined = textbook;
  for (int k = 0; k < 100; ++k) {
    const double t_c = (std::numbers::pi / 2.0 - std::asin(1.0 - refined / v_peak)) / omega;
    refined = i_load / 2200e-6 * (0.01 - t_c);
  }
  EXPECT_NEAR(ripple, refined, 0.02 * refined);  // 0.793 V
  EXPECT_LT(ripple, textbook);
  EXPECT_GT(ripple, 0.8 * textbook);
  // Charge balance in steady state: what the bridge delivers, the load takes.
  EXPECT_NEAR(tr.charge_in_c() - q0, i_load * 0.2, 0.01 * i_load * 0.2);
  EXPECT_LT(m.hi, v_peak + 1e-9);
  EXPECT_GT(m.hi, v_peak - 0.02);
}

TEST(TransformerRectifier, WindingResistanceLowersPeaksAndRipple) {
  TransformerRectifier tr = make(doorbell());  // 0.2 ohm
  run(tr, 1.0, 0.2);
  const MinMax m = run(tr, 0.2, 0.2);
  // Longer conduction through the winding resistance: lower peaks, less ripple.
  EXPECT_LT(m.hi, tr.averaged_estimate(0.0).v_peak_no_load_v - 0.1);
  EXPECT_LT(m.hi - m.lo, 0.85 * tr.averaged_estimate(0.2).v_ripple_pp_v);
}

TEST(TransformerRectifier, MainsOutageDischargesLinearly) {
  TransformerRectifier tr = make(doorbell());
  run(tr, 1.0, 0.0);
  const double v0 = tr.v_cap_v();
  tr.set_mains_rms(0.0);  // the gong relay drops the supply
  tr.step(0.1, 0.01);
  EXPECT_NEAR(tr.v_cap_v(), v0 - 0.01 * 0.1 / 2200e-6, 1e-9);
  tr.step(10.0, 1.0);  // drained: held at 0 V, not negative
  EXPECT_EQ(tr.v_cap_v(), 0.0);
  tr.step(0.0, 1.0);  // no-op
  tr.step(-1.0, 1.0);
  EXPECT_NEAR(tr.t_s(), 11.1, 1e-9);
  tr.set_mains_rms(230.0);
  run(tr, 1.0, 0.0);
  EXPECT_GT(tr.v_cap_v(), 9.8);
}

TEST(TransformerRectifier, StableWithTinyWindingResistance) {
  TransformerRectifierParams p = doorbell();
  p.r_winding_ohm = 1e-4;  // RC = 0.22 us, far below the 50 us sub-step
  TransformerRectifier tr = make(p);
  run(tr, 0.5, 0.1);
  EXPECT_TRUE(std::isfinite(tr.v_cap_v()));
  EXPECT_LE(tr.v_cap_v(), std::sqrt(2.0) * 8.0 - 1.4 + 1e-9);
  EXPECT_GT(tr.v_cap_v(), 8.5);
}

TEST(TransformerRectifier, RefusesBadParameters) {
  TransformerRectifierParams p = doorbell();
  p.r_winding_ohm = 0.0;
  EXPECT_EQ(TransformerRectifier::create(p).status(), Status::kInvalidArgument);
  p = doorbell();
  p.c_reservoir_f = -1.0;
  EXPECT_EQ(TransformerRectifier::create(p).status(), Status::kInvalidArgument);
  p = doorbell();
  p.f_mains_hz = 0.0;
  EXPECT_EQ(TransformerRectifier::create(p).status(), Status::kInvalidArgument);
}
