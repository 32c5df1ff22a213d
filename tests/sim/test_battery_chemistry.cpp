#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstddef>

#include "sim/models/battery_chemistry.hpp"

using powerstack::sim::Chemistry;
using powerstack::sim::chemistry_profile;
using powerstack::sim::ChemistryProfile;
using powerstack::sim::interpolate_clamped;
using powerstack::sim::inverse_interpolate_clamped;
using powerstack::sim::is_strictly_increasing;
using powerstack::sim::ocv_v;
using powerstack::sim::r0_temperature_factor;
using powerstack::sim::soc_from_ocv;

namespace {

constexpr std::array<Chemistry, 3> kAll = {Chemistry::kLiFePO4, Chemistry::kLiIon,
                                           Chemistry::kLeadAcid};

}  // namespace

TEST(BatteryChemistry, TablesAreWellFormedAndSourced) {
  for (Chemistry c : kAll) {
    const ChemistryProfile& p = chemistry_profile(c);
    EXPECT_EQ(p.chemistry, c);
    ASSERT_EQ(p.ocv_soc.size(), p.ocv_v.size()) << p.name;
    EXPECT_EQ(p.ocv_soc.front(), 0.0) << p.name;
    EXPECT_EQ(p.ocv_soc.back(), 1.0) << p.name;
    EXPECT_TRUE(is_strictly_increasing(p.ocv_soc)) << p.name;
    EXPECT_TRUE(is_strictly_increasing(p.ocv_v)) << p.name;
    EXPECT_FALSE(p.ocv_source.empty());
    EXPECT_FALSE(p.ocv_temp_coeff_source.empty());
    EXPECT_FALSE(p.limits.source.empty());
    EXPECT_FALSE(p.coulombic_efficiency_source.empty());
    EXPECT_FALSE(p.r0_temperature_source.empty());
    EXPECT_GT(p.coulombic_efficiency, 0.8);
    EXPECT_LE(p.coulombic_efficiency, 1.0);
    // Limits ordered: UV < UV reset, discharge cut-off < charge < OV, OV reset < OV.
    EXPECT_LT(p.limits.v_uv_v, p.limits.v_uv_reset_v) << p.name;
    EXPECT_LT(p.limits.v_discharge_v, p.limits.v_charge_v) << p.name;
    EXPECT_LT(p.limits.v_charge_v, p.limits.v_ov_v) << p.name;
    EXPECT_LT(p.limits.v_ov_reset_v, p.limits.v_ov_v) << p.name;
  }
}

TEST(BatteryChemistry, LfpTableIsTheLibreSolarOne) {
  const ChemistryProfile& p = chemistry_profile(Chemistry::kLiFePO4);
  ASSERT_EQ(p.ocv_v.size(), 21U);
  EXPECT_EQ(ocv_v(p, 1.00, 25.0), 3.392);
  EXPECT_EQ(ocv_v(p, 0.95, 25.0), 3.314);
  EXPECT_EQ(ocv_v(p, 0.50, 25.0), 3.265);
  EXPECT_EQ(ocv_v(p, 0.05, 25.0), 3.132);
  EXPECT_EQ(ocv_v(p, 0.00, 25.0), 2.833);
  EXPECT_EQ(p.limits.v_charge_v, 3.55);
  EXPECT_EQ(p.limits.v_ov_v, 3.80);
  EXPECT_EQ(p.limits.v_ov_reset_v, 3.40);
  EXPECT_EQ(p.limits.v_discharge_v, 2.80);
  EXPECT_EQ(p.limits.v_uv_v, 2.50);
  EXPECT_EQ(p.limits.v_uv_reset_v, 3.10);
  EXPECT_EQ(p.limits.v_float_v, 0.0);  // no float charge for lithium
}

TEST(BatteryChemistry, LiIonAndLeadAcidTables) {
  const ChemistryProfile& li = chemistry_profile(Chemistry::kLiIon);
  EXPECT_EQ(ocv_v(li, 1.0, 25.0), 4.20);
  EXPECT_EQ(ocv_v(li, 0.9, 25.0), 4.06);
  EXPECT_EQ(ocv_v(li, 0.0, 25.0), 3.30);
  EXPECT_EQ(li.limits.v_ov_v, 4.25);
  EXPECT_EQ(li.limits.v_uv_v, 3.00);
  const ChemistryProfile& pb = chemistry_profile(Chemistry::kLeadAcid);
  EXPECT_DOUBLE_EQ(6.0 * ocv_v(pb, 1.0, 25.0), 12.70);
  EXPECT_DOUBLE_EQ(6.0 * ocv_v(pb, 0.5, 25.0), 12.06);
  EXPECT_DOUBLE_EQ(6.0 * ocv_v(pb, 0.1, 25.0), 11.31);
  EXPECT_DOUBLE_EQ(6.0 * ocv_v(pb, 0.0, 25.0), 10.50);
  EXPECT_LT(pb.coulombic_efficiency, li.coulombic_efficiency);
}

TEST(BatteryChemistry, LookupHitsEveryTablePointExactly) {
  for (Chemistry c : kAll) {
    const ChemistryProfile& p = chemistry_profile(c);
    for (std::size_t k = 0; k < p.ocv_soc.size(); ++k) {
      EXPECT_EQ(ocv_v(p, p.ocv_soc[k], p.t_ref_c), p.ocv_v[k]) << p.name << " point " << k;
    }
  }
}

