// A full charge on the twin for each chemistry's profile: the charge controller (core) with
// the test tracker, a 10 Ah battery from 80 % SOC at constant sun, a 10 W load on the bus.
// Asserted per chemistry:
//  - the states visited, in order (bulk -> absorption [-> equalise] -> float | full);
//  - cell limit: the highest cell voltage seen stays below LibreSolar bat_charger.cpp's
//    absolute maximum per cell (LiFePO4 3.60 V, NMC 4.25 V, lead-acid 2.45 V; flooded
//    lead-acid with its 2.50 V equalisation: 2.55 V, the equalisation voltage + 2 %);
//  - pack limits: the output voltage never reaches the charger's own over-voltage trip
//    (1.05 x the highest charge target: no protection trip at all is logged), the battery
//    charge current stays within 10 % of the profile's bulk current, the BMS never opens;
//  - the battery is nearly full (lowest cell above 95 % SOC at its peak).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "charger_twin.hpp"
#include "powerstack/charger/charge_profile.hpp"

namespace {

using powerstack::charger::ChargeControllerConfig;
using powerstack::charger::ChargeState;
using powerstack::sim::Chemistry;

struct Case {
  const char* name;
  Chemistry chemistry;
  const powerstack::charger::ChargeProfile* profile;
  int cells;
  std::vector<ChargeState> states;  // the states visited, in order
  double v_cell_limit_v;
  double duration_s;
  bool request_equalise = false;
};

std::string names(const std::vector<ChargeState>& states) {
  std::string s;
  for (ChargeState st : states) {
    s += s.empty() ? "" : " -> ";
    s += powerstack::charger::to_string(st);
  }
  return s;
}

void full_charge(const Case& c) {
  auto pc = ps_test::seed000_plant(1000.0);
  pc.chemistry = c.chemistry;
  pc.battery.n_cells = static_cast<std::size_t>(c.cells);
  pc.battery.cell =
      powerstack::sim::typical_cell_params(powerstack::sim::chemistry_profile(c.chemistry), 10.0);
  pc.battery.initial_soc = 0.8;
  ChargeControllerConfig cc;
  cc.profile = c.profile;
  cc.n_cells = c.cells;
  cc.capacity_ah = 10.0F;
  std::string why;
  // A 10 ms plant step: charge dynamics are minutes long; the buck's implicit step is stable.
  ps_test::ChargerTwin t(pc, cc, {0.01, c.duration_s, 0.01}, why);
  ASSERT_TRUE(t.plant) << why;
  if (c.request_equalise) {
    t.controller->charger().request_equalise();
  }
  std::vector<ChargeState> visited;
  double i_bat_max_a = 0.0;
  t.sim->set_controller([&](const powerstack::control::Measurements& m, double dt_s) {
    const powerstack::control::Actuation a = t.controller->step(m, static_cast<float>(dt_s));
    const ChargeState st = t.controller->charger().state();
    if (visited.empty() || visited.back() != st) {
      visited.push_back(st);
    }
    i_bat_max_a = std::max(i_bat_max_a, static_cast<double>(m.i_bat_a));
    return a;
  });
  t.sim->add_probe("soc_min", 60.0);
  t.sim->run();
  double soc_peak = 0.0;  // after the charge ends the bus load discharges the battery
  for (double soc : t.sim->probes().front().values) {
    soc_peak = std::max(soc_peak, soc);
  }
  // The first pass through the profile (a lithium battery may restart later on the load).
  const std::vector<ChargeState> first(
      visited.begin(),
      visited.begin() + static_cast<std::ptrdiff_t>(std::min(visited.size(), c.states.size())));
  EXPECT_EQ(names(first), names(c.states)) << "all: " << names(visited);
  EXPECT_LE(t.plant->totals().v_cell_max_v, c.v_cell_limit_v);
  EXPECT_EQ(t.controller->protection().log().total(), 0U);
  const double i_bulk_a = static_cast<double>(c.profile->i_max_c) * 10.0;
  EXPECT_LE(i_bat_max_a, 1.1 * i_bulk_a);
  EXPECT_TRUE(t.plant->plant_events().empty()) << t.plant->plant_events().front().name;
  EXPECT_TRUE(t.plant->battery_connected());
  EXPECT_GT(soc_peak, 0.95);
  std::printf(
      "%s: %s; highest cell %.3f V, output %.3f V, charge current %.2f A, lowest cell "
      "SOC at its peak %.1f %%\n",
      c.name, names(visited).c_str(), t.plant->totals().v_cell_max_v, t.plant->totals().v_out_max_v,
      i_bat_max_a, 100.0 * soc_peak);
}

}  // namespace

TEST(ChargerFullCharge, Lifepo4) {
  full_charge({"lifepo4 8s",
               Chemistry::kLiFePO4,
               &powerstack::charger::lifepo4_profile(),
               8,
               {ChargeState::kBulk, ChargeState::kAbsorption, ChargeState::kFull},
               3.60,
               5400.0});
}

TEST(ChargerFullCharge, LiIonNmc) {
  full_charge({"li-ion-nmc 7s",
               Chemistry::kLiIon,
               &powerstack::charger::li_ion_nmc_profile(),
               7,
               {ChargeState::kBulk, ChargeState::kAbsorption, ChargeState::kFull},
               4.25,
               5400.0});
}

// Equalisation requested at the start (otherwise due every 60 days).
TEST(ChargerFullCharge, LeadAcidFlooded) {
  full_charge(
      {"lead-acid-flooded 12 cells",
       Chemistry::kLeadAcid,
       &powerstack::charger::lead_acid_flooded_profile(),
       12,
       {ChargeState::kBulk, ChargeState::kAbsorption, ChargeState::kEqualise, ChargeState::kFloat},
       2.55,
       4.0 * 3600.0,
       true});
}

TEST(ChargerFullCharge, LeadAcidAgm) {
  full_charge({"lead-acid-agm 12 cells",
               Chemistry::kLeadAcid,
               &powerstack::charger::lead_acid_agm_profile(),
               12,
               {ChargeState::kBulk, ChargeState::kAbsorption, ChargeState::kFloat},
               2.45,
               4.0 * 3600.0});
}
