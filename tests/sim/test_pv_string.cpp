// PV string of bypassed substrings: uniform light, partial shading with two local maxima,
// round trips, the bypass clamp, and the global MPP against a brute-force scan over V.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/models/pv_single_diode.hpp"
#include "sim/models/pv_string.hpp"

namespace powerstack::sim {
namespace {

// Illustrative 72-cell module, 3 substrings of 24 cells with a bypass diode each.
const PvModuleParams k72Cell{10.32, 49.6, 9.76, 41.0, 0.00048, -0.0028, 72};

PvModuleFit module_fit() {
  const PvModuleFit fit = fit_pv_module(k72Cell);
  EXPECT_TRUE(fit.ok) << fit.error;
  return fit;
}

// Largest V*I(V) over a uniform voltage grid (independent of the string's MPP search).
PvMpp brute_force_mpp(const PvString& s, int n) {
  PvMpp best;
  const double voc = s.voc_v();
  for (int k = 0; k <= n; ++k) {
    const double v = voc * k / n;
    const double i = s.current_a(v);
    if (v * i > best.p_w) {
      best = {v, i, v * i};
    }
  }
  return best;
}

TEST(PvString, UniformLightMatchesTheModule) {
  const PvModuleFit fit = module_fit();
  const std::array<PvConditions, 3> stc{};
  const PvString s = make_pv_string(fit, 3, stc);
  ASSERT_TRUE(s.valid());
  const PvSummary module = pv_summary(fit.stc);
  // The bypass diodes only leak (1 uA at most) while the substrings generate.
  EXPECT_NEAR(s.voc_v(), module.voc_v, 1e-5 * module.voc_v);
  EXPECT_NEAR(s.isc_a(), module.isc_a, 1e-5 * module.isc_a);
  const std::vector<PvMpp> maxima = s.local_maxima();
  ASSERT_EQ(maxima.size(), 1U);
  EXPECT_NEAR(maxima[0].p_w, module.pmp_w, 1e-5 * module.pmp_w);
  EXPECT_NEAR(maxima[0].v_v, module.vmp_v, 1e-3 * module.vmp_v);
}

TEST(PvString, ShadedSubstringGivesTwoMaximaAndTheGlobalOneIsFound) {
  const PvModuleFit fit = module_fit();
  const std::array<PvConditions, 3> cond{{{1000.0, 25.0}, {300.0, 25.0}, {1000.0, 25.0}}};
  const PvString s = make_pv_string(fit, 3, cond);
  ASSERT_TRUE(s.valid());
  const std::vector<PvMpp> maxima = s.local_maxima();
  ASSERT_EQ(maxima.size(), 2U);
  // Low-voltage peak: the shaded substring bypassed, two substrings at full current.
  // High-voltage peak: all three in series at about the shaded substring's current.
  EXPECT_LT(maxima[0].v_v, maxima[1].v_v);
  EXPECT_GT(maxima[0].i_a, 0.8 * k72Cell.imp_a);
  EXPECT_LT(maxima[1].i_a, 0.35 * k72Cell.isc_a);
  const PvMpp global = s.global_mpp();
  EXPECT_EQ(global.p_w, std::max(maxima[0].p_w, maxima[1].p_w));
  EXPECT_EQ(global.v_v, maxima[0].v_v);
  // Each maximum is flat: P is lower a little to either side.
  for (const PvMpp& m : maxima) {
    for (double dv : {-0.05, 0.05}) {
      const double v = m.v_v + dv;
      EXPECT_LT(v * s.current_a(v), m.p_w);
    }
  }
  // A dense scan over V never beats the global MPP and comes within its grid error.
  const PvMpp brute = brute_force_mpp(s, 4000);
  EXPECT_LE(brute.p_w, global.p_w * (1.0 + 1e-12));
  EXPECT_NEAR(brute.p_w, global.p_w, 1e-5 * global.p_w);
  std::printf(
      "[ figures  ] shaded 1/3 at 30 %%: maxima %.2f W @ %.2f V and %.2f W @ %.2f V; "
      "brute-force scan %.4f W, global %.4f W\n",
      maxima[0].p_w, maxima[0].v_v, maxima[1].p_w, maxima[1].v_v, brute.p_w, global.p_w);
}

TEST(PvString, BypassDiodeClampsTheShadedSubstring) {
  const PvModuleFit fit = module_fit();
  const std::array<PvConditions, 3> cond{{{1000.0, 25.0}, {300.0, 25.0}, {1000.0, 25.0}}};
  const PvString s = make_pv_string(fit, 3, cond);
  // At the full-light Imp the shaded substring is bypassed: -0.3 .. -0.5 V.
  const double v_shaded = s.substring_voltage_v(1, k72Cell.imp_a);
  EXPECT_LT(v_shaded, -0.3);
  EXPECT_GT(v_shaded, -0.5);
  // Without bypass diodes it would be driven deep into reverse bias.
  const PvString no_bypass = make_pv_string(fit, 3, cond, BypassDiode{0.0, 0.026});
  EXPECT_LT(no_bypass.substring_voltage_v(1, k72Cell.imp_a), -5.0);
  EXPECT_EQ(no_bypass.local_maxima().size(), 1U);
}

TEST(PvString, RoundTripsMonotonicAndFinite) {
  const PvModuleFit fit = module_fit();
  // Two modules, six substrings, mixed light and temperature.
  const std::array<PvConditions, 6> cond{{{1000.0, 45.0},
                                          {800.0, 40.0},
                                          {150.0, 30.0},
                                          {1000.0, 45.0},
                                          {600.0, 35.0},
                                          {1000.0, 45.0}}};
  const PvString s = make_pv_string(fit, 3, cond);
  ASSERT_TRUE(s.valid());
  const double voc = s.voc_v();
  const double isc = s.isc_a();
  double prev_i = 1e300;
  for (int k = 0; k <= 300; ++k) {
    const double v = -10.0 + (1.2 * voc + 10.0) * k / 300.0;
    const double i = s.current_a(v);
    ASSERT_TRUE(std::isfinite(i)) << v;
    EXPECT_LT(i, prev_i) << v;
    prev_i = i;
    EXPECT_NEAR(s.voltage_v(i), v, 1e-9 * voc) << v;
  }
  for (int k = 0; k <= 100; ++k) {
    const double i = -isc + 3.0 * isc * k / 100.0;
    const double v = s.voltage_v(i);
    ASSERT_TRUE(std::isfinite(v)) << i;
    EXPECT_NEAR(s.current_a(v), i, 1e-9 * isc) << i;
  }
  const PvMpp global = s.global_mpp();
  const PvMpp brute = brute_force_mpp(s, 4000);
  EXPECT_LE(brute.p_w, global.p_w * (1.0 + 1e-12));
  EXPECT_NEAR(brute.p_w, global.p_w, 1e-5 * global.p_w);
  EXPECT_GE(s.local_maxima().size(), 2U);
  const std::vector<PvPoint> c = s.curve(20);
  ASSERT_EQ(c.size(), 20U);
  EXPECT_NEAR(c.back().i_a, 0.0, 1e-9 * isc);
}

TEST(PvString, InvalidOrDarkStrings) {
  const PvString empty({});
  EXPECT_FALSE(empty.valid());
  EXPECT_TRUE(std::isnan(empty.voltage_v(1.0)));
  EXPECT_TRUE(std::isnan(empty.current_a(1.0)));
  EXPECT_TRUE(empty.local_maxima().empty());
  EXPECT_EQ(empty.global_mpp().p_w, 0.0);
  PvModuleFit not_fitted;
  const std::array<PvConditions, 3> stc{};
  EXPECT_FALSE(make_pv_string(not_fitted, 3, stc).valid());
  const std::array<PvConditions, 3> dark{{{0.0, 25.0}, {0.0, 25.0}, {0.0, 25.0}}};
  const PvString night = make_pv_string(module_fit(), 3, dark);
  ASSERT_TRUE(night.valid());
  EXPECT_EQ(night.global_mpp().p_w, 0.0);
  EXPECT_TRUE(std::isfinite(night.current_a(1.0)));
}

}  // namespace
}  // namespace powerstack::sim
