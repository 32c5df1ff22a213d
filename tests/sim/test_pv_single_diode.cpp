// Single-diode PV model: pvlib's published values, an independent bisection solver over
// several regimes, round trips, finiteness, and the datasheet fit with De Soto scaling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/models/pv_single_diode.hpp"

namespace powerstack::sim {
namespace {

// ---- Independent reference: plain bisection on the implicit equation ----------------------
double implicit_f(const SingleDiodeParams& p, double v, double i) {
  const double vd = v + i * p.rs_ohm;
  return p.il_a - p.i0_a * std::expm1(vd / p.nnsvth_v) - vd / p.rsh_ohm - i;
}

// f is decreasing in I and in V: expand a bracket, then halve it until it stops shrinking.
template <class F>
double bisect_decreasing(F f, double guess) {
  double lo = guess - 1.0;
  double hi = guess + 1.0;
  for (double step = 1.0; f(lo) <= 0.0; step *= 2.0) {
    lo -= step;
  }
  for (double step = 1.0; f(hi) >= 0.0; step *= 2.0) {
    hi += step;
  }
  for (int it = 0; it < 2000; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) {
      break;
    }
    (f(mid) > 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double ref_current(const SingleDiodeParams& p, double v) {
  return bisect_decreasing([&](double i) { return implicit_f(p, v, i); }, p.il_a);
}

double ref_voltage(const SingleDiodeParams& p, double i) {
  return bisect_decreasing([&](double v) { return implicit_f(p, v, i); }, 0.0);
}

// Golden section on P(V) with the bisection current: an independent MPP.
double ref_pmp(const SingleDiodeParams& p) {
  double a = 0.0;
  double b = ref_voltage(p, 0.0);
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  for (int it = 0; it < 200; ++it) {
    const double c = b - g * (b - a);
    const double d = a + g * (b - a);
    if (c * ref_current(p, c) > d * ref_current(p, d)) {
      b = d;
    } else {
      a = c;
    }
  }
  const double v = 0.5 * (a + b);
  return v * ref_current(p, v);
}

struct Regime {
  const char* name;
  SingleDiodeParams p;
};

// IL, I0, Rs, Rsh, nNsVth.
const std::vector<Regime>& regimes() {
  static const std::vector<Regime> r = {
      {"pvlib_row", {7.0, 6e-7, 0.1, 20.0, 0.5}},
      {"high_rs", {7.0, 6e-7, 1.5, 20.0, 0.5}},
      {"low_rs", {7.0, 6e-7, 1e-4, 20.0, 0.5}},
      {"zero_rs", {7.0, 6e-7, 0.0, 20.0, 0.5}},
      {"low_rsh", {7.0, 6e-7, 0.1, 1.5, 0.5}},
      {"low_il", {1e-3, 6e-7, 0.1, 20.0, 0.5}},
      {"large_i0", {7.0, 5e-2, 0.1, 20.0, 0.5}},
      {"large_nnsvth", {1.5, 2e-6, 4.6, 5000.0, 8.0}},
      {"module_72cell", {10.33, 1.5e-11, 0.30, 420.0, 1.82}},
      {"steep_diode", {9.0, 1e-16, 0.2, 300.0, 0.6}},
  };
  return r;
}

TEST(LambertW, SatisfiesDefinitionOverManyDecades) {
  for (double x : {-0.36787944117144233, -0.3, -0.1, -1e-10, 1e-300, 1e-12, 0.5, 1.0, 2.718, 7.0,
                   7.5, 100.0, 1e10, 1e100, 1e300}) {
    const double w = lambert_w0(x);
    ASSERT_TRUE(std::isfinite(w)) << x;
    EXPECT_NEAR(w * std::exp(w), x, 1e-14 * std::max(1.0, std::fabs(x)) + 1e-300) << x;
  }
  EXPECT_EQ(lambert_w0(0.0), 0.0);
  EXPECT_NEAR(lambert_w0(1.0), 0.5671432904097838, 1e-15);
  EXPECT_TRUE(std::isnan(lambert_w0(-0.5)));
  // Log form: w + ln w = L, even where exp(L) overflows.
  for (double log_x : {-800.0, -50.0, 0.0, 1.9, 2.1, 30.0, 700.0, 1e4, 1e8}) {
    const double w = lambert_w0_of_exp(log_x);
    ASSERT_TRUE(std::isfinite(w)) << log_x;
    if (log_x > -700.0) {
      EXPECT_NEAR(w + std::log(w), log_x, 1e-13 * std::max(1.0, std::fabs(log_x))) << log_x;
    }
  }
}

TEST(PvSingleDiode, MatchesPvlibPublishedRow) {
  // pvlib tests/test_singlediode.py, test_singlediode_floats (lambertw, atol 1e-6).
  const SingleDiodeParams p{7.0, 6e-7, 0.1, 20.0, 0.5};
  const PvSummary s = pv_summary(p);
  EXPECT_NEAR(s.isc_a, 6.965172322, 1e-6);
  EXPECT_NEAR(s.voc_v, 8.106300147, 1e-6);
  EXPECT_NEAR(s.imp_a, 6.136267360, 1e-6);
  EXPECT_NEAR(s.vmp_v, 6.224339375, 1e-6);
  EXPECT_NEAR(s.pmp_w, 38.19421055, 1e-6);
  EXPECT_NEAR(pv_current_a(p, s.voc_v / 2.0), 6.7558815684, 1e-6);             // i_x
  EXPECT_NEAR(pv_current_a(p, (s.voc_v + s.vmp_v) / 2.0), 4.264060478, 1e-6);  // i_xx
  std::printf(
      "[ figures  ] pvlib row: |d isc| %.1e |d voc| %.1e |d imp| %.1e |d vmp| %.1e "
      "|d pmp| %.1e\n",
      std::fabs(s.isc_a - 6.965172322), std::fabs(s.voc_v - 8.106300147),
      std::fabs(s.imp_a - 6.136267360), std::fabs(s.vmp_v - 6.224339375),
      std::fabs(s.pmp_w - 38.19421055));
}

TEST(PvSingleDiode, MatchesPvlibArrayCase) {
  // pvlib tests/test_pvsystem.py, test_singlediode_array (GitHub issue 221, lambertw,
  // atol 1e-8): IL = 0..10 A. (Older pvlib releases published a coarser i_mp array, off
  // by up to 0.013 A, checked to atol 0.01.)
  const double expected_i[] = {0.0,
                               0.54614798740338,
                               1.435026463529,
                               2.3621366610078,
                               3.2953968319952,
                               4.2303869378787,
                               5.1655276691892,
                               6.1000269648604,
                               7.0333996177802,
                               7.9653036915959,
                               8.8954716265647};
  const double expected_v[] = {0.0,
                               7.0966259059555,
                               7.9961986643428,
                               8.2222496810656,
                               8.3255927555753,
                               8.3766915453915,
                               8.3988872440242,
                               8.4027948807891,
                               8.3941399580559,
                               8.3763655188855,
                               8.3517057522791};
  double worst_i = 0.0;
  double worst_v = 0.0;
  for (int k = 0; k <= 10; ++k) {
    const SingleDiodeParams p{static_cast<double>(k), 1.943e-9, 0.094, 16.0, 0.473};
    const PvMpp m = pv_mpp(p);
    worst_i = std::max(worst_i, std::fabs(m.i_a - expected_i[k]));
    worst_v = std::max(worst_v, std::fabs(m.v_v - expected_v[k]));
    EXPECT_NEAR(m.i_a, expected_i[k], 1e-8) << "IL = " << k;
    EXPECT_NEAR(m.v_v, expected_v[k], 1e-8) << "IL = " << k;
  }
  std::printf("[ figures  ] pvlib array case: max |d i_mp| %.1e A, max |d v_mp| %.1e V\n", worst_i,
              worst_v);
}

TEST(PvSingleDiode, AgreesWithBisectionInEveryRegime) {
  for (const Regime& r : regimes()) {
    const SingleDiodeParams& p = r.p;
    const double voc_ref = ref_voltage(p, 0.0);
    const double isc_ref = ref_current(p, 0.0);
    EXPECT_NEAR(pv_voc_v(p), voc_ref, 1e-9 * voc_ref) << r.name;
    EXPECT_NEAR(pv_isc_a(p), isc_ref, 1e-9 * isc_ref) << r.name;
    double worst_i = 0.0;
    double worst_v = 0.0;
    for (int k = 0; k <= 200; ++k) {
      const double v = -10.0 + (1.2 * voc_ref + 10.0) * k / 200.0;
      const double i_ref = ref_current(p, v);
      const double scale = std::max(std::fabs(i_ref), isc_ref);
      worst_i = std::max(worst_i, std::fabs(pv_current_a(p, v) - i_ref) / scale);
      const double i = -isc_ref + 3.0 * isc_ref * k / 200.0;
      const double v_ref = ref_voltage(p, i);
      const double vscale = std::max(std::fabs(v_ref), voc_ref);
      worst_v = std::max(worst_v, std::fabs(pv_voltage_v(p, i) - v_ref) / vscale);
    }
    EXPECT_LT(worst_i, 1e-9) << r.name;
    EXPECT_LT(worst_v, 1e-9) << r.name;
    const double pmp_ref = ref_pmp(p);
    const PvMpp m = pv_mpp(p);
    EXPECT_NEAR(m.p_w, pmp_ref, 1e-9 * pmp_ref) << r.name;
    EXPECT_NEAR(m.i_a, ref_current(p, m.v_v), 1e-9 * isc_ref) << r.name;
    std::printf("[ figures  ] %-14s max rel err I(V) %.1e V(I) %.1e; Pmp %.1e\n", r.name, worst_i,
                worst_v, std::fabs(m.p_w - pmp_ref) / pmp_ref);
  }
}

TEST(PvSingleDiode, RoundTripsAndStaysFinite) {
  for (const Regime& r : regimes()) {
    const SingleDiodeParams& p = r.p;
    const double voc = pv_voc_v(p);
    const double isc = pv_isc_a(p);
    for (int k = 0; k <= 2000; ++k) {
      const double v = -10.0 + (1.2 * voc + 10.0) * k / 2000.0;
      const double i = pv_current_a(p, v);
      ASSERT_TRUE(std::isfinite(i)) << r.name << " v=" << v;
      ASSERT_TRUE(std::isfinite(pv_slope_a_per_v(p, v))) << r.name << " v=" << v;
      const double v_back = pv_voltage_v(p, i);
      ASSERT_TRUE(std::isfinite(v_back)) << r.name << " v=" << v;
      EXPECT_NEAR(pv_current_a(p, v_back), i, 1e-9 * std::max(isc, std::fabs(i)))
          << r.name << " v=" << v;
    }
    for (int k = 0; k <= 200; ++k) {
      const double i = -2.0 * isc + 4.0 * isc * k / 200.0;
      const double v = pv_voltage_v(p, i);
      ASSERT_TRUE(std::isfinite(v)) << r.name << " i=" << i;
      EXPECT_NEAR(pv_current_a(p, v), i, 1e-9 * std::max(isc, std::fabs(i))) << r.name;
    }
    // Far outside the normal range: still finite with Rs > 0.
    if (p.rs_ohm > 0.0) {
      for (double v : {-1e6, -1e3, 1e3, 1e6}) {
        EXPECT_TRUE(std::isfinite(pv_current_a(p, v))) << r.name << " v=" << v;
      }
    }
  }
}

TEST(PvSingleDiode, CurveAndInvalidInput) {
  const SingleDiodeParams p{7.0, 6e-7, 0.1, 20.0, 0.5};
  const std::vector<PvPoint> c = pv_curve(p, 5);
  ASSERT_EQ(c.size(), 5U);
  EXPECT_EQ(c.front().v_v, 0.0);
  EXPECT_NEAR(c.front().i_a, pv_isc_a(p), 1e-12);
  EXPECT_NEAR(c.back().v_v, pv_voc_v(p), 1e-12);
  EXPECT_NEAR(c.back().i_a, 0.0, 1e-9);
  EXPECT_TRUE(pv_curve(p, 1).empty());
  SingleDiodeParams bad = p;
  bad.rsh_ohm = 0.0;
  EXPECT_TRUE(std::isnan(pv_current_a(bad, 1.0)));
  bad = p;
  bad.i0_a = -1.0;
  EXPECT_TRUE(std::isnan(pv_voltage_v(bad, 1.0)));
  // Dark panel: IL = 0 gives no power, not NaN.
  const SingleDiodeParams dark{0.0, 6e-7, 0.1, 20.0, 0.5};
  EXPECT_NEAR(pv_voc_v(dark), 0.0, 1e-12);
  EXPECT_EQ(pv_mpp(dark).p_w, 0.0);
}

// ---- Datasheet fit ------------------------------------------------------------------------
// Illustrative values of typical 60-cell (~300 W) and 72-cell (~400 W) mono c-Si modules.
const PvModuleParams k60Cell{9.75, 39.8, 9.21, 32.6, 0.0005, -0.0030, 60};
const PvModuleParams k72Cell{10.32, 49.6, 9.76, 41.0, 0.00048, -0.0028, 72};

void expect_fit_reproduces(const PvModuleParams& ds, const char* name) {
  const PvModuleFit fit = fit_pv_module(ds);
  ASSERT_TRUE(fit.ok) << name << ": " << fit.error;
  EXPECT_TRUE(fit.beta_matched) << name;
  const PvSummary s = pv_summary(fit.stc);
  const double e_isc = std::fabs(s.isc_a / ds.isc_a - 1.0);
  const double e_voc = std::fabs(s.voc_v / ds.voc_v - 1.0);
  const double e_imp = std::fabs(s.imp_a / ds.imp_a - 1.0);
  const double e_vmp = std::fabs(s.vmp_v / ds.vmp_v - 1.0);
  EXPECT_LT(e_isc, 1e-4) << name;
  EXPECT_LT(e_voc, 1e-4) << name;
  EXPECT_LT(e_imp, 1e-4) << name;
  EXPECT_LT(e_vmp, 1e-4) << name;
  std::printf(
      "[ figures  ] fit %s: n %.4f Rs %.4f Rsh %.1f I0 %.3e IL %.4f nNsVth %.4f; "
      "rel err Isc %.1e Voc %.1e Imp %.1e Vmp %.1e\n",
      name, fit.ideality, fit.stc.rs_ohm, fit.stc.rsh_ohm, fit.stc.i0_a, fit.stc.il_a,
      fit.stc.nnsvth_v, e_isc, e_voc, e_imp, e_vmp);
}

TEST(PvModuleFit, ReproducesDatasheetPointsFor60And72Cells) {
  expect_fit_reproduces(k60Cell, "60-cell");
  expect_fit_reproduces(k72Cell, "72-cell");
}

TEST(PvModuleFit, TemperatureCoefficientsFollowTheDatasheet) {
  for (const PvModuleParams& ds : {k60Cell, k72Cell}) {
    const PvModuleFit fit = fit_pv_module(ds);
    ASSERT_TRUE(fit.ok) << fit.error;
    // Over a wide 0..50 C span, not only at the 25 +- 0.5 C the fit used.
    const SingleDiodeParams cold = module_params_at(fit, 1000.0, 0.0);
    const SingleDiodeParams hot = module_params_at(fit, 1000.0, 50.0);
    const double beta = (pv_voc_v(hot) - pv_voc_v(cold)) / (50.0 * ds.voc_v);
    const double alpha = (pv_isc_a(hot) - pv_isc_a(cold)) / (50.0 * ds.isc_a);
    EXPECT_NEAR(beta / ds.beta_voc_per_k, 1.0, 0.03);
    EXPECT_NEAR(alpha / ds.alpha_isc_per_k, 1.0, 0.03);
    EXPECT_NEAR(fit.beta_voc_model_per_k, ds.beta_voc_per_k, 1e-9);
    std::printf(
        "[ figures  ] %d cells, 0..50 C: beta/datasheet - 1 = %+.1e, alpha/datasheet - 1 = "
        "%+.1e\n",
        ds.cells_in_series, beta / ds.beta_voc_per_k - 1.0, alpha / ds.alpha_isc_per_k - 1.0);
  }
}

TEST(PvModuleFit, IrradianceScaling) {
  const PvModuleFit fit = fit_pv_module(k72Cell);
  ASSERT_TRUE(fit.ok) << fit.error;
  const PvSummary stc = pv_summary(module_params_at(fit, 1000.0, 25.0));
  const PvSummary low = pv_summary(module_params_at(fit, 200.0, 25.0));
  EXPECT_NEAR(low.isc_a / stc.isc_a, 0.2, 0.002);
  EXPECT_LT(low.voc_v, stc.voc_v);
  EXPECT_GT(low.voc_v, 0.9 * stc.voc_v);
  const PvSummary dark = pv_summary(module_params_at(fit, 0.0, 25.0));
  EXPECT_TRUE(std::isfinite(dark.voc_v));
  EXPECT_EQ(dark.pmp_w, 0.0);
}

TEST(PvModuleFit, RejectsImpossibleDatasheets) {
  PvModuleParams ds = k60Cell;
  ds.imp_a = ds.isc_a + 0.1;
  EXPECT_FALSE(fit_pv_module(ds).ok);
  ds = k60Cell;
  ds.beta_voc_per_k = 0.003;
  EXPECT_FALSE(fit_pv_module(ds).ok);
  ds = k60Cell;
  ds.beta_voc_per_k = -0.29;  // given in %/K by mistake
  EXPECT_FALSE(fit_pv_module(ds).ok);
  ds = k60Cell;
  ds.cells_in_series = 0;
  EXPECT_FALSE(fit_pv_module(ds).ok);
  ds = k60Cell;
  ds.vmp_v = 0.99 * ds.voc_v;  // fill factor beyond any diode curve
  ds.imp_a = 0.99 * ds.isc_a;
  const PvModuleFit f = fit_pv_module(ds);
  EXPECT_FALSE(f.ok);
  EXPECT_NE(std::string(f.error), "");
}

}  // namespace
}  // namespace powerstack::sim
