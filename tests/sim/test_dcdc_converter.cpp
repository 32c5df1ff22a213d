#include <gtest/gtest.h>

#include "sim/models/dcdc_converter.hpp"

using powerstack::Status;
using powerstack::sim::DcDcConverter;
using powerstack::sim::DcDcParams;
using powerstack::sim::DcDcTopology;
using powerstack::sim::flat_efficiency_params;

namespace {

DcDcConverter make(const DcDcParams& p) {
  const auto c = DcDcConverter::create(p);
  EXPECT_TRUE(c.ok());
  return c.value();
}

}  // namespace

TEST(DcDcConverter, PowerBalance) {
  DcDcConverter c = make(flat_efficiency_params(DcDcTopology::kBuck, 3.3, 0.85));
  for (double v_in = 4.0; v_in <= 30.0; v_in += 1.3) {
    for (double i_out = 0.0; i_out <= 2.0; i_out += 0.25) {
      const auto op = c.step(v_in, i_out);
      ASSERT_TRUE(op.enabled);
      EXPECT_NEAR(op.p_in_w * 0.85, op.p_out_w, 1e-12);  // P_in eta = P_out
      EXPECT_NEAR(op.p_out_w, 3.3 * i_out, 1e-12);
      EXPECT_NEAR(op.i_in_a * v_in, op.p_in_w, 1e-12);
    }
  }
}

TEST(DcDcConverter, QuiescentCurrentAddsToInput) {
  DcDcParams p = flat_efficiency_params(DcDcTopology::kBuckBoost, 3.3, 0.9);
  p.i_quiescent_a = 20e-6;
  DcDcConverter c = make(p);
  const auto idle = c.step(12.0, 0.0);
  EXPECT_DOUBLE_EQ(idle.i_in_a, 20e-6);
  const auto loaded = c.step(12.0, 1.0);
  EXPECT_NEAR((loaded.p_in_w - 12.0 * 20e-6) * 0.9, 3.3, 1e-12);
}

TEST(DcDcConverter, EfficiencyTableInterpolation) {
  DcDcParams p;
  p.i_out_points_a = {0.01, 0.1, 1.0};
  p.efficiency = {0.60, 0.85, 0.90};
  const DcDcConverter one_d = make(p);
  EXPECT_DOUBLE_EQ(one_d.efficiency(0.1, 5.0), 0.85);
  EXPECT_NEAR(one_d.efficiency(0.055, 5.0), 0.725, 1e-12);
  EXPECT_NEAR(one_d.efficiency(0.55, 5.0), 0.875, 1e-12);
  EXPECT_DOUBLE_EQ(one_d.efficiency(0.0, 5.0), 0.60);  // clamped, no extrapolation
  EXPECT_DOUBLE_EQ(one_d.efficiency(3.0, 5.0), 0.90);

  p.i_out_points_a = {0.1, 1.0};
  p.v_in_points_v = {5.0, 12.0};
  p.efficiency = {0.90, 0.92,   // at 5 V
                  0.85, 0.88};  // at 12 V
  const DcDcConverter two_d = make(p);
  EXPECT_NEAR(two_d.efficiency(0.55, 8.5), (0.90 + 0.92 + 0.85 + 0.88) / 4.0, 1e-12);
  EXPECT_NEAR(two_d.efficiency(1.0, 8.5), 0.90, 1e-12);
  EXPECT_DOUBLE_EQ(two_d.efficiency(0.1, 30.0), 0.85);
}

TEST(DcDcConverter, UvloHysteresis) {
  DcDcParams p = flat_efficiency_params(DcDcTopology::kBuck, 3.3, 0.9);
  p.v_uvlo_on_v = 4.5;
  p.v_uvlo_off_v = 4.0;
  p.i_shutdown_a = 1e-6;
  DcDcConverter c = make(p);
  struct Case {
    double v_in;
    bool on;
  };
  // Rising: off until 4.5 V; falling: on until below 4.0 V.
  const Case cases[] = {{3.0, false}, {4.2, false},  {4.49, false}, {4.5, true}, {4.2, true},
                        {4.0, true},  {3.99, false}, {4.2, false},  {4.6, true}, {12.0, true}};
  for (const Case& k : cases) {
    const auto op = c.step(k.v_in, 0.5);
    EXPECT_EQ(op.enabled, k.on) << k.v_in;
    if (!k.on) {
      EXPECT_EQ(op.v_out_v, 0.0);
      EXPECT_DOUBLE_EQ(op.i_in_a, 1e-6);
    }
  }
}

TEST(DcDcConverter, BuckDropoutAndBoostBypass) {
  DcDcParams buck = flat_efficiency_params(DcDcTopology::kBuck, 3.3, 0.9);
  buck.r_dropout_ohm = 0.1;
  DcDcConverter b = make(buck);
  EXPECT_DOUBLE_EQ(b.step(3.4, 1.0).v_out_v, 3.3);
  const auto drop = b.step(3.4, 2.0);
  EXPECT_NEAR(drop.v_out_v, 3.2, 1e-12);
  EXPECT_FALSE(drop.regulating);
  EXPECT_NEAR(drop.p_in_w * 0.9, drop.p_out_w, 1e-12);

  DcDcParams boost = flat_efficiency_params(DcDcTopology::kBoost, 5.0, 0.9);
  boost.v_bypass_drop_v = 0.4;
  DcDcConverter s = make(boost);
  EXPECT_DOUBLE_EQ(s.step(3.7, 0.5).v_out_v, 5.0);
  EXPECT_NEAR(s.step(6.0, 0.5).v_out_v, 5.6, 1e-12);
  EXPECT_FALSE(s.step(6.0, 0.5).regulating);

  DcDcParams limited = flat_efficiency_params(DcDcTopology::kBuckBoost, 3.3, 0.9);
  limited.i_out_limit_a = 1.0;
  DcDcConverter l = make(limited);
  const auto op = l.step(5.0, 2.0);
  EXPECT_TRUE(op.current_limited);
  EXPECT_DOUBLE_EQ(op.i_out_a, 1.0);
}

TEST(DcDcConverter, RefusesBadParameters) {
  DcDcParams p = flat_efficiency_params(DcDcTopology::kBuck, 3.3, 1.2);
  EXPECT_EQ(DcDcConverter::create(p).status(), Status::kInvalidArgument);
  p = flat_efficiency_params(DcDcTopology::kBuck, 3.3, 0.9);
  p.i_out_points_a = {0.1, 0.1};
  p.efficiency = {0.8, 0.9};
  EXPECT_EQ(DcDcConverter::create(p).status(), Status::kInvalidArgument);
  p = flat_efficiency_params(DcDcTopology::kBuck, 3.3, 0.9);
  p.v_in_points_v = {5.0, 12.0};  // table needs 2 rows now
  EXPECT_EQ(DcDcConverter::create(p).status(), Status::kInvalidArgument);
  p = flat_efficiency_params(DcDcTopology::kBuck, 3.3, 0.9);
  p.v_uvlo_on_v = 4.0;
  p.v_uvlo_off_v = 4.5;
  EXPECT_EQ(DcDcConverter::create(p).status(), Status::kInvalidArgument);
}
