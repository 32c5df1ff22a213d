// global-scan against local P&O on partially shaded strings (two and three maxima).
#include "harness/check.hpp"
#include "mppt_test_pv.hpp"
#include "powerstack/mppt/global_scan.hpp"
#include "powerstack/mppt/po_adaptive.hpp"

using powerstack::mppt::GlobalScan;
using powerstack::mppt::PoAdaptive;

namespace {

constexpr float kVbat = 24.0f;

mppt_test::PvString shaded(float a, float b, float c) {
  mppt_test::PvString s;
  s.n = 3;
  s.sub[0] = {10.0f * a, 25.0f};
  s.sub[1] = {10.0f * b, 25.0f};
  s.sub[2] = {10.0f * c, 25.0f};
  return s;
}

// Mean power of the last 5 s of 20 s, starting from open circuit.
float tail_power(powerstack::mppt::Tracker& t, const mppt_test::PvString& pv) {
  mppt_test::Bench bench(t, kVbat, 0.005f);
  bench.start(kVbat / pv.voc_v());
  return bench.run(pv, 20.0f, 5.0f).p_tail_w;
}

}  // namespace

PS_TEST(mppt_global_scan_finds_the_global_peak_where_po_sticks) {
  const mppt_test::PvString cases[] = {shaded(1.0f, 1.0f, 0.3f), shaded(1.0f, 0.6f, 0.3f)};
  for (const auto& pv : cases) {
    float v_global = 0.0f;
    const float p_global = pv.p_max_w(&v_global);
    PS_CHECK(v_global > kVbat / 0.97f);  // reachable by the buck
    PoAdaptive po;
    GlobalScan gs;
    const float p_po = tail_power(po, pv);
    const float p_gs = tail_power(gs, pv);
    // Local P&O from open circuit climbs the first (high-voltage) hill and stays there.
    PS_CHECK(p_po < 0.9f * p_global);
    PS_CHECK(p_gs >= 0.995f * p_global);
    PS_CHECK(p_gs <= 1.0001f * p_global);
    PS_CHECK(gs.scans() == 1);
  }
}

PS_TEST(mppt_global_scan_rescans_when_shading_appears) {
  GlobalScan gs;
  mppt_test::Bench bench(gs, kVbat, GlobalScan::kControlPeriodS);
  const auto clear = shaded(1.0f, 1.0f, 1.0f);
  const auto shade = shaded(1.0f, 1.0f, 0.3f);
  bench.start(kVbat / clear.voc_v());
  const auto r0 = bench.run(clear, 30.0f, 5.0f);
  PS_CHECK(r0.p_tail_w >= 0.999f * clear.p_max_w());
  // Shading drops the power by > 20 %: a scan once it is steady (and >= 20 s after the last).
  const auto r1 = bench.run(shade, 15.0f, 5.0f);
  PS_CHECK(gs.scans() == 2);
  PS_CHECK(r1.p_tail_w >= 0.995f * shade.p_max_w());
}

PS_TEST(mppt_global_scan_is_rate_limited) {
  GlobalScan gs;
  mppt_test::Bench bench(gs, kVbat, GlobalScan::kControlPeriodS);
  const auto pv = shaded(1.0f, 1.0f, 1.0f);
  bench.start(0.5f);
  bench.run(pv, 299.0f, 0.0f);
  PS_CHECK(gs.scans() == 1);  // steady light: only the periodic scan, every 300 s
  bench.run(pv, 2.0f, 0.0f);
  PS_CHECK(gs.scans() == 2);
}
