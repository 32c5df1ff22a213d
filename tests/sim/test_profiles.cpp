#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "sim/models/profiles.hpp"

using powerstack::sim::ClearSkyAirMass;
using powerstack::sim::ClearSkySine;
using powerstack::sim::DailyTemperatureSine;
using powerstack::sim::parse_profile_csv;
using powerstack::sim::TimeSeriesProfile;

TEST(TimeSeriesProfile, LinearInterpolationHeldOutside) {
  const auto p = TimeSeriesProfile::create({0.0, 10.0, 20.0}, {10.0, 20.0, 0.0});
  ASSERT_TRUE(p.ok());
  EXPECT_DOUBLE_EQ(p.value().value_at(5.0), 15.0);
  EXPECT_DOUBLE_EQ(p.value().value_at(15.0), 10.0);
  EXPECT_DOUBLE_EQ(p.value().value_at(10.0), 20.0);
  EXPECT_DOUBLE_EQ(p.value().value_at(-1.0), 10.0);
  EXPECT_DOUBLE_EQ(p.value().value_at(25.0), 0.0);
  EXPECT_FALSE(TimeSeriesProfile::create({0.0, 0.0}, {1.0, 2.0}).ok());
  EXPECT_FALSE(TimeSeriesProfile::create({0.0}, {1.0, 2.0}).ok());
  EXPECT_FALSE(TimeSeriesProfile::create({}, {}).ok());
}

TEST(ProfileCsv, ParsesHeaderCommentsCrlfAndSpaces) {
  const std::string text =
      "# ambient temperature\r\n"
      "t_s,temp_c\r\n"
      "\r\n"
      "0, 12.5\r\n"
      " 3600 ,+14\r\n"
      "# a gap\n"
      "7200,1.6e1\n";
  const auto r = parse_profile_csv(text);
  ASSERT_TRUE(r.profile.has_value()) << r.error;
  EXPECT_EQ(r.profile->name(), "temp_c");
  EXPECT_EQ(r.profile->times_s().size(), 3U);
  EXPECT_DOUBLE_EQ(r.profile->value_at(1800.0), 13.25);
  EXPECT_DOUBLE_EQ(r.profile->value_at(7200.0), 16.0);
  // No header is fine too.
  const auto bare = parse_profile_csv("0,1\n1,2");
  ASSERT_TRUE(bare.profile.has_value()) << bare.error;
  EXPECT_DOUBLE_EQ(bare.profile->value_at(0.5), 1.5);
}

TEST(ProfileCsv, ReportsErrorsWithLineNumbers) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"t_s,g\n0,1\n10,abc\n", "line 3: value 'abc' is not a number"},
      {"0,1\n1,2,3\n", "line 2: expected 2 columns (t_s,value), got 3"},
      {"0,1\n\n# c\n5,2\n5,3\n", "line 5: time 5 s does not increase (previous row 5 s)"},
      {"0,1\n5,2\n4,3\n", "line 3: time 4 s does not increase (previous row 5 s)"},
      {"t_s,g\nx,1\n", "line 2: time 'x' is not a number"},
      {"0,nan\n", "line 1: non-finite number"},
      {"0,1\n1,inf\n", "line 2: non-finite number"},
      {"t_s\n0,1\n", "line 1: header must be 't_s,<name>'"},
      {"time,value\n0,1\n", "line 1: time 'time' is not a number"},
      {"0,\n", "line 1: value '' is not a number"},
      {"", "line 1: no data rows"},
      {"t_s,g\n# nothing\n", "line 3: no data rows"},
  };
  for (const Case& c : cases) {
    const auto r = parse_profile_csv(c.text);
    EXPECT_FALSE(r.profile.has_value()) << c.text;
    EXPECT_EQ(r.error, c.error) << c.text;
  }
}

TEST(ClearSky, SineDayEnergyMatchesClosedFormIntegral) {
  const ClearSkySine sky{6.5 * 3600.0, 20.0 * 3600.0, 950.0};
  // Trapezoid over a whole day, 1 s steps.
  double e = 0.0;
  double prev = sky.irradiance_w_m2(0.0);
  for (int k = 1; k <= 86400; ++k) {
    const double g = sky.irradiance_w_m2(k);
    e += 0.5 * (prev + g);
    prev = g;
  }
  const double closed_form = 2.0 * 950.0 * (13.5 * 3600.0) / std::numbers::pi;
  EXPECT_NEAR(sky.daily_energy_j_m2(), closed_form, 1e-6);
  EXPECT_NEAR(e, closed_form, 1e-6 * closed_form);
  EXPECT_DOUBLE_EQ(sky.irradiance_w_m2(13.25 * 3600.0), 950.0);  // solar noon
  EXPECT_EQ(sky.irradiance_w_m2(3.0 * 3600.0), 0.0);
  EXPECT_EQ(sky.irradiance_w_m2(22.0 * 3600.0), 0.0);
  EXPECT_DOUBLE_EQ(sky.irradiance_w_m2(86400.0 + 10.0 * 3600.0), sky.irradiance_w_m2(36000.0));
}

TEST(ClearSky, AirMassModelGeometryAndNoonValue) {
  // Equator at the equinox (day 81: declination exactly 0): the sun is overhead at noon.
  const ClearSkyAirMass equator{0.0, 81, 1.0};
  EXPECT_NEAR(equator.cos_zenith(12.0 * 3600.0), 1.0, 1e-12);
  EXPECT_NEAR(equator.irradiance_w_m2(12.0 * 3600.0), 1.1 * 1353.0 * 0.7, 0.002 * 1041.8);
  EXPECT_EQ(equator.irradiance_w_m2(0.0), 0.0);
  EXPECT_NEAR(equator.irradiance_w_m2(9.0 * 3600.0), equator.irradiance_w_m2(15.0 * 3600.0), 1e-9);
  // 48 N at the June solstice: sunset hour angle from cos h0 = -tan(lat) tan(decl).
  const ClearSkyAirMass munich{48.0, 172, 1.0};
  const double decl = 23.45 * std::sin(2.0 * std::numbers::pi * (284.0 + 172.0) / 365.0);
  const double h0_deg = std::acos(-std::tan(48.0 * std::numbers::pi / 180.0) *
                                  std::tan(decl * std::numbers::pi / 180.0)) *
                        180.0 / std::numbers::pi;
  const double sunset_s = (12.0 + h0_deg / 15.0) * 3600.0;
  EXPECT_NEAR(munich.cos_zenith(sunset_s), 0.0, 1e-12);
  EXPECT_NEAR(h0_deg / 7.5, 15.8, 0.1);  // a 15.8 h day
  EXPECT_GT(munich.irradiance_w_m2(sunset_s - 600.0), 0.0);
  EXPECT_EQ(munich.irradiance_w_m2(sunset_s + 600.0), 0.0);
  EXPECT_LT(munich.irradiance_w_m2(12.0 * 3600.0), equator.irradiance_w_m2(12.0 * 3600.0));
}

TEST(DailyTemperature, SineExtremesAndMean) {
  const DailyTemperatureSine t{15.0, 6.0, 15.0 * 3600.0};
  EXPECT_DOUBLE_EQ(t.temperature_c(15.0 * 3600.0), 21.0);
  EXPECT_NEAR(t.temperature_c(3.0 * 3600.0), 9.0, 1e-12);
  EXPECT_NEAR(t.temperature_c(21.0 * 3600.0), 15.0, 1e-12);
  double sum = 0.0;
  for (int k = 0; k < 86400; k += 60) {
    sum += t.temperature_c(k);
  }
  EXPECT_NEAR(sum / 1440.0, 15.0, 1e-9);
}
