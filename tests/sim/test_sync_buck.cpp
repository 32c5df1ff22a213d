#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "sim/models/sync_buck.hpp"

using powerstack::Status;
using powerstack::sim::fugu_class_buck_params;
using powerstack::sim::SyncBuck;
using powerstack::sim::SyncBuckControl;
using powerstack::sim::SyncBuckMode;
using powerstack::sim::SyncBuckParams;
using powerstack::sim::SyncBuckState;
using powerstack::sim::SyncBuckStepResult;

namespace {

// No loss of any kind.
SyncBuckParams ideal_params() {
  SyncBuckParams p;
  p.c_in_f = 940e-6;
  p.c_out_f = 940e-6;
  p.l_h = 33e-6;
  p.f_sw_hz = 39e3;
  return p;
}

// The bench around the converter: a source (voltage behind a resistance, or a fixed current)
// and a load (resistor, battery = voltage behind a resistance, or fixed current), coupled with
// the previous step's terminal voltages. Every step is checked against the energy identity.
struct Bench {
  SyncBuck buck;
  SyncBuckState s;
  double v_src_v = 50.0;
  double r_src_ohm = 0.1;  // <= 0: fixed current i_src_a
  double i_src_a = 0.0;
  enum class Load { kResistor, kBattery, kCurrent } load = Load::kResistor;
  double r_load_ohm = 2.0;
  double v_bat_v = 0.0;
  double i_load_fixed_a = 0.0;
  double v_in_v = 0.0;
  double v_out_v = 0.0;
  double max_energy_error = 0.0;  // relative, over all steps
  double max_residual_j = 0.0;
  double min_scale_j = 1e300;
  double i_source_a = 0.0;
  double i_load_a = 0.0;

  Bench(const SyncBuckParams& p, SyncBuckState s0)
      : buck(SyncBuck::create(p).value()), s(s0), v_in_v(s0.v_in_v), v_out_v(s0.v_out_v) {}

