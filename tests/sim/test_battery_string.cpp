#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "sim/models/battery_string.hpp"

using powerstack::sim::BatteryString;
using powerstack::sim::CellParams;
using powerstack::sim::Chemistry;
using powerstack::sim::chemistry_profile;
using powerstack::sim::ChemistryProfile;
using powerstack::sim::StringParams;

namespace {

const ChemistryProfile& lfp() {
  return chemistry_profile(Chemistry::kLiFePO4);
}

StringParams spread_string(std::size_t n, std::uint64_t seed) {
  StringParams s;
  s.n_cells = n;
  s.cell.capacity_ah = 100.0;
  s.cell.r0_ohm = 0.4e-3;
  s.cell.coulombic_efficiency = 1.0;
  s.initial_soc = 0.5;
  s.spread.capacity_sigma_rel = 0.03;
  s.spread.soc_sigma = 0.02;
  s.spread.r0_sigma_rel = 0.10;
  s.seed = seed;
  return s;
}

StringParams uniform_string(std::size_t n) {
  StringParams s;
  s.n_cells = n;
  s.cell.capacity_ah = 10.0;
  s.cell.r0_ohm = 0.005;
  s.cell.coulombic_efficiency = 1.0;
  s.initial_soc = 0.8;
  return s;
}

struct Moments {
  double mean;
  double sd;
};

Moments moments(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) {
    sum += v;
  }
  const double mean = sum / static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) {
    ss += (v - mean) * (v - mean);
  }
  return {mean, std::sqrt(ss / static_cast<double>(x.size() - 1))};
}

}  // namespace

TEST(BatteryString, SameSeedGivesTheSameCells) {
  const BatteryString a(lfp(), spread_string(16, 42));
  const BatteryString b(lfp(), spread_string(16, 42));
  ASSERT_EQ(a.size(), 16U);
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a.cell(k).params().capacity_ah, b.cell(k).params().capacity_ah);
    EXPECT_EQ(a.cell(k).params().r0_ohm, b.cell(k).params().r0_ohm);
    EXPECT_EQ(a.cell(k).soc(), b.cell(k).soc());
  }
}

TEST(BatteryString, DifferentSeedGivesDifferentCells) {
  const BatteryString a(lfp(), spread_string(16, 42));
  const BatteryString b(lfp(), spread_string(16, 43));
  int differ = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    differ += a.cell(k).params().capacity_ah != b.cell(k).params().capacity_ah ? 1 : 0;
    differ += a.cell(k).soc() != b.cell(k).soc() ? 1 : 0;
    differ += a.cell(k).params().r0_ohm != b.cell(k).params().r0_ohm ? 1 : 0;
  }
  EXPECT_EQ(differ, 48);
  // Cells within one string differ from each other too.
  EXPECT_NE(a.cell(0).params().capacity_ah, a.cell(1).params().capacity_ah);
}

TEST(BatteryString, SpreadStatisticsMatchTheRequestedSigmas) {
  constexpr std::size_t kN = 4000;
  const BatteryString s(lfp(), spread_string(kN, 7));
  std::vector<double> cap;
  std::vector<double> soc;
  std::vector<double> r0;
  for (const auto& c : s.cells()) {
    cap.push_back(c.params().capacity_ah / 100.0);
    soc.push_back(c.soc());
    r0.push_back(c.params().r0_ohm / 0.4e-3);
  }
  // Tolerances are ~5 standard errors: sigma/sqrt(N) for the mean, sigma/sqrt(2N) for the sd.
  const double n = static_cast<double>(kN);
  const Moments mc = moments(cap);
  EXPECT_NEAR(mc.mean, 1.0, 5.0 * 0.03 / std::sqrt(n));
  EXPECT_NEAR(mc.sd, 0.03, 5.0 * 0.03 / std::sqrt(2.0 * n));
  const Moments ms = moments(soc);
  EXPECT_NEAR(ms.mean, 0.5, 5.0 * 0.02 / std::sqrt(n));
  EXPECT_NEAR(ms.sd, 0.02, 5.0 * 0.02 / std::sqrt(2.0 * n));
  const Moments mr = moments(r0);
  EXPECT_NEAR(mr.mean, 1.0, 5.0 * 0.10 / std::sqrt(n));
  EXPECT_NEAR(mr.sd, 0.10, 5.0 * 0.10 / std::sqrt(2.0 * n));
  // The three draws of a cell are independent: sample correlation ~ N(0, 1/N).
  double cov = 0.0;
  for (std::size_t k = 0; k < kN; ++k) {
    cov += (cap[k] - mc.mean) * (soc[k] - ms.mean);
  }
  const double corr = cov / (n - 1.0) / (mc.sd * ms.sd);
  EXPECT_LT(std::abs(corr), 5.0 / std::sqrt(n));
}

