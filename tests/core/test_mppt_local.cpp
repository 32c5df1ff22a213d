// po-adaptive and incremental-conductance on an analytic curve behind an ideal buck, the
// tracker bank, and the shared handling of bad samples and limited duty.
#include <cstdio>
#include <cstring>

#include "harness/check.hpp"
#include "mppt_test_pv.hpp"
#include "powerstack/mppt/tracker_bank.hpp"

using powerstack::mppt::IncrementalConductance;
using powerstack::mppt::PoAdaptive;
using powerstack::mppt::Tracker;
using powerstack::mppt::TrackerBank;

namespace {

constexpr float kVbat = 24.0f;

// Converges from open circuit to 99.9 % of the MPP, stays there, and follows an irradiance
// step (full -> half current, V_oc a little lower) to 99.9 % of the new MPP.
bool converges_and_follows(Tracker& t, float period_s) {
  mppt_test::Bench bench(t, kVbat, period_s);
  const auto full = mppt_test::uniform_string(10.0f, 75.0f);
  const auto half = mppt_test::uniform_string(5.0f, 72.0f);
  bench.start(kVbat / 75.0f);
  const auto r1 = bench.run(full, 10.0f, 5.0f);
  const auto r2 = bench.run(half, 10.0f, 5.0f);
  const auto r3 = bench.run(full, 10.0f, 5.0f);
  return r1.p_tail_w >= 0.999f * full.p_max_w() && r2.p_tail_w >= 0.999f * half.p_max_w() &&
         r3.p_tail_w >= 0.999f * full.p_max_w() && r1.p_tail_w <= 1.0001f * full.p_max_w();
}

}  // namespace

PS_TEST(mppt_po_adaptive_converges_and_follows_a_step) {
  PoAdaptive t;
  PS_CHECK(converges_and_follows(t, PoAdaptive::kControlPeriodS));
}

PS_TEST(mppt_po_adaptive_step_shrinks_at_the_peak) {
  PoAdaptive t;
  mppt_test::Bench bench(t, kVbat, PoAdaptive::kControlPeriodS);
  bench.start(kVbat / 75.0f);
  bench.run(mppt_test::uniform_string(10.0f, 75.0f), 10.0f, 0.0f);
  PS_CHECK(t.step_rel() < 0.005f);
}

PS_TEST(mppt_po_adaptive_ignores_a_ramp_while_at_the_peak) {
  // A steady irradiance ramp (+20 %/s): plain P&O reads every rise as "keep going"; the
  // drift-compensated difference keeps the operating point near the moving peak.
  PoAdaptive t;
  mppt_test::Bench bench(t, kVbat, PoAdaptive::kControlPeriodS);
  bench.start(kVbat / 75.0f);
  bench.run(mppt_test::uniform_string(4.0f, 72.0f), 10.0f, 0.0f);
  double e = 0.0;
  double e_max = 0.0;
  for (int k = 0; k < 600; ++k) {  // 3 s from 4 A to 10 A Isc, changing every tick
    const auto pv = mppt_test::uniform_string(4.0f + 0.01f * static_cast<float>(k), 72.0f);
    e += static_cast<double>(bench.run(pv, 0.005f, 0.005f).p_tail_w);
    e_max += static_cast<double>(pv.p_max_w());
  }
  PS_CHECK(e >= 0.997 * e_max);
}

// 5 % of STC (0.5 A) with 0.05 V / 0.02 A of sensor noise on every sample: po-adaptive
// stays near the peak (>= 90 % of the MPP; a gate variant that kept walking on an
// insignificant effect gave 71 % here). The ungated figure is printed for comparison.
PS_TEST(mppt_po_adaptive_holds_the_peak_with_sensor_noise) {
  // On the Cortex-M3 (software float under QEMU) a shorter run, and no ungated comparison.
#ifdef PS_LONG_TESTS
  constexpr float kRunS = 60.0f;
  constexpr float kTailS = 50.0f;
#else
  constexpr float kRunS = 10.0f;
  constexpr float kTailS = 8.0f;
#endif
  const auto dim = mppt_test::uniform_string(0.5f, 70.0f);
  const auto run = [&](const PoAdaptive::Config& c) {
    PoAdaptive t(c);
    mppt_test::Bench bench(t, kVbat, PoAdaptive::kControlPeriodS);
    bench.set_noise(0.05f, 0.02f);
    bench.start(kVbat / 70.0f);
    return bench.run(dim, kRunS, kTailS).p_tail_w / dim.p_max_w();
  };
  const float gated = run(PoAdaptive::Config{});
  std::printf("  noisy 5 %% STC: %.2f %% of the MPP\n", static_cast<double>(100.0f * gated));
#ifdef PS_LONG_TESTS
  PoAdaptive::Config ungated;
  ungated.gate_sigma = 0.0f;
  std::printf("  ungated: %.2f %%\n", static_cast<double>(100.0f * run(ungated)));
#endif
  PS_CHECK(gated >= 0.90f);
}

