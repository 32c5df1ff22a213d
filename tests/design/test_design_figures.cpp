// Figures against closed forms (and against the seeds' hand calculations where they are right).
#include <cmath>
#include <string>

#include "design_test_util.hpp"
#include "powerstack/design/figures.hpp"
#include "sim/models/battery_chemistry.hpp"

namespace powerstack::design::test {
namespace {

Figures figures_of(const Design& d) {
  return compute_figures(Network(d));
}

TEST(DesignFigures, LdoBudgetIsLoadPlusQuiescentCurrent) {
  const Figures f = figures_of(parse_one(kBase));
  EXPECT_NEAR(f.at("budget.run.USB.i_a"), 0.1 + 1e-6, 1e-12);
  EXPECT_NEAR(f.at("budget.run.in_w"), 5.0 * (0.1 + 1e-6), 1e-12);
  EXPECT_NEAR(f.at("budget.run.loads_w"), 3.3 * 0.1, 1e-12);
}

// A capacitor bank behind an LDO: the load current is constant, so t = C (V0 - V_end) / I with
// V_end = brown-out + dropout.
TEST(DesignFigures, HoldUpThroughLdoIsLinear) {
  const std::string text = std::string(kBase) + R"(
[[storage]]
name = "C"
type = "capacitor"
rail = "vbus"
c_f = 0.47
v_rated_v = 6.3
series = 2
parallel = 4
)";
  const Figures f = figures_of(parse_one(text));
  const double c = 0.47 * 4 / 2;
  EXPECT_NEAR(f.at("storage.C.c_f"), c, 1e-12);
  EXPECT_NEAR(f.at("storage.C.energy_j"), 0.5 * c * 25.0, 1e-9);
  const double t = c * (5.0 - (3.0 + 0.3)) / (0.1 + 1e-6);
  EXPECT_NEAR(f.at("holdup.C.s"), t, t * 1e-3);
  EXPECT_NEAR(f.at("holdup.C.v_end_v"), 3.3, 1e-3);
}

// Behind a buck the storage gives constant power: t = C (V0^2 - V_end^2) / (2 P_in), ended by
// the buck's minimum input.
TEST(DesignFigures, HoldUpThroughBuckIsConstantPower) {
  const std::string text = R"(
[device]
name = "t"
modes = ["run"]
[[source]]
name = "IN"
type = "dc"
v_v = 12.0
out = "vin"
[[storage]]
name = "C"
type = "supercap"
rail = "vin"
c_f = 1.0
v_rated_v = 16
[[converter]]
name = "BUCK"
type = "buck"
in = "vin"
out = "v5"
v_out_v = 5.0
efficiency = 0.8
v_in_min_v = 6.0
[[load]]
name = "L"
rail = "v5"
modes = { run = 0.5 }
)";
  const Figures f = figures_of(parse_one(text));
  const double p_in = 5.0 * 0.5 / 0.8;
  const double t = 1.0 * (144.0 - 36.0) / (2.0 * p_in);
  EXPECT_NEAR(f.at("holdup.C.s"), t, t * 1e-3);
  EXPECT_NEAR(f.at("budget.run.IN.p_w"), p_in, 1e-9);
}

TEST(DesignFigures, Seed003BurstAgainstClosedForm) {
  const Design d = example("seed-003-knx-tank").designs.at(0);
  const Figures f = figures_of(d);
  // Tank at 28 V, DC1 delivers 3.6 V x 0.4 A (D1 drops 0.3 V to 3.3 V) at 85 %, the bus gives
  // its 40 mA limit into the tank: E = (P_out / eta - V I_bus) t.
  const double p_draw = 3.6 * 0.4 / 0.85 - 28.0 * 0.040;
  const double e = p_draw * 0.005;
  EXPECT_NEAR(f.at("burst.ESP32-C6.TANK.energy_j"), e, e * 0.01);
  const double c = 540e-6;
  const double drop = 28.0 - std::sqrt(28.0 * 28.0 - 2 * e / c);
  EXPECT_NEAR(f.at("burst.ESP32-C6.TANK.drop_v"), drop, drop * 0.01);
  // The seed's figures that are right: 1.32 W load and 211 mJ in the tank.
  EXPECT_NEAR(f.at("burst.ESP32-C6.p_w"), 1.32, 1e-9);
  EXPECT_NEAR(f.at("storage.TANK.energy_j"), 0.5 * c * 28 * 28, 1e-9);
}

