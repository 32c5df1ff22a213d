// Scenario files for the seed-002 Li-Po device (`system = "lipo-device"`, docs/scenarios.md):
// the device's parts, the power policy, battery removal/insertion events and the output
// files. Every value is range-checked and unknown keys are refused, with file:line.
#pragma once

#include <optional>
#include <string>

#include "sim/systems/lipo_device_run.hpp"

namespace powerstack::sim {

struct LipoDeviceScenario {
  std::string name;
  LipoDeviceRunSpec run;
  std::string csv = "probes.csv";
  std::string html = "report.html";
};

struct LipoDeviceParseResult {
  std::optional<LipoDeviceScenario> scenario;
  std::string error;  // "file:line: 'key': what" when scenario is empty
};

LipoDeviceParseResult parse_lipo_device_scenario(const std::string& text,
                                                 const std::string& file_name);
LipoDeviceParseResult read_lipo_device_scenario(const std::string& path);

// The [scenario] system named by a scenario file, or empty when it has none or the file does
// not parse (the caller's own reader then reports the problem).
std::string scenario_system(const std::string& path);

}  // namespace powerstack::sim
