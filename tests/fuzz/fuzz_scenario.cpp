// libFuzzer target: the solar-charger scenario reader on arbitrary bytes. Beyond the
// sanitizers, it checks what an accepted scenario promises (a run the engine accepts, known
// probes, plain output file names, shading vectors of the right size) and that a refused one
// comes with a message naming the file. No simulation is run (far too slow to fuzz).
//
// Relative file references (module, CSV profiles) resolve under a directory that does not
// exist, so they fail without touching the disk. Absolute ones would read real files (a
// character device such as /dev/zero never ends), so inputs that can spell a '/' in a string
// (the byte itself, or a \u002F / \U0000002F escape) are skipped.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/engine/simulation.hpp"
#include "sim/scenario/solar_charger_scenario.hpp"
#include "sim/systems/solar_charger.hpp"

namespace {

using powerstack::sim::SolarChargerScenario;

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

bool may_name_an_absolute_path(const std::string& text) {
  if (text.find('/') != std::string::npos) {
    return true;
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("002f") != std::string::npos;
}

bool plain_file_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos &&
         name.find("..") == std::string::npos;
}

void check_scenario(const SolarChargerScenario& s) {
  check(std::isfinite(s.duration_s) && s.duration_s > 0.0);
  check(std::isfinite(s.plant_step_s) && s.plant_step_s > 0.0);
  check(std::isfinite(s.controller.period_s) && s.controller.period_s >= s.plant_step_s);
  check(powerstack::sim::Simulation::valid({s.plant_step_s, s.duration_s, s.controller.period_s}));
  check(s.controller.duty >= 0.0 && s.controller.duty <= 1.0);

  check(!s.output.probes.empty());
  const auto signals = powerstack::sim::SolarChargerPlant::signal_list();
  for (const auto& p : s.output.probes) {
    check(std::find(signals.begin(), signals.end(), p) != signals.end());
  }
  check(std::isfinite(s.output.probe_period_s) && s.output.probe_period_s > 0.0);
  check(plain_file_name(s.output.csv));
  check(plain_file_name(s.output.html));

  const auto& p = s.plant;
  check(p.modules_in_series >= 1 && p.substrings_per_module >= 1);
  const auto substrings = static_cast<std::size_t>(p.modules_in_series * p.substrings_per_module);
  check(p.shading.empty() || p.shading.size() == substrings);
  check(p.module.isc_a > 0.0 && p.module.imp_a < p.module.isc_a);
  check(p.module.voc_v > 0.0 && p.module.vmp_v < p.module.voc_v);
  check(p.module.cells_in_series >= 1);
  check(p.battery.n_cells >= 1);
  check(p.battery.initial_soc >= 0.0 && p.battery.initial_soc <= 1.0);
  // A profile (constant or CSV) replaces the clear-sky day.
  check(p.irradiance_profile.has_value() || p.clear_sky.sunset_s > p.clear_sky.sunrise_s);

  for (const auto& e : s.events) {
    check(std::isfinite(e.t_s) && e.t_s >= 0.0);
    if (e.action == "set_shading") {
      check(e.shading.size() == substrings);
    } else if (e.action == "set_load") {
      check(std::isfinite(e.load_w) && e.load_w >= 0.0);
    } else {
      check(e.action == "battery_cut" || e.action == "battery_reconnect");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (may_name_an_absolute_path(text)) {
    return 0;
  }
  const powerstack::sim::ScenarioParseResult r =
      powerstack::sim::parse_solar_charger_scenario(text, "fuzz.toml", "/nonexistent-dir");
  if (!r.scenario) {
    check(r.error.rfind("fuzz.toml", 0) == 0);
    return 0;
  }
  check(r.error.empty());
  check_scenario(*r.scenario);
  return 0;
}