  SyncBuckStepResult step(const SyncBuckControl& c, double dt_s) {
    i_source_a = r_src_ohm > 0.0 ? (v_src_v - v_in_v) / r_src_ohm : i_src_a;
    switch (load) {
      case Load::kResistor:
        i_load_a = v_out_v / r_load_ohm;
        break;
      case Load::kBattery:
        i_load_a = (v_out_v - v_bat_v) / r_load_ohm;
        break;
      case Load::kCurrent:
        i_load_a = i_load_fixed_a;
        break;
    }
    const double e0_j = buck.stored_energy_j(s);
    const double e0_in = 0.5 * buck.params().c_in_f * s.v_in_v * s.v_in_v;
    const double e0_l = 0.5 * buck.params().l_h * s.i_l_a * s.i_l_a;
    const SyncBuckStepResult r = buck.step(s, c, i_source_a, i_load_a, dt_s);
    const double d_in = 0.5 * buck.params().c_in_f * s.v_in_v * s.v_in_v - e0_in;
    const double d_l = 0.5 * buck.params().l_h * s.i_l_a * s.i_l_a - e0_l;
    const double d_all = buck.stored_energy_j(s) - e0_j;
    const double e_in = r.v_in_avg_v * i_source_a * dt_s;
    const double e_out = r.v_out_avg_v * i_load_a * dt_s;
    const double e_loss = r.losses.total_w() * dt_s;
    const double residual = e_in - e_out - e_loss - d_all;
    const double scale = std::abs(e_in) + std::abs(e_out) + std::abs(e_loss) + std::abs(d_in) +
                         std::abs(d_l) + std::abs(d_all - d_in - d_l);
    // Below a few ulp of the stored energy the difference of the stored energies is round-off
    // of this check itself (a step in which almost nothing moves).
    const double round_off_j = 16.0 * std::numeric_limits<double>::epsilon() * (e0_j + d_all);
    max_residual_j = std::max(max_residual_j, std::abs(residual));
    min_scale_j = std::min(min_scale_j, scale);
    if (std::abs(residual) > round_off_j) {
      max_energy_error = std::max(max_energy_error, std::abs(residual) / scale);
    }
    v_in_v = r.v_in_avg_v;
    v_out_v = r.v_out_avg_v;
    return r;
  }
};

TEST(SyncBuck, RefusesInvalidParameters) {
  EXPECT_TRUE(SyncBuck::create(fugu_class_buck_params()).ok());
  SyncBuckParams p = ideal_params();
  p.l_h = 0.0;
  EXPECT_EQ(SyncBuck::create(p).status(), Status::kInvalidArgument);
  p = ideal_params();
  p.rds_on_hs_ohm = -1e-3;
  EXPECT_EQ(SyncBuck::create(p).status(), Status::kInvalidArgument);
  p = ideal_params();
  p.c_out_f = std::nan("");
  EXPECT_EQ(SyncBuck::create(p).status(), Status::kInvalidArgument);
}

TEST(SyncBuck, IdealLosslessCcmSteadyStateIsDutyTimesInput) {
  for (const double duty : {0.25, 0.4, 0.75}) {
    Bench b(ideal_params(), {50.0, 0.0, 0.0});
    b.r_load_ohm = 2.0;
    SyncBuckStepResult r;
    for (int k = 0; k < 4000; ++k) {  // 0.2 s: the LC ring-down is long gone
      r = b.step({duty, true, true, 0.0}, 50e-6);
    }
    EXPECT_EQ(r.mode, SyncBuckMode::kCcm);
    EXPECT_NEAR(r.v_out_avg_v / r.v_in_avg_v, duty, 1e-9);
    EXPECT_NEAR(r.losses.total_w(), 0.0, 1e-12);
    EXPECT_LT(b.max_energy_error, 1e-9);
  }
}

// Energy identity per step, v_in_avg i_source dt = v_out_avg i_load dt + losses dt + dE,
// in every mode and across the events (zero crossings, mode changes) inside steps.
TEST(SyncBuck, EnergyConservedPerStepInEveryMode) {
  // The bench's explicit coupling needs dt < 2 R C: resistances grow with the step.
  struct Case {
    std::string name;
    SyncBuckControl control;
    double r_src_ohm;  // 0: fixed 10.4 A
    Bench::Load load;
    double r_load_ohm, v_bat_v, dt_s;
    SyncBuckState s0;
    SyncBuckMode expected_mode;
  };
  const std::vector<Case> cases = {
      {"ccm 20 A, 1 ms steps",
       {0.52, true, true, 0.0},
       0.0,
       Bench::Load::kResistor,
       1.335,
       0.0,
       1e-3,
       {52.6, 20.0, 26.7},
       SyncBuckMode::kCcm},
      {"ccm from cold, 7 us steps",
       {0.5, true, true, 0.0},
       0.1,
       Bench::Load::kResistor,
       1.3,
       0.0,
       7e-6,
       {50.0, 0.0, 0.0},
       SyncBuckMode::kCcm},
      {"dcm, diode emulation",
       {0.3, true, false, 0.0},
       0.5,
       Bench::Load::kResistor,
       50.0,
       0.0,
       1e-4,
       {50.0, 0.0, 30.0},
       SyncBuckMode::kDcm},
      {"diode em., 20 A into dcm",
       {0.2, true, false, 0.0},
       0.5,
       Bench::Load::kBattery,
       0.5,
       26.0,
       1e-4,
       {52.6, 20.0, 26.7},
       SyncBuckMode::kDcm},
      {"forced ccm, zvs edges",
       {0.5, true, true, 0.0},
       0.5,
       Bench::Load::kResistor,
       12.0,
       0.0,
       1e-4,
       {50.0, 2.0, 24.0},
       SyncBuckMode::kCcm},
      {"reverse current",
       {0.4, true, true, 0.0},
       0.5,
       Bench::Load::kBattery,
       0.5,
       26.0,
       2e-4,
       {50.0, 0.0, 26.0},
       SyncBuckMode::kCcm},
      {"disabled from 20 A",
       {0.5, false, true, 0.0},
       0.1,
       Bench::Load::kBattery,
       0.1,
       26.0,
       1e-5,
       {50.0, 20.0, 26.7},
       SyncBuckMode::kOff},
      {"disabled from -10 A",
       {0.5, false, true, 0.0},
       1.0,
       Bench::Load::kBattery,
       1.0,
       26.0,
       3e-4,
       {50.0, -10.0, 26.7},
       SyncBuckMode::kOff},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Bench b(fugu_class_buck_params(), c.s0);
    b.v_src_v = c.s0.v_in_v;
    b.r_src_ohm = c.r_src_ohm;
    b.i_src_a = 10.4;
    b.load = c.load;
    b.r_load_ohm = c.r_load_ohm;
    b.v_bat_v = c.v_bat_v;
    SyncBuckStepResult r;
    for (int k = 0; k < 300; ++k) {
      r = b.step(c.control, c.dt_s);
    }
    EXPECT_EQ(r.mode, c.expected_mode);
    EXPECT_LT(b.max_energy_error, 1e-6);
    std::printf(
        "[ energy   ] %-26s max |residual| %.1e J (smallest step throughput %.1e J), "
        "max relative %.1e\n",
        c.name.c_str(), b.max_residual_j, b.min_scale_j, b.max_energy_error);
  }
}

// Diode emulation: below I_crit = (1 - D) V_out T / (2 L) the current is discontinuous and
// V_out rises above D V_in to the DCM value; above it V_out = D V_in.
TEST(SyncBuck, DcmBoundaryAtTheCriticalCurrent) {
  const SyncBuckParams p = ideal_params();
  const double duty = 0.4;
  const double t_s = 1.0 / p.f_sw_hz;
  const double i_crit = (1.0 - duty) * (duty * 50.0) * t_s / (2.0 * p.l_h);
  for (const double k : {1.02, 0.98, 0.5}) {
    Bench b(p, {50.0, 0.0, duty * 50.0});
    b.load = Bench::Load::kCurrent;
    b.i_load_fixed_a = k * i_crit;
    SyncBuckStepResult r;
    for (int n = 0; n < 4000; ++n) {
      r = b.step({duty, true, false, 0.0}, 50e-6);
    }
    const double ratio = r.v_out_avg_v / r.v_in_avg_v;
    if (k > 1.0) {
      EXPECT_EQ(r.mode, SyncBuckMode::kCcm);
      EXPECT_NEAR(ratio, duty, 1e-9);
    } else {
      // Lossless DCM: i = g v_in (v_in - v_out) / v_out with g = D^2 T / (2 L).
      const double g = duty * duty * t_s / (2.0 * p.l_h);
      const double expected = g * r.v_in_avg_v / (b.i_load_fixed_a + g * r.v_in_avg_v);
      EXPECT_EQ(r.mode, SyncBuckMode::kDcm);
      EXPECT_NEAR(ratio, expected, 1e-9);
      EXPECT_GT(ratio, duty * 1.005);
    }
    EXPECT_NEAR(r.i_l_avg_a, b.i_load_fixed_a, 1e-9);
  }
}

// Low side enabled and a duty below V_out / V_in: the battery drives the inductor current
// negative and power flows back to the input (the seed's "negative current" case).
TEST(SyncBuck, ReverseCurrentWithLowSideButNotWithDiodeEmulation) {
  for (const bool low_side : {true, false}) {
    SCOPED_TRACE(low_side ? "low side enabled" : "diode emulation");
    Bench b(fugu_class_buck_params(), {50.0, 0.0, 26.0});
    b.r_src_ohm = 0.5;
    b.load = Bench::Load::kBattery;
    b.r_load_ohm = 0.1;
    b.v_bat_v = 26.0;
    double min_i_l = 0.0;
    double min_i_in = 0.0;
    SyncBuckStepResult r;
    for (int k = 0; k < 1000; ++k) {
      r = b.step({0.4, true, low_side, 0.0}, 1e-4);
      min_i_l = std::min(min_i_l, std::min(r.i_l_avg_a, b.s.i_l_a));
      min_i_in = std::min(min_i_in, r.i_in_avg_a);
    }
    if (low_side) {
      EXPECT_LT(r.i_l_avg_a, -2.0);
      EXPECT_LT(r.i_in_avg_a, -1.0);
      EXPECT_LT(r.v_in_avg_v * r.i_in_avg_a, -50.0);  // W into the input node
      EXPECT_GT(r.v_in_avg_v, 50.0);                  // pushing current into the source
      EXPECT_LT(b.i_source_a, 0.0);
    } else {
      EXPECT_EQ(min_i_l, 0.0);
      EXPECT_GE(min_i_in, 0.0);
      EXPECT_EQ(r.mode, SyncBuckMode::kDcm);  // D = 0.4 < 26/50: light DCM, forward only
      EXPECT_GT(r.i_l_avg_a, 0.0);
    }
    EXPECT_LT(b.max_energy_error, 1e-6);
  }
}

TEST(SyncBuck, DisabledCurrentDecaysThroughTheBodyDiodeAndStaysZero) {
  const SyncBuckParams p = fugu_class_buck_params();
  Bench b(p, {50.0, 15.0, 26.7});
  b.load = Bench::Load::kBattery;
  b.r_load_ohm = 0.1;
  b.v_bat_v = 26.7;
  double t_zero_s = -1.0;
  for (int k = 1; k <= 2000; ++k) {
    b.step({0.5, false, true, 0.0}, 1e-6);
    if (t_zero_s < 0.0 && b.s.i_l_a == 0.0) {
      t_zero_s = k * 1e-6;
    }
    if (t_zero_s >= 0.0) {
      ASSERT_EQ(b.s.i_l_a, 0.0) << "at step " << k;
    }
    ASSERT_GE(b.s.i_l_a, 0.0);
  }
  // L di/dt = -(v_out + v_f + dcr i): about L i0 / (v_out + v_f).
  const double expected_s = p.l_h * 15.0 / (26.7 + p.v_f_v);
  EXPECT_NEAR(t_zero_s, expected_s, 0.05 * expected_s);
  // One 1 ms step does the same, with the zero crossing inside the step.
  Bench one(p, {50.0, 15.0, 26.7});
  one.load = Bench::Load::kBattery;
  one.r_load_ohm = 0.1;
  one.v_bat_v = 26.7;
  one.step({0.5, false, true, 0.0}, 1e-3);
  EXPECT_EQ(one.s.i_l_a, 0.0);
  EXPECT_LT(one.max_energy_error, 1e-6);
}

// Battery above the panel, converter off: current flows back through the high side's body
// diode and charges the input (the input is not reverse-proof). The LC overshoots past
// v_out - v_f and the diode traps the charge: v_in ends above the battery.
TEST(SyncBuck, DisabledBackFeedsThroughTheHighSideDiode) {
  const SyncBuckParams p = fugu_class_buck_params();
  Bench b(p, {20.0, 0.0, 30.0});
  b.r_src_ohm = 0.0;  // nothing on the input
  b.load = Bench::Load::kBattery;
  b.r_load_ohm = 0.1;
  b.v_bat_v = 30.0;
  double min_i_l = 0.0;
  for (int k = 0; k < 2000; ++k) {
    b.step({0.0, false, true, 0.0}, 1e-4);
    min_i_l = std::min(min_i_l, b.s.i_l_a);
  }
  EXPECT_LT(min_i_l, -1.0);
  EXPECT_EQ(b.s.i_l_a, 0.0);
  EXPECT_GT(b.s.v_in_v, 30.0 - p.v_f_v);
  EXPECT_LT(b.s.v_in_v, 35.0);
  EXPECT_LT(b.max_energy_error, 1e-6);
}

// Any step is stable: a cold start with 1 ms steps reaches the same steady state as 20 us
// steps (the steady state is a fixed point of the scheme at any step size).
TEST(SyncBuck, StableAtMillisecondStepsFromAColdStart) {
  SyncBuckState end[2];
  const double dts[2] = {1e-3, 20e-6};
  for (int j = 0; j < 2; ++j) {
    Bench b(fugu_class_buck_params(), {40.0, 0.0, 0.0});
    b.r_src_ohm = 0.0;
    b.i_src_a = 3.0;  // a panel in its current-source region
    b.r_load_ohm = 10.0;
    const int n = static_cast<int>(std::lround(3.0 / dts[j]));
    for (int k = 0; k < n; ++k) {
      b.step({0.8, true, true, 0.0}, dts[j]);
      ASSERT_TRUE(std::isfinite(b.s.v_out_v) && std::abs(b.s.v_out_v) < 200.0) << k;
    }
    end[j] = b.s;
    EXPECT_LT(b.max_energy_error, 1e-6);
  }
  EXPECT_NEAR(end[0].v_out_v, end[1].v_out_v, 1e-4 * end[1].v_out_v);
  EXPECT_NEAR(end[0].v_in_v, end[1].v_in_v, 1e-4 * end[1].v_in_v);
  EXPECT_NEAR(end[0].i_l_a, end[1].i_l_a, 1e-3);
  EXPECT_GT(end[1].v_out_v, 30.0);
}

// The closed-form operating point is the dynamic model's steady state.
TEST(SyncBuck, OperatingPointIsTheDynamicSteadyState) {
  const SyncBuck buck = SyncBuck::create(fugu_class_buck_params()).value();
  const auto op = buck.ccm_operating_point(52.6, 26.7, 20.0);
  ASSERT_TRUE(op.ccm);
  Bench b(fugu_class_buck_params(), {52.6, 20.0, 26.7});
  b.v_src_v = 52.6 + 0.1 * op.i_in_a;
  b.load = Bench::Load::kBattery;
  b.r_load_ohm = 0.1;
  b.v_bat_v = 26.7 - 0.1 * 20.0;
  SyncBuckStepResult r;
  for (int k = 0; k < 2000; ++k) {
    r = b.step({op.duty, true, true, 0.0}, 20e-6);
  }
  EXPECT_NEAR(r.v_in_avg_v, 52.6, 1e-6);
  EXPECT_NEAR(r.v_out_avg_v, 26.7, 1e-6);
  EXPECT_NEAR(r.i_l_avg_a, 20.0, 1e-6);
  EXPECT_NEAR(r.i_in_avg_a, op.i_in_a, 1e-6);
  EXPECT_NEAR(r.losses.total_w(), op.losses.total_w(), 1e-6);
  EXPECT_NEAR(r.losses.fet_w(), op.losses.fet_w(), 1e-6);
  const auto& l = op.losses;
  for (double w :
       {l.hs_conduction_w, l.ls_conduction_w, l.body_diode_w, l.switching_w, l.reverse_recovery_w,
        l.coss_w, l.gate_w, l.inductor_dcr_w, l.inductor_core_w, l.esr_in_w, l.esr_out_w}) {
    EXPECT_GT(w, 0.0);
  }
  const double efficiency = 26.7 * 20.0 / (52.6 * op.i_in_a);
  EXPECT_GT(efficiency, 0.95);
  EXPECT_LT(efficiency, 0.99);
  std::printf(
      "[ seed pt  ] duty %.4f ripple %.2f A eff %.4f | hs %.3f ls %.3f diode %.3f sw %.3f rr "
      "%.3f coss %.3f gate %.3f dcr %.3f core %.3f esr_in %.3f esr_out %.3f = %.3f W\n",
      op.duty, op.ripple_a, efficiency, l.hs_conduction_w, l.ls_conduction_w, l.body_diode_w,
      l.switching_w, l.reverse_recovery_w, l.coss_w, l.gate_w, l.inductor_dcr_w, l.inductor_core_w,
      l.esr_in_w, l.esr_out_w, l.total_w());
}

}  // namespace