PS_TEST(mppt_incremental_conductance_converges_and_follows_a_step) {
  IncrementalConductance t;
  PS_CHECK(converges_and_follows(t, IncrementalConductance::kControlPeriodS));
}

PS_TEST(mppt_bank_finds_every_tracker_by_name) {
  static TrackerBank bank;
  for (int k = 0; k < TrackerBank::kCount; ++k) {
    const char* name = TrackerBank::name_at(k);
    PS_CHECK(name != nullptr);
    Tracker* t = bank.find(name);
    PS_CHECK(t != nullptr && t == bank.at(k));
    PS_CHECK(std::strcmp(t->name(), name) == 0);
    PS_CHECK(TrackerBank::control_period_s(name) > 0.0f);
  }
  PS_CHECK(bank.find("no-such-tracker") == nullptr);
  PS_CHECK(bank.find(nullptr) == nullptr);
  PS_CHECK(bank.at(TrackerBank::kCount) == nullptr && bank.at(-1) == nullptr);
  PS_CHECK(TrackerBank::name_at(TrackerBank::kCount) == nullptr);
  PS_CHECK(TrackerBank::control_period_s("fugu") == 0.0f);
}

PS_TEST(mppt_every_tracker_survives_bad_samples) {
  // Documented behaviour: a non-finite value, a negative voltage or a non-positive dt
  // repeats the last command; afterwards the tracker still finds the MPP.
  static TrackerBank bank;
  const float nan = std::nanf("");
  const float inf = HUGE_VALF;
  for (int k = 0; k < TrackerBank::kCount; ++k) {
    Tracker* t = bank.at(k);
    t->reset(0.4f);
    const float dt = TrackerBank::control_period_s(t->name());
    auto last = t->step({60.0f, 8.0f, kVbat, dt}, 0.4f);
    const powerstack::mppt::PvSample bad[] = {
        {nan, 5.0f, kVbat, dt},   {60.0f, nan, kVbat, dt},    {60.0f, inf, kVbat, dt},
        {60.0f, 5.0f, nan, dt},   {60.0f, 5.0f, kVbat, 0.0f}, {60.0f, 5.0f, kVbat, -dt},
        {-1.0f, 5.0f, kVbat, dt}, {60.0f, 5.0f, -kVbat, dt},  {60.0f, 5.0f, kVbat, nan}};
    for (const auto& s : bad) {
      const auto c = t->step(s, last.duty);
      PS_CHECK(c.duty == last.duty && c.pause_converter == last.pause_converter);
    }
    // A NaN duty_applied is ignored.
    last = t->step({60.0f, 8.0f, kVbat, dt}, nan);
    PS_CHECK(std::isfinite(last.duty) && last.duty >= 0.0f && last.duty <= 1.0f);
  }
}

PS_TEST(mppt_local_trackers_resume_from_a_limited_duty) {
  // The charger ran 0.3 instead of the requested duty: the next request starts from 0.3.
  PoAdaptive po;
  IncrementalConductance inc;
  Tracker* trackers[] = {&po, &inc};
  for (Tracker* t : trackers) {
    t->reset(0.5f);
    t->step({48.0f, 9.0f, kVbat, 0.01f}, 0.5f);
    const auto c = t->step({70.0f, 2.0f, kVbat, 0.01f}, 0.3f);
    PS_CHECK(c.duty <= 0.3f * 1.05f && c.duty >= 0.3f * 0.95f);
  }
}
