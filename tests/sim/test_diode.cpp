#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/models/diode.hpp"
#include "sim/models/units.hpp"

using powerstack::Status;
using powerstack::sim::FixedDropDiode;
using powerstack::sim::FixedDropDiodeParams;
using powerstack::sim::IdealDiode;
using powerstack::sim::lambert_w_of_exp;
using powerstack::sim::ShockleyDiode;
using powerstack::sim::ShockleyDiodeParams;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ShockleyDiode make(double is_a, double n, double rs_ohm) {
  const auto d = ShockleyDiode::create(ShockleyDiodeParams{is_a, n, rs_ohm, 25.0});
  EXPECT_TRUE(d.ok());
  return d.value();
}

}  // namespace

TEST(LambertW, SolvesDefiningEquationOverWideRange) {
  EXPECT_NEAR(lambert_w_of_exp(1.0), 1.0, 1e-15);  // W(e) = 1
  for (double x = -600.0; x <= 5000.0; x += 7.3) {
    const double w = lambert_w_of_exp(x);
    ASSERT_GT(w, 0.0) << x;
    // w e^w = e^x  <=>  w + ln w = x.
    EXPECT_NEAR(w + std::log(w), x, 1e-12 * std::max(1.0, std::fabs(x))) << x;
  }
  EXPECT_DOUBLE_EQ(lambert_w_of_exp(-50.0 * 20.0), std::exp(-1000.0));
}

TEST(IdealDiode, ConductsForwardBlocksReverse) {
  EXPECT_TRUE(IdealDiode::conducts(1e-9));
  EXPECT_FALSE(IdealDiode::conducts(0.0));
  EXPECT_FALSE(IdealDiode::conducts(-5.0));
  EXPECT_EQ(IdealDiode::voltage_v(2.0), 0.0);
  EXPECT_DOUBLE_EQ(IdealDiode::series_current_a(1.0, 4.0), 0.25);
  EXPECT_EQ(IdealDiode::series_current_a(-1.0, 4.0), 0.0);
  EXPECT_EQ(IdealDiode::series_current_a(1.0, 0.0), kInf);
}

TEST(FixedDropDiode, PiecewiseLinearCurve) {
  const auto d = FixedDropDiode::create(FixedDropDiodeParams{0.3, 0.1});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().current_a(0.3), 0.0);
  EXPECT_EQ(d.value().current_a(-10.0), 0.0);
  EXPECT_DOUBLE_EQ(d.value().current_a(0.5), 2.0);              // (0.5 - 0.3) / 0.1
  EXPECT_DOUBLE_EQ(d.value().voltage_v(2.0), 0.5);              // round trip
  EXPECT_DOUBLE_EQ(d.value().voltage_v(-1.0), 0.3);             // reverse current clamped
  EXPECT_DOUBLE_EQ(d.value().series_current_a(3.3, 0.9), 3.0);  // (3.3 - 0.3) / (0.1 + 0.9)
  EXPECT_TRUE(d.value().conducts(0.31));
  EXPECT_FALSE(d.value().conducts(0.29));

  const auto pure = FixedDropDiode::create(FixedDropDiodeParams{0.7, 0.0});
  ASSERT_TRUE(pure.ok());
  EXPECT_EQ(pure.value().current_a(0.71), kInf);
  EXPECT_DOUBLE_EQ(pure.value().voltage_v(5.0), 0.7);

  EXPECT_EQ(FixedDropDiode::create(FixedDropDiodeParams{-0.1, 0.0}).status(),
            Status::kInvalidArgument);
  EXPECT_EQ(FixedDropDiode::create(FixedDropDiodeParams{0.3, std::nan("")}).status(),
            Status::kInvalidArgument);
}

TEST(ShockleyDiode, RoundTripWithoutSeriesResistance) {
  const ShockleyDiode d = make(1e-12, 1.8, 0.0);
  // I(V(I)) = I over ten decades of forward current.
  for (double i_a = 1e-9; i_a <= 20.0; i_a *= 3.7) {
    EXPECT_NEAR(d.current_a(d.voltage_v(i_a)), i_a, 1e-12 * i_a) << i_a;
  }
  // V(I(V)) = V in the forward region.
  for (double v = 0.05; v <= 1.2; v += 0.05) {
    EXPECT_NEAR(d.voltage_v(d.current_a(v)), v, 1e-12) << v;
  }
  // The closed form itself: I = Is (exp(V / n Vt) - 1).
  const double n_vt = 1.8 * powerstack::sim::thermal_voltage_v(25.0);
  EXPECT_NEAR(d.n_vt_v(), n_vt, 1e-15);
  EXPECT_NEAR(d.current_a(0.6), 1e-12 * std::expm1(0.6 / n_vt), 1e-15);
}

