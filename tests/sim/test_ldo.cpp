#include <gtest/gtest.h>

#include <algorithm>

#include "sim/models/ldo.hpp"

using powerstack::Status;
using powerstack::sim::Ldo;
using powerstack::sim::LdoParams;

namespace {

Ldo make(const LdoParams& p) {
  const auto ldo = Ldo::create(p);
  EXPECT_TRUE(ldo.ok());
  return ldo.value();
}

LdoParams typical() {
  LdoParams p;
  p.v_set_v = 3.3;
  p.v_dropout_v = 0.1;
  p.r_dropout_ohm = 0.5;  // 0.1 V + 0.5 ohm * I
  p.i_quiescent_a = 50e-6;
  p.ground_current_ratio = 0.01;
  return p;
}

}  // namespace

TEST(Ldo, RegulatesAndInputCurrentIsOutputPlusGround) {
  const Ldo ldo = make(typical());
  const auto op = ldo.at_load_current(5.0, 0.2);
  EXPECT_DOUBLE_EQ(op.v_out_v, 3.3);
  EXPECT_FALSE(op.in_dropout);
  EXPECT_DOUBLE_EQ(op.i_gnd_a, 50e-6 + 0.01 * 0.2);
  EXPECT_DOUBLE_EQ(op.i_in_a, 0.2 + op.i_gnd_a);
  EXPECT_NEAR(op.p_loss_w, 5.0 * op.i_in_a - 3.3 * 0.2, 1e-15);
}

TEST(Ldo, DropoutRegionFollowsInputMinusDropout) {
  const Ldo ldo = make(typical());
  // Dropout at 0.2 A: 0.1 + 0.5 * 0.2 = 0.2 V.
  EXPECT_DOUBLE_EQ(ldo.dropout_v(0.2), 0.2);
  // Edge: v_in = v_set + dropout still regulates.
  EXPECT_DOUBLE_EQ(ldo.at_load_current(3.5, 0.2).v_out_v, 3.3);
  for (double v_in = 0.5; v_in < 3.5; v_in += 0.1) {
    const auto op = ldo.at_load_current(v_in, 0.2);
    EXPECT_NEAR(op.v_out_v, std::max(v_in - 0.2, 0.0), 1e-12) << v_in;
    EXPECT_TRUE(op.in_dropout);
    EXPECT_DOUBLE_EQ(op.i_in_a, 0.2 + 50e-6 + 0.002);  // the load still draws its current
  }
  EXPECT_DOUBLE_EQ(ldo.at_load_current(0.0, 0.2).i_in_a, 0.0);  // no input, nothing flows
}

TEST(Ldo, ResistiveLoadInDropoutHasClosedForm) {
  const Ldo ldo = make(typical());
  const double r = 10.0;
  const auto reg = ldo.at_load_resistance(5.0, r);
  EXPECT_DOUBLE_EQ(reg.v_out_v, 3.3);
  EXPECT_DOUBLE_EQ(reg.i_out_a, 0.33);
  const double v_in = 3.2;
  const auto op = ldo.at_load_resistance(v_in, r);
  EXPECT_NEAR(op.v_out_v, (v_in - 0.1) / (1.0 + 0.5 / r), 1e-12);
  // Self-consistent: v_out = v_in - dropout(v_out / R).
  EXPECT_NEAR(op.v_out_v, v_in - ldo.dropout_v(op.v_out_v / r), 1e-12);
  EXPECT_TRUE(op.in_dropout);
}

TEST(Ldo, CurrentLimit) {
  LdoParams p = typical();
  p.i_limit_a = 0.5;
  const Ldo ldo = make(p);
  const auto op = ldo.at_load_resistance(5.0, 2.0);  // 3.3 V / 2 ohm = 1.65 A > limit
  EXPECT_TRUE(op.current_limited);
  EXPECT_DOUBLE_EQ(op.i_out_a, 0.5);
  EXPECT_DOUBLE_EQ(op.v_out_v, 1.0);
  const auto cc = ldo.at_load_current(5.0, 0.8);
  EXPECT_TRUE(cc.current_limited);
  EXPECT_DOUBLE_EQ(cc.i_out_a, 0.5);
  EXPECT_DOUBLE_EQ(cc.v_out_v, 0.0);
  const auto shorted = ldo.at_load_resistance(5.0, 0.0);
  EXPECT_DOUBLE_EQ(shorted.i_out_a, 0.5);
}

// Seed 002: AMS1117-3.3 with "dropout 1.3 V typical" from a 1-cell Li-Po (3.40-4.2 V). The
// regulator is in dropout over the whole battery range: 2.9 V at a full cell, 2.1 V at the
// 2 % cut-off, below the ESP32's 3.0 V.
TEST(Ldo, Seed002Ams1117IsInDropoutOverTheWholeLiPoRange) {
  LdoParams p;
  p.v_set_v = 3.3;
  p.v_dropout_v = 1.3;
  p.i_quiescent_a = 0.0;
  const Ldo ams1117 = make(p);
  for (double v_bat = 3.40; v_bat <= 4.2001; v_bat += 0.05) {
    const auto op = ams1117.at_load_current(v_bat, 0.1);
    EXPECT_TRUE(op.in_dropout) << v_bat;
    EXPECT_LT(op.v_out_v, 3.0) << v_bat;
  }
  EXPECT_NEAR(ams1117.at_load_current(4.2, 0.1).v_out_v, 2.9, 1e-12);
  EXPECT_NEAR(ams1117.at_load_current(3.4, 0.1).v_out_v, 2.1, 1e-12);

  // Seed 002's auxiliary MCP1700: 1.6 uA quiescent is all it draws at no load.
  LdoParams mcp = p;
  mcp.v_dropout_v = 0.178;
  mcp.i_quiescent_a = 1.6e-6;
  EXPECT_DOUBLE_EQ(make(mcp).at_load_current(4.0, 0.0).i_in_a, 1.6e-6);
}

TEST(Ldo, RefusesBadParameters) {
  LdoParams p = typical();
  p.v_set_v = 0.0;
  EXPECT_EQ(Ldo::create(p).status(), Status::kInvalidArgument);
  p = typical();
  p.r_dropout_ohm = -1.0;
  EXPECT_EQ(Ldo::create(p).status(), Status::kInvalidArgument);
  p = typical();
  p.i_limit_a = 0.0;
  EXPECT_EQ(Ldo::create(p).status(), Status::kInvalidArgument);
}
