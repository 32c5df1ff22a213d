#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/models/sync_buck.hpp"
#include "sim/models/sync_buck_switched.hpp"

using powerstack::sim::fugu_class_buck_params;
using powerstack::sim::SyncBuck;
using powerstack::sim::SyncBuckControl;
using powerstack::sim::SyncBuckParams;
using powerstack::sim::SyncBuckState;
using powerstack::sim::SyncBuckStepResult;
using powerstack::sim::SyncBuckSwitched;
using powerstack::sim::SyncBuckSwitchedResult;
using powerstack::sim::SyncBuckSwitchedState;

namespace {

// Source: v_src behind r_src. Load: resistor (v_bat = 0) or battery (v_bat behind r_load).
struct Case {
  std::string name;
  SyncBuckParams params;
  SyncBuckControl control;
  double v_src_v, r_src_ohm, v_bat_v, r_load_ohm;
  SyncBuckState s0;
};

struct Means {
  double i_in_a = 0.0;  // the source's current: the converter's mean input current
  double v_out_v = 0.0;
  double i_l_a = 0.0;
  double min_i_l_a = 0.0;
};

// Runs a model one switching period per step (sources and loads held over a period), first
// `settle` periods, then averages over `average` periods.
template <typename Model, typename State>
Means run(const Model& m, State& st, const SyncBuckState& circuit, const Case& c, int settle,
          int average) {
  const double t_s = 1.0 / c.params.f_sw_hz;
  double v_in = circuit.v_in_v;
  double v_out = circuit.v_out_v;
  Means acc;
  for (int k = 0; k < settle + average; ++k) {
    const double i_src = (c.v_src_v - v_in) / c.r_src_ohm;
    const double i_load = (v_out - c.v_bat_v) / c.r_load_ohm;
    const auto r = m.step(st, c.control, i_src, i_load, t_s);
    v_in = r.v_in_avg_v;
    v_out = r.v_out_avg_v;
    if (k >= settle) {
      acc.i_in_a += i_src / average;
      acc.v_out_v += r.v_out_avg_v / average;
      acc.i_l_a += r.i_l_avg_a / average;
    }
  }
  return acc;
}

double rel(double a, double b) {
  return (a - b) / std::abs(b);
}

SyncBuckParams ideal_params() {
  SyncBuckParams p;
  p.f_sw_hz = 39e3;
  return p;
}

// Averaged and switched models from the same (averaged, settled) state: mean input current,
// output voltage and inductor current within 1 %.
TEST(SyncBuckSwitched, AgreesWithTheAveragedModelInSteadyState) {
  const SyncBuckParams fugu = fugu_class_buck_params();
  const std::vector<Case> cases = {
      {"ideal ccm, R",
       ideal_params(),
       {0.4, true, true, 0.0},
       50.0,
       0.05,
       0.0,
       2.0,
       {50.0, 10.0, 20.0}},
      {"ideal dcm, R, diode em.",
       ideal_params(),
       {0.3, true, false, 0.0},
       50.0,
       0.05,
       0.0,
       50.0,
       {50.0, 0.7, 35.0}},
      {"ccm 20 A, R", fugu, {0.5, true, true, 0.0}, 50.0, 0.05, 0.0, 1.2, {50.0, 20.0, 24.0}},
      {"ccm 22 A, battery",
       fugu,
       {0.55, true, true, 0.0},
       52.6,
       0.05,
       26.0,
       0.1,
       {52.6, 20.0, 26.7}},
      {"ccm 20 A, R, diode em.",
       fugu,
       {0.5, true, false, 0.0},
       50.0,
       0.05,
       0.0,
       1.2,
       {50.0, 20.0, 24.0}},
      {"dcm 0.7 A, R, diode em.",
       fugu,
       {0.3, true, false, 0.0},
       50.0,
       0.05,
       0.0,
       50.0,
       {50.0, 0.7, 35.0}},
      {"dcm 1.1 A, battery, d.em.",
       fugu,
       {0.3, true, false, 0.0},
       50.0,
       0.05,
       30.0,
       0.5,
       {50.0, 0.7, 30.0}},
      {"forced ccm 2 A (zvs), R",
       fugu,
       {0.5, true, true, 0.0},
       50.0,
       0.05,
       0.0,
       12.0,
       {50.0, 2.0, 24.0}},
      {"reverse -6 A, battery",
       fugu,
       {0.45, true, true, 0.0},
       50.0,
       0.5,
       26.0,
       0.1,
       {50.0, 0.0, 26.0}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const SyncBuck avg = SyncBuck::create(c.params).value();
    const SyncBuckSwitched sw = SyncBuckSwitched::create(c.params, 1000).value();
    SyncBuckState settled = c.s0;
    run(avg, settled, settled, c, 4000, 1);  // 100 ms: the averaged steady state
    SyncBuckState s_avg = settled;
    const Means a = run(avg, s_avg, s_avg, c, 400, 400);
    SyncBuckSwitchedState s_sw;
    s_sw.circuit = settled;
    const Means s = run(sw, s_sw, s_sw.circuit, c, 800, 400);
    EXPECT_NEAR(rel(a.i_in_a, s.i_in_a), 0.0, 0.01);
    EXPECT_NEAR(rel(a.v_out_v, s.v_out_v), 0.0, 0.01);
    EXPECT_NEAR(rel(a.i_l_a, s.i_l_a), 0.0, 0.01);
    std::printf(
        "[ avg/sw   ] %-26s i_in %8.4f / %8.4f A (%+.3f %%)  v_out %7.4f / %7.4f V (%+.3f %%)  "
        "i_l %8.4f / %8.4f A (%+.3f %%)\n",
        c.name.c_str(), a.i_in_a, s.i_in_a, 100.0 * rel(a.i_in_a, s.i_in_a), a.v_out_v, s.v_out_v,
        100.0 * rel(a.v_out_v, s.v_out_v), a.i_l_a, s.i_l_a, 100.0 * rel(a.i_l_a, s.i_l_a));
  }
}

TEST(SyncBuckSwitched, DiodeEmulationNeverCarriesReverseCurrent) {
  const SyncBuckParams p = fugu_class_buck_params();
  const SyncBuckSwitched sw = SyncBuckSwitched::create(p, 400).value();
  SyncBuckSwitchedState st;
  st.circuit = {50.0, 0.0, 26.0};
  double min_i = 0.0;
  double max_i = 0.0;
  for (int k = 0; k < 4000; ++k) {  // 1 us steps: sample the waveform within periods
    const double i_load = (st.circuit.v_out_v - 26.0) / 0.1;
    sw.step(st, {0.4, true, false, 0.0}, (50.0 - st.circuit.v_in_v) / 0.5, i_load, 1e-6);
    min_i = std::min(min_i, st.circuit.i_l_a);
    max_i = std::max(max_i, st.circuit.i_l_a);
  }
  EXPECT_EQ(min_i, 0.0);
  EXPECT_GT(max_i, 1.0);  // DCM pulses
}

TEST(SyncBuckSwitched, RefusesTooFewSubsteps) {
  EXPECT_FALSE(SyncBuckSwitched::create(fugu_class_buck_params(), 10).ok());
  EXPECT_TRUE(SyncBuckSwitched::create(fugu_class_buck_params(), 100).ok());
}

}  // namespace
