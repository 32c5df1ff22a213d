// The balancer pack simulation (sim/systems/balancer_pack.hpp): bleed currents against the
// seed's resistor (closed form), balancing at rest and during charge with the manager on top.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/models/battery_chemistry.hpp"
#include "sim/systems/balancer_pack.hpp"

namespace powerstack::sim {
namespace {

BalancerPackConfig pack(std::vector<double> soc, bool balance) {
  BalancerPackConfig c;
  c.battery.n_cells = soc.size();
  c.battery.cell = typical_cell_params(chemistry_profile(Chemistry::kLiFePO4), 100.0);
  c.battery.seed = 11;
  c.initial_soc = std::move(soc);
  c.chain.adc_noise_counts = 0.5;
  c.chain.seed = 12;
  c.manager.modules = static_cast<std::uint8_t>(c.battery.n_cells);
  c.manager.check_at_start = false;
  c.manager.balance = balance;
  return c;
}

double soc_spread(const BatteryString& b) {
  return b.max_soc() - b.min_soc();
}

// Spread of the stored charge in units of capacity, counting charge pushed past full.
double charge_spread(const BatteryString& b) {
  double lo = 1e9;
  double hi = -1e9;
  for (const auto& c : b.cells()) {
    lo = std::min(lo, c.soc() + c.overrange_soc());
    hi = std::max(hi, c.soc() + c.overrange_soc());
  }
  return hi - lo;
}

TEST(BalancerPack, BleedCurrentIsCellVoltageOverTheSeedsResistor) {
  // Cell 2 sits 3 % SOC (~47 mV) above the others near full: the manager bleeds it.
  BalancerPack p(pack({0.96, 0.96, 0.99, 0.96}, true));
  p.run_until(600.0);
  ASSERT_TRUE(p.balancing(2));
  const double v = p.battery().cell_voltage_v(2, 0.0, 25.0, p.bleed_current_a(2));
  // The current is set from the voltage at the start of each 0.1 s battery step.
  EXPECT_NEAR(p.bleed_current_a(2), v / (0.87 + 0.0125), 1e-4);
  EXPECT_NEAR(p.bleed_current_a(2), 3.8, 0.1);  // seed: "max 4 A"
  // The charge it lost is what it bled (coulomb count, no string current at rest).
  const double lost_ah =
      (0.99 - p.battery().cell(2).soc()) * p.battery().cell(2).params().capacity_ah;
  EXPECT_NEAR(lost_ah, p.bled_ah()[2], 1e-6);
  EXPECT_GT(p.bled_ah()[2], 0.55);  // ~3.8 A for most of 600 s
  for (std::size_t k : {0U, 1U, 3U}) {
    EXPECT_EQ(p.bled_ah()[k], 0.0);
  }
}

TEST(BalancerPack, BalancesAtRest) {
  // 6 cells 95.5 .. 99.5 % SOC: the top 4 % (of 100 Ah) must go, at ~3.8 A about 1.05 h.
  BalancerPack p(pack({0.955, 0.995, 0.97, 0.985, 0.96, 0.975}, true));
  const double lowest = p.battery().min_soc();
  p.run_until(5400.0);
  EXPECT_LT(soc_spread(p.battery()), 0.01);
  EXPECT_NEAR(p.battery().min_soc(), lowest, 1e-9);  // the lowest cell was never bled
  EXPECT_EQ(p.bled_ah()[0], 0.0);
  // And then nothing bleeds any more.
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_FALSE(p.balancing(k)) << k;
  }
}

TEST(BalancerPack, ManagerNarrowsTheSpreadDuringCharge) {
  // 10 A charge from 94..98 % for 1500 s (4.2 Ah): the high cells reach full and are pushed
  // past it. The manager bleeds them from the start (voltages apart near full), so they take
  // in less; without it only the modules' automatic balancing above 3.5 V acts. Compared on
  // the stored charge, counting charge pushed past full.
  const std::vector<double> soc = {0.94, 0.98, 0.95, 0.96};
  auto charged = [&](bool balance) {
    BalancerPackConfig c = pack(soc, balance);
    c.i_charge_a = 10.0;
    c.charge_until_s = 1500.0;
    auto p = std::make_unique<BalancerPack>(c);
    p->run_until(1500.0);
    return p;
  };
  const auto with = charged(true);
  const auto without = charged(false);
  // Without the manager: 4 % apart at the start, the automatic balancing above 3.5 V takes
  // some off the cells pushed past full. With it: about another 1 % less.
  EXPECT_LT(charge_spread(without->battery()), 0.037);
  EXPECT_GT(charge_spread(without->battery()), 0.025);
  EXPECT_LT(charge_spread(with->battery()), charge_spread(without->battery()) - 0.006);
  double bled = 0.0;
  for (double ah : with->bled_ah()) {
    bled += ah;
  }
  EXPECT_GT(bled, 0.5);
}

}  // namespace
}  // namespace powerstack::sim
