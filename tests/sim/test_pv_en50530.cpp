// EN 50530 simplified PV curve: constants, the nominal MPP at STC, fill factors,
// irradiance/temperature scaling, the SunSpec SVP formulation, round trips and edge cases.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "sim/models/pv_en50530.hpp"

namespace powerstack::sim {
namespace {

constexpr En50530Technology kSi = En50530Technology::kCrystallineSi;
constexpr En50530Technology kThin = En50530Technology::kThinFilm;

TEST(En50530, ConstantsAndShapeFactors) {
  const En50530Curve si(kSi, 460.0, 3000.0 / 460.0);
  EXPECT_NEAR(si.c_aq2(), -0.2 / std::log(0.1), 1e-15);
  EXPECT_NEAR(si.c_aq1(), 1e-5, 1e-17);  // (1 - 0.9)^(1 / 0.2)
  const En50530Curve tf(kThin, 460.0, 3000.0 / 460.0);
  EXPECT_NEAR(tf.c_aq1(), std::pow(0.2, 1.0 / 0.28), 1e-15);
  EXPECT_EQ(tf.constants().ff_u, 0.72);
  EXPECT_EQ(tf.constants().c_g_w_per_m2, 1.252e-3);
}

TEST(En50530, PassesThroughTheNominalMppAtStc) {
  for (En50530Technology tech : {kSi, kThin}) {
    const En50530Curve c = En50530Curve::from_power(tech, 3000.0, 460.0);
    ASSERT_TRUE(c.valid());
    const double vmp = 460.0;
    const double imp = 3000.0 / 460.0;
    const double di = c.current_a(vmp) / imp - 1.0;
    const double dv = c.voltage_v(imp) / vmp - 1.0;
    EXPECT_LT(std::fabs(di), 1e-3);
    EXPECT_LT(std::fabs(dv), 1e-3);
    // Fill factors: the STC Isc and Voc follow from FF_I and FF_U (Voc up to the
    // irradiance bracket at 1000 W/m2, 0.99915 for c-Si and 0.99661 for thin film).
    const En50530Constants& k = c.constants();
    EXPECT_DOUBLE_EQ(c.isc_a(), imp / k.ff_i);
    EXPECT_DOUBLE_EQ(c.current_a(0.0), imp / k.ff_i);
    const double bracket = k.c_v * std::log(1000.0 / k.c_g_w_per_m2 + 1.0) - k.c_r_m2_per_w * 1e3;
    EXPECT_NEAR(c.voc_v(), vmp / k.ff_u * bracket, 1e-9);
    EXPECT_NEAR(c.voc_v() / (vmp / k.ff_u), 1.0, 4e-3);
    // At V_OC the current is I_SC * C_AQ1 (the "-1" term), not exactly zero.
    EXPECT_NEAR(c.current_a(c.voc_v()) / c.isc_a(), c.c_aq1(), 1e-12);
    // The curve's own maximum sits close to the nominal point.
    const PvMpp m = c.mpp();
    const double ff_u = m.v_v / c.voc_v();
    const double ff_i = m.i_a / c.isc_a();
    EXPECT_NEAR(ff_u, k.ff_u, 0.01);
    EXPECT_NEAR(ff_i, k.ff_i, 0.01);
    EXPECT_NEAR(m.p_w / 3000.0, 1.0, 5e-3);
    std::printf(
        "[ figures  ] %s STC: I(Vmp)/Imp-1 %+.2e, V(Imp)/Vmp-1 %+.2e, Voc/Voc_stc %.5f;"
        " curve MPP %.2f W (%+.3f %%) at V/Voc %.4f, I/Isc %.4f\n",
        tech == kSi ? "c-Si" : "thin film", di, dv, c.voc_v() / (vmp / k.ff_u), m.p_w,
        100.0 * (m.p_w / 3000.0 - 1.0), ff_u, ff_i);
  }
}

TEST(En50530, IrradianceAndTemperatureScaling) {
  En50530Curve c(kSi, 460.0, 6.5);
  const double isc_stc = c.isc_a();
  const double voc_stc = c.voc_v();
  c.set_conditions(200.0, 25.0);
  EXPECT_NEAR(c.isc_a(), 0.2 * isc_stc, 1e-12);
  // V_OC bracket: 0.08593 ln(200 / 0.002514 + 1) - 0.02176 = 0.9479 vs 0.99915 at STC.
  EXPECT_NEAR(c.voc_v() / voc_stc, 0.94788 / 0.99915, 2e-4);
  c.set_conditions(1000.0, 50.0);
  EXPECT_NEAR(c.isc_a() / isc_stc, 1.0 + 0.0004 * 25.0, 1e-12);
  EXPECT_NEAR(c.voc_v() / voc_stc, 1.0 - 0.004 * 25.0, 1e-12);
  // Low light keeps the MPP near FF_U of V_OC, and the power near G/1000 of STC (less the
  // V_OC drop).
  c.set_conditions(50.0, 25.0);
  const PvMpp low = c.mpp();
  EXPECT_GT(low.p_w, 0.0);
  EXPECT_LT(low.p_w, 0.05 * 460.0 * 6.5);
}

TEST(En50530, AgreesWithSunSpecSvpFormulationAt25C) {
  // SVP (sunspec/svp_energy_lab, pv_curve_generation.py): I = Isc - Io (exp(V / (Voc CAQ))
  // - 1), Io = Isc_stc (1 - FFI)^(1 / (1 - FFU)) G / 1000; same Voc(G, T) and Isc(G, T).
  for (En50530Technology tech : {kSi, kThin}) {
    En50530Curve c(tech, 460.0, 6.5);
    const En50530Constants& k = c.constants();
    const double caq = (k.ff_u - 1.0) / std::log(1.0 - k.ff_i);
    for (double g : {100.0, 400.0, 1000.0}) {
      c.set_conditions(g, 25.0);
      const double io = c.isc_stc_a() * std::pow(1.0 - k.ff_i, 1.0 / (1.0 - k.ff_u)) * g / 1e3;
      for (double x : {0.0, 0.3, 0.7, 0.9, 1.0}) {
        const double v = x * c.voc_v();
        const double svp = c.isc_a() - io * std::expm1(v / (c.voc_v() * caq));
        EXPECT_NEAR(c.current_a(v), svp, 1e-12 * c.isc_stc_a()) << g << " " << x;
      }
    }
  }
}

TEST(En50530, RoundTripsAndEdges) {
  En50530Curve c(kThin, 300.0, 5.0);
  for (double g : {1000.0, 300.0, 20.0}) {
    c.set_conditions(g, 40.0);
    const double voc = c.voc_v();
    const double isc = c.isc_a();
    double prev = 1e300;
    for (int k = 0; k <= 400; ++k) {
      const double v = -10.0 + (1.2 * voc + 10.0) * k / 400.0;
      const double i = c.current_a(v);
      ASSERT_TRUE(std::isfinite(i)) << v;
      EXPECT_LT(i, prev);
      prev = i;
      EXPECT_NEAR(c.voltage_v(i), v, 1e-9 * voc) << g << " " << v;
    }
    // Beyond the current asymptote I_SC (1 + C_AQ1): a finite floor, not NaN.
    EXPECT_TRUE(std::isfinite(c.voltage_v(2.0 * isc)));
    EXPECT_LT(c.voltage_v(2.0 * isc), -voc);
  }
  c.set_conditions(0.0, 25.0);
  EXPECT_EQ(c.current_a(10.0), 0.0);
  EXPECT_EQ(c.voltage_v(0.0), 0.0);
  EXPECT_EQ(c.mpp().p_w, 0.0);
  const En50530Curve bad(kSi, -1.0, 5.0);
  EXPECT_FALSE(bad.valid());
  EXPECT_TRUE(std::isnan(bad.current_a(1.0)));
}

}  // namespace
}  // namespace powerstack::sim
