#include <gtest/gtest.h>

#include <cmath>

#include "sim/models/battery_cell.hpp"
#include "sim/models/battery_chemistry.hpp"

using powerstack::sim::BatteryCell;
using powerstack::sim::CellFlags;
using powerstack::sim::CellParams;
using powerstack::sim::Chemistry;
using powerstack::sim::chemistry_profile;
using powerstack::sim::ChemistryProfile;
using powerstack::sim::typical_cell_params;

namespace {

const ChemistryProfile& lfp() {
  return chemistry_profile(Chemistry::kLiFePO4);
}

// A 10 Ah cell with only R0 (no RC pairs), efficiency eta.
CellParams plain_cell(double eta = 1.0) {
  CellParams p;
  p.capacity_ah = 10.0;
  p.r0_ohm = 0.005;
  p.coulombic_efficiency = eta;
  return p;
}

// Steps with current i_a and step dt_s until the SOC reaches the far end, and returns the
// time at which it gets there: the last partial step is placed by the hand-calculated rate.
double time_to_end_s(BatteryCell& cell, double i_a, double dt_s, double eta) {
  const double rate_per_s = std::abs(i_a > 0.0 ? eta * i_a : i_a) /
                            (3600.0 * cell.params().capacity_ah);  // SOC per second
  double t_s = 0.0;
  for (int guard = 0; guard < 10000000; ++guard) {
    const double remaining = i_a > 0.0 ? 1.0 - cell.soc() : cell.soc();
    if (remaining <= rate_per_s * dt_s) {
      return t_s + remaining / rate_per_s;
    }
    const CellFlags f = cell.step(i_a, dt_s, 25.0);
    EXPECT_FALSE(f.over_charge || f.over_discharge);
    t_s += dt_s;
  }
  return -1.0;
}

}  // namespace

TEST(BatteryCell, FullDischargeAtHalfCTakesCapacityOverCurrent) {
  // 10 Ah at C/2 = 5 A: 10 / 5 = 2 h = 7200 s, whatever the step.
  for (double dt_s : {1.0, 7.0, 60.0, 1000.0}) {
    BatteryCell cell(lfp(), plain_cell(0.99), 1.0);
    const double t_s = time_to_end_s(cell, -5.0, dt_s, 0.99);
    EXPECT_NEAR(t_s / 7200.0, 1.0, 1e-9) << "dt " << dt_s;
    EXPECT_FALSE(cell.flags().over_discharge);
  }
  // And exactly: 7200 steps of 1 s end at SOC 0 (to rounding).
  BatteryCell cell(lfp(), plain_cell(), 1.0);
  for (int k = 0; k < 7199; ++k) {
    cell.step(-5.0, 1.0, 25.0);
  }
  EXPECT_NEAR(cell.soc(), 1.0 / 7200.0, 1e-12);
}

TEST(BatteryCell, ChargeWithEfficiencyNeedsOneOverEtaOfTheCharge) {
  BatteryCell cell(lfp(), plain_cell(0.99), 0.0);
  const double t_charge_s = time_to_end_s(cell, 5.0, 1.0, 0.99);
  // Hand calculation: 10 Ah / (0.99 * 5 A) = 2.0202... h.
  EXPECT_NEAR(t_charge_s / (10.0 / (0.99 * 5.0) * 3600.0), 1.0, 1e-9);
  const double ah_in = 5.0 * t_charge_s / 3600.0;
  EXPECT_NEAR(ah_in / 10.0, 1.0 / 0.99, 1e-9);
  // One big exact step of that length lands on full without over-charge.
  BatteryCell big(lfp(), plain_cell(0.99), 0.0);
  big.step(5.0, 10.0 / (0.99 * 5.0) * 3600.0 * (1.0 - 1e-12), 25.0);
  EXPECT_NEAR(big.soc(), 1.0, 1e-11);
  EXPECT_FALSE(big.flags().over_charge);
}

