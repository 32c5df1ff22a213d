#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/models/pv_curve_table.hpp"

namespace {

using powerstack::sim::PvConditions;
using powerstack::sim::PvCurveTable;

powerstack::sim::PvString string_with(const std::vector<double>& g) {
  const auto fit = powerstack::sim::fit_pv_module({9.0, 44.5, 8.5, 36.5, 0.0005, -0.0029, 72});
  EXPECT_TRUE(fit.ok) << fit.error;
  std::vector<PvConditions> c;
  for (double x : g) {
    c.push_back({x, 40.0});
  }
  return powerstack::sim::make_pv_string(fit, 3, c);
}

// Worst error of the table against the exact string over the whole curve, relative to Isc.
double worst_error(const powerstack::sim::PvString& pv, int points) {
  const PvCurveTable table(pv, points);
  const double voc = pv.voc_v();
  const double isc = pv.isc_a();
  double worst = 0.0;
  for (int k = 0; k <= 2000; ++k) {
    const double v = 1.02 * voc * k / 2000.0;
    worst = std::fmax(worst, std::fabs(table.current_a(v) - pv.current_a(v)) / isc);
  }
  return worst;
}

TEST(PvCurveTable, MatchesTheExactStringUniformly) {
  const auto pv = string_with({800.0, 800.0, 800.0});
  const double err = worst_error(pv, 256);
  std::printf("[ table ] 256+256 points, uniform: worst |dI|/Isc = %.2e\n", err);
  EXPECT_LT(err, 2e-3);
}

TEST(PvCurveTable, MatchesTheExactStringWhenShaded) {
  const auto pv = string_with({1000.0, 1000.0, 300.0});
  const double err = worst_error(pv, 256);
  std::printf("[ table ] 256+256 points, shaded: worst |dI|/Isc = %.2e\n", err);
  EXPECT_LT(err, 5e-3);
}

TEST(PvCurveTable, PowerAtTheMppWithinATenthOfAPercent) {
  const auto pv = string_with({800.0, 800.0, 800.0});
  const PvCurveTable table(pv, 256);
  const auto mpp = pv.global_mpp();
  EXPECT_NEAR(table.current_a(mpp.v_v) * mpp.v_v / mpp.p_w, 1.0, 1e-3);
}

TEST(PvCurveTable, SlopeIsNonPositiveAndDarkStringGivesNothing) {
  const auto pv = string_with({800.0, 800.0, 800.0});
  const PvCurveTable table(pv, 64);
  for (double v = 0.0; v < 50.0; v += 0.5) {
    double slope = 1.0;
    (void)table.current_a(v, &slope);
    EXPECT_LE(slope, 0.0);
  }
  const auto dark = string_with({0.0, 0.0, 0.0});
  const PvCurveTable dark_table(dark, 64);
  EXPECT_NEAR(dark_table.current_a(10.0), 0.0, 1e-3);
}

}  // namespace
