// The two FUGU baselines on an analytic curve behind an ideal buck (mppt_test_pv.hpp).
#include "harness/check.hpp"
#include "mppt_test_pv.hpp"
#include "powerstack/mppt/fugu_fl4p.hpp"
#include "powerstack/mppt/fugu_original.hpp"

using powerstack::mppt::FuguFl4p;
using powerstack::mppt::FuguOriginal;

namespace {

constexpr float kVbat = 24.0f;

}  // namespace

PS_TEST(mppt_fugu_original_moves_one_count_a_tick) {
  FuguOriginal t;
  mppt_test::Bench bench(t, kVbat, FuguOriginal::kControlPeriodS);
  const auto pv = mppt_test::uniform_string(10.0f, 75.0f);
  bench.start(0.4f);
  float last = bench.command().duty;
  for (int k = 0; k < 200; ++k) {
    bench.run(pv, FuguOriginal::kControlPeriodS, 0.0f);
    const float d = bench.command().duty;
    // One count up or down, unless the predictive floor lifted it.
    PS_CHECK(std::fabs(std::fabs(d - last) - 1.0f / 2048.0f) < 1e-6f || d > last);
    last = d;
  }
}

PS_TEST(mppt_fugu_original_converges_from_open_circuit) {
  FuguOriginal t;
  mppt_test::Bench bench(t, kVbat, FuguOriginal::kControlPeriodS);
  const auto pv = mppt_test::uniform_string(10.0f, 75.0f);
  const float p_max = pv.p_max_w();
  bench.start(kVbat / 75.0f);
  const auto r = bench.run(pv, 20.0f, 5.0f);
  // Three-level oscillation of one count (0.05 % of the duty, ~0.1 % of V) costs < 0.1 %.
  PS_CHECK(r.p_tail_w >= 0.999f * p_max);
  PS_CHECK(r.p_tail_w <= 1.0001f * p_max);
}

PS_TEST(mppt_fugu_original_predictive_floor) {
  FuguOriginal t;
  t.reset(0.1f);
  // v_bat / v_pv = 0.5: the floor is 0.995 * 0.5 whatever the P&O decided.
  const auto c = t.step({40.0f, 1.0f, 20.0f, 0.01f}, 0.1f);
  PS_CHECK_NEAR(c.duty, 0.995f * 0.5f, 1e-6f);
  PS_CHECK(!c.pause_converter);
}

PS_TEST(mppt_fugu_fl4p_sweeps_then_tracks) {
  FuguFl4p t;
  mppt_test::Bench bench(t, kVbat, FuguFl4p::kControlPeriodS);
  const auto pv = mppt_test::uniform_string(10.0f, 75.0f);
  const float p_max = pv.p_max_w();
  bench.start(0.5f);
  PS_CHECK(t.sweeping());
  // The sweep starts from zero duty and climbs.
  bench.run(pv, 1.0f, 0.0f);
  PS_CHECK(bench.command().duty > 0.0f && bench.command().duty < 0.05f);
  // 30 s sweep, then fade and P&O: the published thresholds (1.5 W, 10 %) keep it within
  // about 1.5 W / 540 W of the top on average.
  const auto r = bench.run(pv, 80.0f, 20.0f);
  PS_CHECK(!t.sweeping());
  PS_CHECK(r.p_tail_w >= 0.995f * p_max);
}

PS_TEST(mppt_fugu_fl4p_sweeps_again_after_30_min) {
  FuguFl4p::Config c;
  c.sweep_period_s = 60.0f;  // shortened so the test runs quickly
  FuguFl4p t(c);
  mppt_test::Bench bench(t, kVbat, FuguFl4p::kControlPeriodS);
  const auto pv = mppt_test::uniform_string(10.0f, 75.0f);
  bench.start(0.5f);
  bench.run(pv, 55.0f, 0.0f);
  PS_CHECK(!t.sweeping());
  bench.run(pv, 10.0f, 0.0f);
  PS_CHECK(t.sweeping());
}

PS_TEST(mppt_fugu_bad_samples_repeat_the_last_duty) {
  FuguOriginal a;
  FuguFl4p b;
  powerstack::mppt::Tracker* trackers[] = {&a, &b};
  for (auto* t : trackers) {
    t->reset(0.4f);
    const auto first = t->step({60.0f, 5.0f, kVbat, 0.01f}, 0.4f);
    const float nan = std::nanf("");
    const powerstack::mppt::PvSample bad[] = {
        {nan, 5.0f, kVbat, 0.01f},  {60.0f, nan, kVbat, 0.01f},   {60.0f, 5.0f, nan, 0.01f},
        {60.0f, 5.0f, kVbat, 0.0f}, {60.0f, 5.0f, kVbat, -0.01f}, {-3.0f, 5.0f, kVbat, 0.01f},
        {60.0f, 5.0f, kVbat, nan}};
    for (const auto& s : bad) {
      const auto c = t->step(s, 0.4f);
      PS_CHECK(c.duty == first.duty);
    }
  }
}