TEST(BatteryCell, RcPairsFollowTheClosedFormAtAnyStep) {
  CellParams p = plain_cell();
  p.r0_ohm = 0.0;
  p.r1_ohm = 0.01;  // tau1 = 10 s
  p.c1_f = 1000.0;
  p.r2_ohm = 0.004;  // tau2 = 400 s
  p.c2_f = 1.0e5;
  const double i_a = -20.0;
  const double checkpoints_s[] = {1.0, 5.0, 10.0, 30.0, 100.0, 400.0, 1000.0};
  auto v1 = [&](double t) { return i_a * 0.01 * (1.0 - std::exp(-t / 10.0)); };
  auto v2 = [&](double t) { return i_a * 0.004 * (1.0 - std::exp(-t / 400.0)); };

  for (double dt_s : {0.01, 0.5, 1.0}) {
    BatteryCell cell(lfp(), p, 0.9);
    double t_s = 0.0;
    int n_steps = 0;
    for (double t_check : checkpoints_s) {
      while (t_s < t_check - 1e-9) {
        cell.step(i_a, dt_s, 25.0);
        ++n_steps;
        t_s = n_steps * dt_s;
      }
      EXPECT_NEAR(cell.v_rc1_v(), v1(t_check), 1e-11) << "dt " << dt_s << " t " << t_check;
      EXPECT_NEAR(cell.v_rc2_v(), v2(t_check), 1e-11) << "dt " << dt_s << " t " << t_check;
    }
  }
  // Large steps: one step per checkpoint interval, and one 1000 s step.
  BatteryCell cell(lfp(), p, 0.9);
  double t_prev = 0.0;
  for (double t_check : checkpoints_s) {
    cell.step(i_a, t_check - t_prev, 25.0);
    t_prev = t_check;
    EXPECT_NEAR(cell.v_rc1_v(), v1(t_check), 1e-13) << "t " << t_check;
    EXPECT_NEAR(cell.v_rc2_v(), v2(t_check), 1e-13) << "t " << t_check;
  }
  BatteryCell one(lfp(), p, 0.9);
  one.step(i_a, 1000.0, 25.0);
  EXPECT_NEAR(one.v_rc2_v(), v2(1000.0), 1e-13);
  // Relaxation after the current stops: v(t) = v(0) e^(-t/RC).
  const double v2_0 = one.v_rc2_v();
  one.step(0.0, 250.0, 25.0);
  EXPECT_NEAR(one.v_rc2_v(), v2_0 * std::exp(-250.0 / 400.0), 1e-13);
  // A huge step is stable and lands on i R.
  one.step(i_a, 1.0e7, 25.0);
  EXPECT_NEAR(one.v_rc1_v(), i_a * 0.01, 1e-15);
  EXPECT_NEAR(one.v_rc2_v(), i_a * 0.004, 1e-15);
}

TEST(BatteryCell, TerminalVoltageIsOcvPlusIR0PlusRc) {
  BatteryCell cell(lfp(), plain_cell(), 0.5);
  // At rest state, 25 C: OCV(50 %) = 3.265 V; 10 A out through 5 mOhm drops 50 mV.
  EXPECT_NEAR(cell.terminal_voltage_v(-10.0, 25.0), 3.215, 1e-12);
  EXPECT_NEAR(cell.terminal_voltage_v(0.0, 25.0), 3.265, 1e-12);
  // At 0 C: OCV + (-0.05 mV/K)(-25 K) and R0 x 2.5.
  EXPECT_NEAR(cell.terminal_voltage_v(-10.0, 0.0), 3.265 + 0.05e-3 * 25.0 - 10.0 * 0.0125, 1e-12);

  CellParams p = plain_cell();
  p.r1_ohm = 0.01;
  p.c1_f = 1000.0;
  p.r2_ohm = 0.004;
  p.c2_f = 1.0e5;
  BatteryCell rc(lfp(), p, 0.5);
  rc.step(-10.0, 60.0, 25.0);
  // SOC 0.5 - 10 A * 60 s / 36000 As = 0.48333.., between 45 % (3.264) and 50 % (3.265).
  const double soc = 0.5 - 600.0 / 36000.0;
  EXPECT_NEAR(rc.soc(), soc, 1e-15);
  const double ocv = 3.264 + (soc - 0.45) / 0.05 * (3.265 - 3.264);
  const double v1 = -10.0 * 0.01 * (1.0 - std::exp(-6.0));
  const double v2 = -10.0 * 0.004 * (1.0 - std::exp(-60.0 / 400.0));
  EXPECT_NEAR(rc.terminal_voltage_v(-10.0, 25.0), ocv - 10.0 * 0.005 + v1 + v2, 1e-12);
  // The instant the current stops only the R0 drop disappears.
  EXPECT_NEAR(rc.terminal_voltage_v(0.0, 25.0), ocv + v1 + v2, 1e-12);
}

