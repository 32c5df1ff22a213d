// A solar-charger scenario file (TOML): the plant (PV, weather, converter, battery, load),
// the controller, timed events and the outputs. The format is documented in
// docs/scenarios.md with examples in examples/scenarios/. Every error names the file, the
// line and the key; unknown keys are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/systems/solar_charger.hpp"

namespace powerstack::sim {

struct ScenarioEvent {
  double t_s = 0.0;
  std::string action;           // battery_cut | battery_reconnect | set_load | set_shading
  double load_w = 0.0;          // set_load
  std::vector<double> shading;  // set_shading
};

struct ControllerSpec {
  std::string type = "fixed-duty";  // fixed-duty | mppt-charger
  double period_s = 0.01;
  // fixed-duty
  double duty = 0.75;
  bool low_side_enabled = true;
  // mppt-charger: the firmware (core ChargeController) with a tracker of the bank
  std::string algorithm = "po-adaptive";
  std::string profile;           // charge profile name; by default the battery chemistry's
  double v_absorb_cell_v = 0.0;  // > 0: overrides the profile's absorption voltage per cell
  double i_out_max_a = 30.0;
  double i_in_max_a = 30.0;
  double p_in_max_w = 1200.0;
};

struct OutputSpec {
  std::vector<std::string> probes;  // plant signal names
  double probe_period_s = 1.0;
  std::string csv = "probes.csv";  // file names, written under the run's output directory
  std::string html = "report.html";
};

struct SolarChargerScenario {
  std::string name;
  double duration_s = 60.0;
  double plant_step_s = 1e-3;
  std::uint64_t seed = 1;
  SolarChargerConfig plant;
  ControllerSpec controller;
  std::vector<ScenarioEvent> events;
  OutputSpec output;
};

struct ScenarioParseResult {
  std::optional<SolarChargerScenario> scenario;
  std::string error;  // "file:line: 'key': what" when scenario is empty
};

// `file_name` names the text in errors; relative paths inside (module, CSV profiles) are
// resolved against `base_dir`.
ScenarioParseResult parse_solar_charger_scenario(const std::string& text,
                                                 const std::string& file_name,
                                                 const std::string& base_dir);
ScenarioParseResult read_solar_charger_scenario(const std::string& path);

// Carries out one scenario event on the plant (the reader checked the action name).
void apply_scenario_event(const ScenarioEvent& e, SolarChargerPlant& plant);

}  // namespace powerstack::sim
