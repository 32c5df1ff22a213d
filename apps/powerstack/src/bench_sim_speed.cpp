// The "sim-speed" suite: how fast the twin runs the seed-000 plant (one 72-cell module, the
// FUGU-class buck, an 8-cell LiFePO4 string) on one core, with a trivial fixed-duty
// controller at 100 Hz.
//   plant_steps_per_s: 1 ms plant steps per wall second over 60 s of full sun;
//   day_wall_s: wall time of a whole simulated 24 h clear-sky day at a 1 ms plant step
//   (measured, not extrapolated).
#include <chrono>
#include <memory>
#include <string>

#include "powerstack/app/bench_suites.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/systems/solar_charger.hpp"

namespace powerstack::app {

namespace {

sim::SolarChargerConfig seed000_plant(bool full_sun) {
  sim::SolarChargerConfig c;
  c.module = {10.32, 49.6, 9.76, 41.0, 0.00048, -0.0028, 72};  // examples/panels/72cell-400w.toml
  if (full_sun) {
    c.irradiance_profile = sim::TimeSeriesProfile::create({0.0, 1e9}, {1000.0, 1000.0}).value();
  }
  c.battery.n_cells = 8;
  c.battery.cell =
      sim::typical_cell_params(sim::chemistry_profile(sim::Chemistry::kLiFePO4), 100.0);
  c.battery.initial_soc = 0.3;
  c.battery.seed = 1;
  c.load_w = 20.0;
  return c;
}

// Runs `duration_s` of the plant; returns wall seconds and the plant steps taken.
std::pair<double, std::uint64_t> run(bool full_sun, double duration_s) {
  std::string why;
  auto plant = sim::SolarChargerPlant::create(seed000_plant(full_sun), why);
  sim::Simulation simulation(*plant, {1e-3, duration_s, 1e-2});
  simulation.set_controller([](const control::Measurements&, double) {
    control::Actuation a;
    a.duty = 0.65F;
    a.pwm_enabled = true;
    return a;
  });
  const auto start = std::chrono::steady_clock::now();
  simulation.run();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {wall, simulation.steps_done()};
}

}  // namespace

nlohmann::json run_sim_speed_suite() {
  const auto [wall_60, steps_60] = run(true, 60.0);
  const auto [wall_day, steps_day] = run(false, 86400.0);
  return nlohmann::json::array(
      {{{"metric", "plant_steps_per_s"}, {"value", static_cast<double>(steps_60) / wall_60}},
       {{"metric", "day_wall_s"}, {"value", wall_day}, {"plant_steps", steps_day}}});
}

}  // namespace powerstack::app