TEST(BatteryCell, OverChargeIsClampedFlaggedAndRaisesTheVoltage) {
  const ChemistryProfile& prof = lfp();
  BatteryCell cell(prof, plain_cell(), 0.99);
  // 10 A into 10 Ah for 72 s = +2 % -> 1 % past full.
  const CellFlags f = cell.step(10.0, 72.0, 25.0);
  EXPECT_TRUE(f.over_charge);
  EXPECT_TRUE(cell.flags().over_charge);
  EXPECT_EQ(cell.soc(), 1.0);
  EXPECT_NEAR(cell.overrange_soc(), 0.01, 1e-12);
  EXPECT_NEAR(cell.ocv_v(25.0), 3.392 + 0.5 * (3.80 - 3.392), 1e-12);
  cell.step(10.0, 36.0, 25.0);  // 2 % past full: at the OV trip
  EXPECT_NEAR(cell.ocv_v(25.0), prof.limits.v_ov_v, 1e-12);
  // Discharging first drains the over-range, then the SOC moves.
  const CellFlags back = cell.step(-10.0, 36.0, 25.0);
  EXPECT_TRUE(back.over_charge);  // still 1 % past full after this step
  EXPECT_EQ(cell.soc(), 1.0);
  cell.step(-10.0, 72.0, 25.0);
  EXPECT_NEAR(cell.soc(), 0.99, 1e-12);
  EXPECT_EQ(cell.overrange_soc(), 0.0);
  cell.clear_flags();
  EXPECT_FALSE(cell.flags().over_charge);
}

TEST(BatteryCell, OverDischargeIsClampedFlaggedAndLowersTheVoltage) {
  const ChemistryProfile& prof = lfp();
  BatteryCell cell(prof, plain_cell(), 0.01);
  const CellFlags f = cell.step(-10.0, 108.0, 25.0);  // -3 % -> 2 % past empty
  EXPECT_TRUE(f.over_discharge);
  EXPECT_EQ(cell.soc(), 0.0);
  EXPECT_NEAR(cell.overrange_soc(), -0.02, 1e-12);
  EXPECT_NEAR(cell.ocv_v(25.0), prof.limits.v_uv_v, 1e-12);
}

TEST(BatteryCell, ZeroOrNegativeStepDoesNothingAndResetRestores) {
  CellParams p = typical_cell_params(lfp(), 100.0);
  BatteryCell cell(lfp(), p, 0.7);
  cell.step(-50.0, 0.0, 25.0);
  cell.step(-50.0, -5.0, 25.0);
  EXPECT_EQ(cell.soc(), 0.7);
  EXPECT_EQ(cell.v_rc1_v(), 0.0);
  cell.step(-50.0, 10.0, 25.0);
  EXPECT_LT(cell.v_rc1_v(), 0.0);
  cell.reset(1.4);
  EXPECT_EQ(cell.soc(), 1.0);
  EXPECT_EQ(cell.v_rc1_v(), 0.0);
  EXPECT_EQ(cell.v_rc2_v(), 0.0);
}

TEST(BatteryCell, TypicalParamsSitInsideTheQuotedRanges) {
  // batteries.md: 100 Ah LiFePO4 0.2-0.5 mOhm; 1000 mAh Li-Po 50-200 mOhm.
  const CellParams lfp100 = typical_cell_params(lfp(), 100.0);
  EXPECT_GE(lfp100.r0_ohm, 0.2e-3);
  EXPECT_LE(lfp100.r0_ohm, 0.5e-3);
  const CellParams lipo1 = typical_cell_params(chemistry_profile(Chemistry::kLiIon), 1.0);
  EXPECT_GE(lipo1.r0_ohm, 0.050);
  EXPECT_LE(lipo1.r0_ohm, 0.200);
  EXPECT_NEAR(lfp100.r1_ohm * lfp100.c1_f, 10.0, 1e-9);
  EXPECT_NEAR(lfp100.r2_ohm * lfp100.c2_f, 400.0, 1e-9);
  EXPECT_EQ(lfp100.coulombic_efficiency, lfp().coulombic_efficiency);
}
