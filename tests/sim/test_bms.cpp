#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "sim/models/battery_string.hpp"
#include "sim/models/bms.hpp"

using powerstack::sim::BatteryString;
using powerstack::sim::Bms;
using powerstack::sim::bms_params_from;
using powerstack::sim::BmsParams;
using powerstack::sim::Chemistry;
using powerstack::sim::chemistry_profile;
using powerstack::sim::StringParams;

namespace {

BmsParams lfp_bms(double delay_s = 0.0) {
  return bms_params_from(chemistry_profile(Chemistry::kLiFePO4).limits, delay_s);
}

bool feed(Bms& bms, double v_odd_cell, double dt_s = 1.0) {
  const std::array<double, 4> v = {3.30, 3.30, v_odd_cell, 3.30};
  return bms.update(v, dt_s);
}

}  // namespace

TEST(Bms, ThresholdsComeFromTheChemistry) {
  const BmsParams lfp = lfp_bms();
  EXPECT_EQ(lfp.v_ov_v, 3.80);
  EXPECT_EQ(lfp.v_ov_reset_v, 3.40);
  EXPECT_EQ(lfp.v_uv_v, 2.50);
  EXPECT_EQ(lfp.v_uv_reset_v, 3.10);
  const BmsParams nmc = bms_params_from(chemistry_profile(Chemistry::kLiIon).limits, 2.0);
  EXPECT_EQ(nmc.v_ov_v, 4.25);
  EXPECT_EQ(nmc.v_uv_v, 3.00);
  EXPECT_EQ(nmc.detection_delay_s, 2.0);
}

TEST(Bms, OpensOnOverVoltageAndStaysOpenUntilReset) {
  Bms bms(lfp_bms());
  EXPECT_FALSE(feed(bms, 3.79));
  EXPECT_FALSE(feed(bms, 3.80));  // at the threshold is not across it
  EXPECT_TRUE(feed(bms, 3.81));
  EXPECT_TRUE(bms.ov_tripped());
  EXPECT_FALSE(bms.uv_tripped());
  EXPECT_TRUE(feed(bms, 3.60));  // below OV but above the 3.40 reset: still open
  EXPECT_TRUE(feed(bms, 3.40));
  EXPECT_FALSE(feed(bms, 3.39));
  EXPECT_FALSE(bms.ov_tripped());
}

TEST(Bms, OpensOnUnderVoltageAndStaysOpenUntilReset) {
  Bms bms(lfp_bms());
  EXPECT_FALSE(feed(bms, 2.50));
  EXPECT_TRUE(feed(bms, 2.49));
  EXPECT_TRUE(bms.uv_tripped());
  EXPECT_TRUE(feed(bms, 3.00));  // recovered above UV, not above the 3.10 reset
  EXPECT_TRUE(feed(bms, 3.10));
  EXPECT_FALSE(feed(bms, 3.11));
}

TEST(Bms, OvAndUvLatchIndependently) {
  Bms bms(lfp_bms());
  const std::array<double, 3> both = {3.85, 3.30, 2.40};
  EXPECT_TRUE(bms.update(both, 1.0));
  EXPECT_TRUE(bms.ov_tripped());
  EXPECT_TRUE(bms.uv_tripped());
  const std::array<double, 3> ov_cleared = {3.35, 3.30, 3.00};
  EXPECT_TRUE(bms.update(ov_cleared, 1.0));
  EXPECT_FALSE(bms.ov_tripped());
  EXPECT_TRUE(bms.uv_tripped());
  bms.reset();
  EXPECT_FALSE(bms.open());
}

TEST(Bms, HonoursTheDetectionDelay) {
  Bms bms(lfp_bms(2.0));
  // OV seen for 1.5 s (first sighting + 3 x 0.5 s), then gone: the timer starts over.
  EXPECT_FALSE(feed(bms, 3.9, 0.5));
  EXPECT_FALSE(feed(bms, 3.9, 0.5));
  EXPECT_FALSE(feed(bms, 3.9, 0.5));
  EXPECT_FALSE(feed(bms, 3.9, 0.5));
  EXPECT_DOUBLE_EQ(bms.ov_pending_s(), 1.5);
  EXPECT_FALSE(feed(bms, 3.5, 0.5));
  EXPECT_EQ(bms.ov_pending_s(), 0.0);
  // Seen continuously from t = 0: open at t = 2.0 s, the fifth sample.
  for (int k = 0; k < 4; ++k) {
    EXPECT_FALSE(feed(bms, 3.9, 0.5)) << k;
  }
  EXPECT_TRUE(feed(bms, 3.9, 0.5));
  EXPECT_TRUE(bms.ov_tripped());
  // The same for UV, with one long update.
  Bms uv(lfp_bms(2.0));
  EXPECT_FALSE(feed(uv, 2.4, 0.1));
  EXPECT_TRUE(feed(uv, 2.4, 5.0));
  EXPECT_TRUE(uv.uv_tripped());
}

TEST(Bms, EmptyInputKeepsTheState) {
  Bms bms(lfp_bms());
  EXPECT_FALSE(bms.update({}, 1.0));
  EXPECT_TRUE(feed(bms, 4.0));
  EXPECT_TRUE(bms.update({}, 1.0));
}

TEST(Bms, SuddenBatteryCutWhenTheHighestCellIsOvercharged) {
  // Seed 000: a 4s LiFePO4 string with one cell ahead, charged at 0.5 C, no balancing. The
  // cell that is ahead runs past full and climbs to OV; the BMS opens the whole string.
  const auto& lfp = chemistry_profile(Chemistry::kLiFePO4);
  StringParams p;
  p.n_cells = 4;
  p.cell.capacity_ah = 10.0;
  p.cell.r0_ohm = 0.004;
  p.cell.coulombic_efficiency = 1.0;
  p.initial_soc = 0.90;
  BatteryString s(lfp, p);
  s.cell(3).reset(0.97);
  Bms bms(bms_params_from(lfp.limits, 1.0));
  const double i_a = 5.0;
  const double dt_s = 1.0;
  double t_open_s = -1.0;
  for (int k = 1; k <= 3600 && t_open_s < 0.0; ++k) {
    s.step(i_a, dt_s, 25.0);
    if (bms.update(s.cell_voltages_v(i_a, 25.0), dt_s)) {
      t_open_s = k * dt_s;
    }
  }
  ASSERT_GT(t_open_s, 0.0);
  EXPECT_TRUE(bms.ov_tripped());
  EXPECT_TRUE(s.cell(3).flags().over_charge);
  EXPECT_FALSE(s.cell(0).flags().over_charge);  // the others are not full yet
  // Hand calculation: cell 3 reaches full after 0.03 * 36000 As / 5 A = 216 s; its terminal
  // voltage passes 3.80 V once OCV + 5 A * 4 mOhm > 3.80, i.e. the OCV extension reaches
  // 3.78 V at (3.78 - 3.392) / 20.4 V = 1.902 % past full (+136.9 s); plus the 1 s delay.
  const double t_expected_s = 216.0 + (3.78 - 3.392) / 20.4 * 36000.0 / 5.0 + 1.0;
  EXPECT_NEAR(t_open_s, t_expected_s, 1.5);
  // Open string: no current; the cell relaxes to its OCV (above the 3.40 reset, at 3.78 V),
  // so the BMS stays open.
  EXPECT_TRUE(bms.update(s.cell_voltages_v(0.0, 25.0), 1.0));
}
