#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/engine/simulation.hpp"
#include "sim/systems/solar_charger.hpp"

namespace {

using powerstack::control::Actuation;
using powerstack::control::Measurements;
using powerstack::sim::SolarChargerConfig;
using powerstack::sim::SolarChargerPlant;
using powerstack::sim::TimeSeriesProfile;

SolarChargerConfig seed000_config(double g_w_m2) {
  SolarChargerConfig c;
  c.module = {9.0, 44.5, 8.5, 36.5, 0.0005, -0.0029, 72};
  c.irradiance_profile = TimeSeriesProfile::create({0.0, 1e6}, {g_w_m2, g_w_m2}).value();
  c.battery.n_cells = 8;
  c.battery.cell.capacity_ah = 100.0;
  c.battery.initial_soc = 0.5;
  c.battery.seed = 1;
  return c;
}

Actuation fixed_duty(double duty) {
  Actuation a;
  a.duty = static_cast<float>(duty);
  a.pwm_enabled = true;
  return a;
}

TEST(SolarChargerPlant, EnergyBalanceCloses) {
  std::string why;
  auto plant = SolarChargerPlant::create(seed000_config(800.0), why);
  ASSERT_TRUE(plant) << why;
  powerstack::sim::Simulation sim(*plant, {1e-3, 2.0, 1e-2});
  sim.set_controller([](const Measurements&, double) { return fixed_duty(0.75); });
  sim.run();
  const auto& t = plant->totals();
  const double out = t.battery_in_j + t.wire_j + t.load_j + t.losses_j.total_w() + t.stored_j;
  ASSERT_GT(t.pv_j, 100.0);
  EXPECT_NEAR(out / t.pv_j, 1.0, 1e-6);
}

TEST(SolarChargerPlant, FixedDutySetsInputVoltage) {
  std::string why;
  auto plant = SolarChargerPlant::create(seed000_config(800.0), why);
  ASSERT_TRUE(plant) << why;
  powerstack::sim::Simulation sim(*plant, {1e-3, 1.0, 1e-2});
  sim.set_controller([](const Measurements&, double) { return fixed_duty(0.75); });
  sim.run();
  const Measurements m = plant->measure();
  // A buck in CCM: V_out ~ D V_in (losses raise V_in by a few percent at most).
  const double ratio = static_cast<double>(m.v_bat_v) / static_cast<double>(m.v_pv_v);
  EXPECT_NEAR(ratio, 0.75, 0.03);
  EXPECT_GT(m.i_bat_a, 5.0F);
}

TEST(SolarChargerPlant, BatteryCutRaisesOutputWithoutController) {
  std::string why;
  auto plant = SolarChargerPlant::create(seed000_config(1000.0), why);
  ASSERT_TRUE(plant) << why;
  powerstack::sim::Simulation sim(*plant, {1e-3, 0.6, 1e-2});
  sim.set_controller([](const Measurements&, double) { return fixed_duty(0.75); });
  sim.schedule(0.5, "battery_cut", [](powerstack::sim::Plant& p) {
    dynamic_cast<SolarChargerPlant&>(p).cut_battery();
  });
  sim.run();
  EXPECT_FALSE(plant->battery_connected());
  EXPECT_GT(plant->totals().v_out_max_v, 30.0);  // nothing stops the converter here
}

TEST(SolarChargerPlant, DarkAndDisconnectedStaysPhysical) {
  // Night, battery cut, and a controller that keeps switching: nothing feeds the converter.
  // The node voltages must settle near zero, never run away (a dark panel's bypass diodes
  // clamp the input; the gate driver stops below its supply UVLO).
  std::string why;
  auto plant = SolarChargerPlant::create(seed000_config(0.0), why);
  ASSERT_TRUE(plant) << why;
  plant->cut_battery();
  powerstack::sim::Simulation sim(*plant, {1e-3, 200.0, 1e-2});
  sim.set_controller([](const Measurements&, double) { return fixed_duty(0.65); });
  sim.add_probe("v_pv", 0.01);
  sim.add_probe("v_bat", 0.01);
  sim.run();
  for (const auto& probe : sim.probes()) {
    for (double v : probe.values) {
      ASSERT_TRUE(std::isfinite(v));
      ASSERT_GT(v, -2.0) << probe.signal;
      ASSERT_LT(v, 40.0) << probe.signal;
    }
  }
  const auto& t = plant->totals();
  EXPECT_GE(t.losses_j.total_w(), 0.0);
}

TEST(SolarChargerPlant, BmsTripIsReportedAsAPlantEvent) {
  // A nearly full 8s LiFePO4 string charged hard at a fixed duty: a cell reaches the BMS
  // over-voltage threshold (3.80 V) and the string opens; the plant says when.
  std::string why;
  auto config = seed000_config(1000.0);
  config.battery.initial_soc = 0.995;
  config.battery.cell.capacity_ah = 2.0;
  auto plant = SolarChargerPlant::create(config, why);
  ASSERT_TRUE(plant) << why;
  powerstack::sim::Simulation sim(*plant, {1e-3, 60.0, 1e-2});
  sim.set_controller([](const Measurements&, double) { return fixed_duty(0.75); });
  sim.run();
  ASSERT_FALSE(plant->plant_events().empty());
  EXPECT_EQ(plant->plant_events().front().name, "BMS opened: cell over-voltage");
  EXPECT_FALSE(plant->battery_connected());
}

}  // namespace