TEST(ShockleyDiode, RoundTripWithSeriesResistanceSatisfiesImplicitEquation) {
  const ShockleyDiode d = make(3e-7, 1.05, 0.08);  // a 1 A Schottky class part
  for (double v = -2.0; v <= 60.0; v += 0.173) {
    const double i = d.current_a(v);
    ASSERT_TRUE(std::isfinite(i)) << v;
    // I = Is (exp((V - I Rs) / n Vt) - 1).
    const double rhs = 3e-7 * std::expm1((v - i * 0.08) / d.n_vt_v());
    EXPECT_NEAR(i, rhs, 1e-9 * std::max(1.0, std::fabs(i))) << v;
    if (v > 0.05) {
      EXPECT_NEAR(d.voltage_v(i), v, 1e-9 * std::max(1.0, v)) << v;
    }
  }
  // A large drive is limited by Rs, not by an overflowing exponential.
  const double i_big = d.current_a(1e6);
  EXPECT_TRUE(std::isfinite(i_big));
  EXPECT_NEAR(i_big, 1e6 / 0.08, 1e-3 * 1e6 / 0.08);
}

TEST(ShockleyDiode, NoOverflowAndReverseSaturation) {
  const ShockleyDiode d = make(1e-14, 1.0, 0.0);
  const double i_10v = d.current_a(10.0);
  const double i_1kv = d.current_a(1000.0);
  EXPECT_TRUE(std::isfinite(i_10v));
  EXPECT_TRUE(std::isfinite(i_1kv));
  EXPECT_GT(i_1kv, i_10v);  // monotonic through the linear continuation
  EXPECT_TRUE(std::isfinite(d.current_a(1e200)));
  EXPECT_TRUE(std::isfinite(make(1e-14, 1.0, 1e-3).current_a(1e300)));
  EXPECT_NEAR(d.current_a(-10.0), -1e-14, 1e-20);
  EXPECT_EQ(d.voltage_v(-2e-14), -kInf);
  EXPECT_LT(d.voltage_v(-0.5e-14), 0.0);
  EXPECT_EQ(d.current_a(0.0), 0.0);
}

TEST(ShockleyDiode, SeriesCurrentAddsResistance) {
  const ShockleyDiode d = make(1e-6, 1.0, 0.05);
  const double i = d.series_current_a(5.0, 1.0);
  // The branch equation: 5 V = V_diode(I) + I * 1 ohm.
  EXPECT_NEAR(d.voltage_v(i) + i * 1.0, 5.0, 1e-9);
  EXPECT_LT(i, 5.0 / 1.05);
}

TEST(ShockleyDiode, ConductanceMatchesNumericalDerivative) {
  const ShockleyDiode d = make(1e-8, 1.2, 0.2);
  for (double v = -0.5; v <= 3.0; v += 0.25) {
    const double h = 1e-6;
    const double numeric = (d.current_a(v + h) - d.current_a(v - h)) / (2.0 * h);
    EXPECT_NEAR(d.conductance_s(v), numeric, 1e-5 * std::max(numeric, 1e-12)) << v;
  }
}

TEST(ShockleyDiode, FitsTwoDatasheetPoints) {
  const ShockleyDiode truth = make(2e-6, 1.07, 0.06);
  const double i1 = 0.01;
  const double i2 = 1.0;
  const auto fit =
      ShockleyDiode::from_two_points(i1, truth.voltage_v(i1), i2, truth.voltage_v(i2), 0.06);
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit.value().params().is_a, 2e-6, 2e-6 * 1e-9);
  EXPECT_NEAR(fit.value().params().n, 1.07, 1e-9);

  // Two datasheet-like points (0.3 V at 100 mA, 0.45 V at 1 A) are reproduced exactly.
  const auto schottky = ShockleyDiode::from_two_points(0.1, 0.30, 1.0, 0.45);
  ASSERT_TRUE(schottky.ok());
  EXPECT_NEAR(schottky.value().voltage_v(0.1), 0.30, 1e-12);
  EXPECT_NEAR(schottky.value().voltage_v(1.0), 0.45, 1e-12);

  EXPECT_FALSE(ShockleyDiode::from_two_points(1.0, 0.4, 0.1, 0.3).ok());   // i2 < i1
  EXPECT_FALSE(ShockleyDiode::from_two_points(0.1, 0.4, 1.0, 0.3).ok());   // v2 < v1
  EXPECT_FALSE(ShockleyDiode::from_two_points(0.1, 0.3, 1.0, 0.31).ok());  // n far below 0.5
  EXPECT_EQ(ShockleyDiode::create(ShockleyDiodeParams{0.0, 1.0, 0.0, 25.0}).status(),
            Status::kInvalidArgument);
  EXPECT_EQ(ShockleyDiode::create(ShockleyDiodeParams{1e-9, 1.0, -1.0, 25.0}).status(),
            Status::kInvalidArgument);
  EXPECT_EQ(ShockleyDiode::create(ShockleyDiodeParams{1e-9, 1.0, 0.0, -300.0}).status(),
            Status::kInvalidArgument);
}
