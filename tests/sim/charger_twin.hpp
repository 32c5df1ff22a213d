// The charge controller closed around the solar-charger plant, for the fault-injection and
// full-charge tests: a seed-000 plant (one 72-cell panel), a ChargeController with the
// test tracker of the core tests, and a Simulation that calls the controller at its period.
#pragma once

#include <memory>
#include <string>

#include "../core/charger_test_plant.hpp"
#include "powerstack/charger/charge_controller.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/systems/solar_charger.hpp"

namespace ps_test {

inline powerstack::sim::SolarChargerConfig seed000_plant(double g_w_m2) {
  powerstack::sim::SolarChargerConfig c;
  c.module = {9.0, 44.5, 8.5, 36.5, 0.0005, -0.0029, 72};
  c.irradiance_profile =
      powerstack::sim::TimeSeriesProfile::create({0.0, 1e7}, {g_w_m2, g_w_m2}).value();
  c.battery.n_cells = 8;
  c.battery.cell = powerstack::sim::typical_cell_params(
      powerstack::sim::chemistry_profile(powerstack::sim::Chemistry::kLiFePO4), 100.0);
  c.battery.initial_soc = 0.5;
  c.battery.seed = 1;
  c.load_w = 10.0;
  return c;
}

struct ChargerTwin {
  std::unique_ptr<powerstack::sim::SolarChargerPlant> plant;
  TestTracker tracker;
  std::unique_ptr<powerstack::charger::ChargeController> controller;
  std::unique_ptr<powerstack::sim::Simulation> sim;

  // Null plant (and `why` set) when the configuration is refused.
  ChargerTwin(const powerstack::sim::SolarChargerConfig& plant_config,
              const powerstack::charger::ChargeControllerConfig& controller_config,
              const powerstack::sim::SimulationConfig& sim_config, std::string& why) {
    plant = powerstack::sim::SolarChargerPlant::create(plant_config, why);
    if (!plant) {
      return;
    }
    controller =
        std::make_unique<powerstack::charger::ChargeController>(tracker, controller_config);
    sim = std::make_unique<powerstack::sim::Simulation>(*plant, sim_config);
    sim->set_controller(
        [c = controller.get()](const powerstack::control::Measurements& m, double dt_s) {
          return c->step(m, static_cast<float>(dt_s));
        });
  }
};

}  // namespace ps_test