TEST(BatteryString, NoSpreadGivesIdenticalCells) {
  const BatteryString s(lfp(), uniform_string(4));
  for (const auto& c : s.cells()) {
    EXPECT_EQ(c.soc(), 0.8);
    EXPECT_EQ(c.params().capacity_ah, 10.0);
    EXPECT_EQ(c.params().r0_ohm, 0.005);
  }
}

TEST(BatteryString, BleedCurrentLowersThatCellsSocByItOverC) {
  BatteryString s(lfp(), uniform_string(4));
  const std::array<double, 4> bleed = {0.0, 0.0, 2.0, 0.0};
  ASSERT_TRUE(s.step(0.0, 1800.0, 25.0, bleed));
  // 2 A for 0.5 h from 10 Ah: -0.1.
  EXPECT_NEAR(s.cell(2).soc(), 0.8 - 2.0 * 1800.0 / (3600.0 * 10.0), 1e-12);
  EXPECT_EQ(s.cell(0).soc(), 0.8);
  EXPECT_EQ(s.cell(1).soc(), 0.8);
  EXPECT_EQ(s.cell(3).soc(), 0.8);
  // With 1 A drawn from the string as well, the bleed adds to it on cell 2 only.
  ASSERT_TRUE(s.step(-1.0, 1800.0, 25.0, bleed));
  EXPECT_NEAR(s.cell(0).soc(), 0.8 - 0.05, 1e-12);
  EXPECT_NEAR(s.cell(2).soc(), 0.7 - 0.15, 1e-12);
  EXPECT_NEAR(s.max_soc() - s.min_soc(), 0.2, 1e-12);
}

TEST(BatteryString, TerminalVoltageIsTheSumOfTheCells) {
  BatteryString s(lfp(), uniform_string(4));
  // Four cells at 80 % (3.304 V each) with 10 A out through 5 mOhm each.
  EXPECT_NEAR(s.terminal_voltage_v(-10.0, 25.0), 4.0 * (3.304 - 0.05), 1e-12);
  const std::array<double, 4> bleed = {0.0, 1.0, 0.0, 0.0};
  const std::vector<double> v = s.cell_voltages_v(-10.0, 25.0, bleed);
  ASSERT_EQ(v.size(), 4U);
  EXPECT_NEAR(v[0], 3.304 - 0.05, 1e-12);
  EXPECT_NEAR(v[1], 3.304 - 0.055, 1e-12);  // the bleed current also drops across R0
  double sum = 0.0;
  for (double x : v) {
    sum += x;
  }
  EXPECT_NEAR(s.terminal_voltage_v(-10.0, 25.0, bleed), sum, 1e-12);
}

TEST(BatteryString, WrongBleedSizeIsRefused) {
  BatteryString s(lfp(), uniform_string(4));
  const std::array<double, 3> bleed = {1.0, 1.0, 1.0};
  EXPECT_FALSE(s.step(-1.0, 100.0, 25.0, bleed));
  EXPECT_EQ(s.cell(0).soc(), 0.8);
  EXPECT_TRUE(std::isnan(s.terminal_voltage_v(0.0, 25.0, bleed)));
  EXPECT_TRUE(s.cell_voltages_v(0.0, 25.0, bleed).empty());
}

TEST(BatteryString, FlagsAreTheOrOfTheCells) {
  StringParams p = uniform_string(3);
  p.initial_soc = 0.99;
  BatteryString s(lfp(), p);
  const std::array<double, 3> bleed = {0.0, 5.0, 0.0};
  s.step(5.0, 144.0, 25.0, bleed);  // cells 0 and 2 get +2 %, cell 1 nothing
  EXPECT_TRUE(s.flags().over_charge);
  EXPECT_FALSE(s.flags().over_discharge);
  EXPECT_TRUE(s.cell(0).flags().over_charge);
  EXPECT_FALSE(s.cell(1).flags().over_charge);
}