TEST(BatteryChemistry, InterpolatesLinearlyBetweenPoints) {
  for (Chemistry c : kAll) {
    const ChemistryProfile& p = chemistry_profile(c);
    for (std::size_t k = 0; k + 1 < p.ocv_soc.size(); ++k) {
      for (double frac : {0.25, 0.5, 0.9}) {
        const double soc = p.ocv_soc[k] + frac * (p.ocv_soc[k + 1] - p.ocv_soc[k]);
        const double expected = p.ocv_v[k] + frac * (p.ocv_v[k + 1] - p.ocv_v[k]);
        EXPECT_NEAR(ocv_v(p, soc, p.t_ref_c), expected, 1e-12) << p.name << " k " << k;
      }
    }
  }
}

TEST(BatteryChemistry, ClampsOutsideTheTable) {
  const ChemistryProfile& p = chemistry_profile(Chemistry::kLiFePO4);
  EXPECT_EQ(ocv_v(p, -0.3, 25.0), 2.833);
  EXPECT_EQ(ocv_v(p, 1.7, 25.0), 3.392);
  EXPECT_EQ(soc_from_ocv(p, 2.0, 25.0).value(), 0.0);
  EXPECT_EQ(soc_from_ocv(p, 4.0, 25.0).value(), 1.0);
}

TEST(BatteryChemistry, InverseLookupRoundTrips) {
  for (Chemistry c : kAll) {
    const ChemistryProfile& p = chemistry_profile(c);
    for (std::size_t k = 0; k < p.ocv_soc.size(); ++k) {
      EXPECT_EQ(soc_from_ocv(p, p.ocv_v[k], p.t_ref_c).value(), p.ocv_soc[k]);
    }
    for (int k = 0; k <= 1000; ++k) {
      const double soc = k / 1000.0;
      for (double t_c : {-10.0, 25.0, 45.0}) {
        const auto back = soc_from_ocv(p, ocv_v(p, soc, t_c), t_c);
        ASSERT_TRUE(back.has_value());
        EXPECT_NEAR(*back, soc, 1e-9) << p.name << " soc " << soc << " t " << t_c;
      }
    }
  }
}

TEST(BatteryChemistry, InverseRefusesNonMonotoneTables) {
  constexpr std::array<double, 4> x = {0.0, 0.3, 0.6, 1.0};
  constexpr std::array<double, 4> flat = {3.0, 3.2, 3.2, 3.4};
  constexpr std::array<double, 4> bump = {3.0, 3.3, 3.2, 3.4};
  constexpr std::array<double, 4> good = {3.0, 3.1, 3.2, 3.4};
  EXPECT_FALSE(inverse_interpolate_clamped(x, flat, 3.2).has_value());
  EXPECT_FALSE(inverse_interpolate_clamped(x, bump, 3.25).has_value());
  ASSERT_TRUE(inverse_interpolate_clamped(x, good, 3.3).has_value());
  EXPECT_NEAR(*inverse_interpolate_clamped(x, good, 3.3), 0.8, 1e-12);
  // The forward lookup of a flat table is still defined.
  EXPECT_EQ(interpolate_clamped(x, flat, 0.45), 3.2);
}

TEST(BatteryChemistry, InterpolationEdgeCases) {
  constexpr std::array<double, 1> one_x = {0.5};
  constexpr std::array<double, 1> one_y = {7.0};
  EXPECT_EQ(interpolate_clamped({}, {}, 0.3), 0.0);
  EXPECT_EQ(interpolate_clamped(one_x, one_y, 0.0), 7.0);
  EXPECT_EQ(interpolate_clamped(one_x, one_y, 1.0), 7.0);
  EXPECT_TRUE(std::isnan(interpolate_clamped(one_x, one_y, std::nan(""))));
}

TEST(BatteryChemistry, OcvTemperatureCoefficient) {
  for (Chemistry c : kAll) {
    const ChemistryProfile& p = chemistry_profile(c);
    const double soc = 0.6;
    const double base = ocv_v(p, soc, p.t_ref_c);
    EXPECT_NEAR(ocv_v(p, soc, p.t_ref_c + 10.0) - base, 10.0 * p.ocv_temp_coeff_v_per_k, 1e-12);
    EXPECT_NEAR(ocv_v(p, soc, 0.0) - base, -25.0 * p.ocv_temp_coeff_v_per_k, 1e-12);
  }
  EXPECT_NEAR(chemistry_profile(Chemistry::kLeadAcid).ocv_temp_coeff_v_per_k, 0.2e-3, 1e-15);
}

TEST(BatteryChemistry, R0TemperatureFactorIsArrheniusLike) {
  for (Chemistry c : kAll) {
    const ChemistryProfile& p = chemistry_profile(c);
    EXPECT_EQ(r0_temperature_factor(p, 25.0), 1.0);
    EXPECT_NEAR(r0_temperature_factor(p, 0.0), 2.5, 1e-12);
    // ln(factor) is linear in 1/T: check the -20 C value against the closed form.
    const double b = std::log(2.5) / (1.0 / 273.15 - 1.0 / 298.15);
    EXPECT_NEAR(r0_temperature_factor(p, -20.0), std::exp(b * (1.0 / 253.15 - 1.0 / 298.15)),
                1e-12);
    double prev = r0_temperature_factor(p, -40.0);
    for (int t = -39; t <= 85; ++t) {
      const double f = r0_temperature_factor(p, t);
      EXPECT_LT(f, prev);
      prev = f;
    }
    EXPECT_LT(r0_temperature_factor(p, 45.0), 1.0);
    // Held constant outside the validity range.
    EXPECT_EQ(r0_temperature_factor(p, -80.0), r0_temperature_factor(p, -40.0));
    EXPECT_EQ(r0_temperature_factor(p, 150.0), r0_temperature_factor(p, 85.0));
  }
}