TEST(DesignFigures, Seed002DividerComparatorAndRetention) {
  const Design d = example("seed-002-power-manager").designs.at(0);
  const Figures f = figures_of(d);
  EXPECT_NEAR(f.at("divider.VBAT_DIV.ratio"), 39.0 / 49.0, 1e-12);
  EXPECT_NEAR(f.at("divider.VBAT_DIV.v_adc_max_v"), 4.2 * 39.0 / 49.0, 1e-9);
  EXPECT_NEAR(f.at("divider.VBAT_DIV.point.shutdown.v_adc_v"), 3.4 * 39.0 / 49.0, 1e-12);
  EXPECT_NEAR(f.at("divider.VBAT_DIV.i_a"), 4.2 / 49e3, 1e-12);
  // Non-inverting comparator with hysteresis: rise = Vref (R3 + R5) / R5, fall = rise - Vs R3/R5.
  const double vs = f.at("comparator.U1_WAKE.v_supply_v");
  EXPECT_NEAR(f.at("comparator.U1_WAKE.v_rise_v"), 3.6 * 1.1e6 / 1e6, 1e-9);
  EXPECT_NEAR(f.at("comparator.U1_WAKE.v_fall_v"), 3.96 - vs * 0.1, 1e-9);
  // RC retention from the supercap's real start voltage (battery 4.2 V minus D1's 0.3 V).
  EXPECT_NEAR(f.at("rc.SC1.tau_s"), 1000.0, 1e-9);
  EXPECT_NEAR(f.at("rc.SC1.retention_s"), 1000.0 * std::log(3.9 / 3.6), 1e-6);
}

TEST(DesignFigures, Seed004BudgetStorageAndCost) {
  const DesignFile file = example("seed-004-doorbell");
  const Figures sc = figures_of(file.designs.at(0));
  EXPECT_NEAR(sc.at("budget.idle.loads.v3v3.i_a"), 0.085, 1e-12);
  EXPECT_NEAR(sc.at("budget.active.loads.v3v3.i_a"), 0.535, 1e-12);
  EXPECT_NEAR(sc.at("budget.peak.loads.v3v3.i_a"), 0.955, 1e-12);
  EXPECT_NEAR(sc.at("storage.SC.c_f"), 5.5 / 2, 1e-12);
  EXPECT_NEAR(sc.at("storage.SC.stated_usable_j"), 0.5 * 2.75 * (25.0 - 16.0), 1e-9);
  EXPECT_NEAR(sc.at("bom.cost_eur"), 15.0, 1e-9);
  // Ride-through: 0.66 W at the 3.3 V rail through the 90 % MP1584, plus 25 mA of balancing,
  // from 5 V down to the MP1584's 4.5 V minimum input.
  const double c = 2.75;
  double t = 0.0;
  for (double v = 5.0; v > 4.5; v -= 1e-5) {
    const double vm = v - 0.5e-5;
    t += c * 1e-5 / (0.66 / 0.9 / vm + vm / 200.0);
  }
  EXPECT_NEAR(sc.at("holdup.SC.s"), t, t * 0.005);
  // Solar option: energy from the cell per day through the 85 % boost and the 90 % buck.
  const Figures so = figures_of(file.designs.at(2));
  const double wh = 12 * 0.66 / (0.85 * 0.9) + 12 * (0.085 * 3.3) / (0.85 * 0.9);
  EXPECT_NEAR(so.at("day.PB_CELL.wh"), wh, wh * 1e-9);
  EXPECT_NEAR(so.at("autonomy.PB_CELL.days"), so.at("storage.PB_CELL.energy_j") / 3600 / wh, 1e-9);
  EXPECT_NEAR(so.at("bom.cost_eur"), 30.2, 1e-9);
}

TEST(DesignFigures, BatteryRuntimeAtConstantCurrent) {
  const std::string text = R"(
[device]
name = "t"
modes = ["run"]
[[storage]]
name = "B"
type = "battery"
chemistry = "lifepo4"
rail = "vb"
capacity_ah = 2.0
r_internal_ohm = 0.0
[[load]]
name = "L"
rail = "vb"
modes = { run = 0.5 }
)";
  const Figures f = figures_of(parse_one(text));
  // From full to the 2.8 V discharge cut-off of LiFePO4: the SOC where the OCV table reaches it.
  const auto& p = sim::chemistry_profile(sim::Chemistry::kLiFePO4);
  const double soc_end = *sim::soc_from_ocv(p, p.limits.v_discharge_v, p.t_ref_c);
  EXPECT_NEAR(f.at("runtime.B.run.h"), 2.0 * (1.0 - soc_end) / 0.5, 0.02);
}

}  // namespace
}  // namespace powerstack::design::test
