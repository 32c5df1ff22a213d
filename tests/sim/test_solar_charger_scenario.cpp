// The solar-charger scenario reader: a complete scenario (inline [pv.datasheet] and a module
// file) gives the values written, and every class of bad input gives one line naming the
// file, the line and the key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/scenario/solar_charger_scenario.hpp"
#include "sim/systems/solar_charger.hpp"

namespace powerstack::sim {
namespace {

namespace fs = std::filesystem;

// Every section and nearly every key, with values other than the defaults.
const std::string kScenario = R"([scenario]
name = "unit scenario"
system = "solar-charger"
duration_s = 5
plant_step_s = 0.0005
seed = 7

[pv]
modules_in_series = 2
substrings_per_module = 2
noct_c = 44
shading = [1.0, 0.5, 1.0, 1.0]

[pv.datasheet]
name = "test module"
isc_a = 10.32
voc_v = 49.6
imp_a = 9.76
vmp_v = 41.0
alpha_isc_per_k = 0.00048
beta_voc_per_k = -0.0028
cells_in_series = 72

[weather]
irradiance = "clear-sky"
peak_w_m2 = 900
sunrise_h = 7
sunset_h = 19
ambient_c = 20

[converter]
preset = "fugu-class"
f_sw_hz = 50000
c_out_f = 0.002

[battery]
chemistry = "li-ion"
cells = 7
capacity_ah = 50
initial_soc = 0.4
capacity_sigma = 0.01
soc_sigma = 0.02
r0_sigma = 0.05
bms = false
bms_delay_s = 0.5
r_wire_ohm = 0.02

[load]
power_w = 15

[controller]
type = "fixed-duty"
duty = 0.6
period_s = 0.002
low_side = false

[[events]]
t_s = 1.5
action = "set_load"
load_w = 30

[[events]]
t_s = 2
action = "set_shading"
shading = [1, 1, 1, 1]

[[events]]
t_s = 3
action = "battery_cut"

[output]
probes = ["v_pv", "p_pv", "soc_min"]
probe_period_s = 0.1
csv = "run.csv"
html = "run.html"
)";

// `text` with the first occurrence of `from` replaced by `to` (the test fails if absent).
std::string with(const std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in the scenario";
  if (at == std::string::npos) {
    return text;
  }
  return text.substr(0, at) + to + text.substr(at + from.size());
}

// 1-based line of the first line of `text` that starts with `prefix`.
int line_of(const std::string& text, const std::string& prefix) {
  int line = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    if (text.compare(start, prefix.size(), prefix) == 0) {
      return line;
    }
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      break;
    }
    start = nl + 1;
    ++line;
  }
  ADD_FAILURE() << "no line starts with '" << prefix << "'";
  return 0;
}

// "s.toml:N: " where N is the line of `text` starting with `prefix`.
std::string at(const std::string& text, const std::string& prefix) {
  return "s.toml:" + std::to_string(line_of(text, prefix)) + ": ";
}

class ScenarioReader : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("scenario_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  ScenarioParseResult parse(const std::string& text) const {
    return parse_solar_charger_scenario(text, "s.toml", dir_.string());
  }

  // Refused with exactly `expected` (one line).
  void expect_error(const std::string& text, const std::string& expected) const {
    const ScenarioParseResult r = parse(text);
    EXPECT_FALSE(r.scenario.has_value()) << "accepted; expected: " << expected;
    EXPECT_EQ(r.error, expected);
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
  }

  // Refused with one line that starts with `prefix` and contains every `needle`.
  void expect_error_like(const std::string& text, const std::string& prefix,
                         const std::vector<std::string>& needles = {}) const {
    const ScenarioParseResult r = parse(text);
    EXPECT_FALSE(r.scenario.has_value()) << "accepted; expected: " << prefix;
    EXPECT_EQ(r.error.rfind(prefix, 0), 0U)
        << "'" << r.error << "' does not start with '" << prefix << "'";
    for (const auto& n : needles) {
      EXPECT_NE(r.error.find(n), std::string::npos) << "'" << n << "' not in: " << r.error;
    }
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
  }

  fs::path dir_;
};

TEST_F(ScenarioReader, ReadsEveryValueOfAValidScenario) {
  const ScenarioParseResult r = parse(kScenario);
  ASSERT_TRUE(r.scenario.has_value()) << r.error;
  EXPECT_EQ(r.error, "");
  const SolarChargerScenario& s = *r.scenario;
  EXPECT_EQ(s.name, "unit scenario");
  EXPECT_DOUBLE_EQ(s.duration_s, 5.0);
  EXPECT_DOUBLE_EQ(s.plant_step_s, 0.0005);
  EXPECT_EQ(s.seed, 7U);

  const SolarChargerConfig& p = s.plant;
  EXPECT_DOUBLE_EQ(p.module.isc_a, 10.32);
  EXPECT_DOUBLE_EQ(p.module.voc_v, 49.6);
  EXPECT_DOUBLE_EQ(p.module.imp_a, 9.76);
  EXPECT_DOUBLE_EQ(p.module.vmp_v, 41.0);
  EXPECT_DOUBLE_EQ(p.module.alpha_isc_per_k, 0.00048);
  EXPECT_DOUBLE_EQ(p.module.beta_voc_per_k, -0.0028);
  EXPECT_EQ(p.module.cells_in_series, 72);
  EXPECT_EQ(p.modules_in_series, 2);
  EXPECT_EQ(p.substrings_per_module, 2);
  EXPECT_DOUBLE_EQ(p.noct_c, 44.0);
  EXPECT_EQ(p.shading, (std::vector<double>{1.0, 0.5, 1.0, 1.0}));

  EXPECT_FALSE(p.irradiance_profile.has_value());
  EXPECT_DOUBLE_EQ(p.clear_sky.g_peak_w_m2, 900.0);
  EXPECT_DOUBLE_EQ(p.clear_sky.sunrise_s, 7.0 * 3600.0);
  EXPECT_DOUBLE_EQ(p.clear_sky.sunset_s, 19.0 * 3600.0);
  EXPECT_FALSE(p.ambient_profile.has_value());
  EXPECT_DOUBLE_EQ(p.ambient_c, 20.0);

  EXPECT_DOUBLE_EQ(p.buck.f_sw_hz, 50000.0);
  EXPECT_DOUBLE_EQ(p.buck.c_out_f, 0.002);
  EXPECT_DOUBLE_EQ(p.buck.c_in_f, fugu_class_buck_params().c_in_f);
  EXPECT_DOUBLE_EQ(p.thermal.t_ambient_c, 20.0);

  EXPECT_EQ(p.chemistry, Chemistry::kLiIon);
  EXPECT_EQ(p.battery.n_cells, 7U);
  EXPECT_DOUBLE_EQ(p.battery.cell.capacity_ah, 50.0);
  EXPECT_DOUBLE_EQ(p.battery.initial_soc, 0.4);
  EXPECT_DOUBLE_EQ(p.battery.spread.capacity_sigma_rel, 0.01);
  EXPECT_DOUBLE_EQ(p.battery.spread.soc_sigma, 0.02);
  EXPECT_DOUBLE_EQ(p.battery.spread.r0_sigma_rel, 0.05);
  EXPECT_EQ(p.battery.seed, 7U);
  EXPECT_FALSE(p.bms_enabled);
  EXPECT_DOUBLE_EQ(p.bms_delay_s, 0.5);
  EXPECT_DOUBLE_EQ(p.r_wire_ohm, 0.02);
  EXPECT_DOUBLE_EQ(p.load_w, 15.0);

  EXPECT_EQ(s.controller.type, "fixed-duty");
  EXPECT_DOUBLE_EQ(s.controller.duty, 0.6);
  EXPECT_DOUBLE_EQ(s.controller.period_s, 0.002);
  EXPECT_FALSE(s.controller.low_side_enabled);

  ASSERT_EQ(s.events.size(), 3U);
  EXPECT_DOUBLE_EQ(s.events[0].t_s, 1.5);
  EXPECT_EQ(s.events[0].action, "set_load");
  EXPECT_DOUBLE_EQ(s.events[0].load_w, 30.0);
  EXPECT_DOUBLE_EQ(s.events[1].t_s, 2.0);
  EXPECT_EQ(s.events[1].action, "set_shading");
  EXPECT_EQ(s.events[1].shading, (std::vector<double>{1.0, 1.0, 1.0, 1.0}));
  EXPECT_DOUBLE_EQ(s.events[2].t_s, 3.0);
  EXPECT_EQ(s.events[2].action, "battery_cut");

  EXPECT_EQ(s.output.probes, (std::vector<std::string>{"v_pv", "p_pv", "soc_min"}));
  EXPECT_DOUBLE_EQ(s.output.probe_period_s, 0.1);
  EXPECT_EQ(s.output.csv, "run.csv");
  EXPECT_EQ(s.output.html, "run.html");
}

TEST_F(ScenarioReader, DefaultsOfAMinimalScenario) {
  const std::string minimal =
      "[scenario]\nsystem = \"solar-charger\"\nduration_s = 10\n"
      "[pv.datasheet]\nisc_a = 10.32\nvoc_v = 49.6\nimp_a = 9.76\nvmp_v = 41.0\n"
      "alpha_isc_per_k = 0.00048\nbeta_voc_per_k = -0.0028\ncells_in_series = 72\n";
  const ScenarioParseResult r = parse(minimal);
  ASSERT_TRUE(r.scenario.has_value()) << r.error;
  const SolarChargerScenario& s = *r.scenario;
  EXPECT_EQ(s.name, "s.toml");
  EXPECT_DOUBLE_EQ(s.plant_step_s, 1e-3);
  EXPECT_EQ(s.seed, 1U);
  EXPECT_EQ(s.plant.modules_in_series, 1);
  EXPECT_EQ(s.plant.substrings_per_module, 3);
  EXPECT_TRUE(s.plant.shading.empty());
  EXPECT_DOUBLE_EQ(s.plant.clear_sky.sunrise_s, 6.0 * 3600.0);
  EXPECT_DOUBLE_EQ(s.plant.clear_sky.sunset_s, 20.0 * 3600.0);
  EXPECT_EQ(s.plant.chemistry, Chemistry::kLiFePO4);
  EXPECT_EQ(s.plant.battery.n_cells, 8U);
  EXPECT_TRUE(s.plant.bms_enabled);
  EXPECT_DOUBLE_EQ(s.controller.duty, 0.75);
  EXPECT_DOUBLE_EQ(s.controller.period_s, 0.01);
  EXPECT_TRUE(s.events.empty());
  EXPECT_EQ(s.output.probes, (std::vector<std::string>{"p_pv", "p_mpp", "v_pv", "v_bat", "i_bat",
                                                       "t_coil", "t_fet", "soc_min"}));
  EXPECT_EQ(s.output.csv, "probes.csv");
  EXPECT_EQ(s.output.html, "report.html");
}

TEST_F(ScenarioReader, ModuleFileIsResolvedAgainstTheScenarioDirectory) {
  write("panel.toml",
        "name = \"file module\"\nisc_a = 5.5\nvoc_v = 22.1\nimp_a = 5.1\nvmp_v = 18.2\n"
        "alpha_isc_per_k = 0.0005\nbeta_voc_per_k = -0.003\ncells_in_series = 36\n");
  // Replace the whole inline datasheet by a module reference.
  std::string scenario = kScenario.substr(0, kScenario.find("[pv.datasheet]")) +
                         kScenario.substr(kScenario.find("[weather]"));
  scenario = with(scenario, "[pv]\n", "[pv]\nmodule = \"panel.toml\"\n");
  const ScenarioParseResult r = parse(scenario);
  ASSERT_TRUE(r.scenario.has_value()) << r.error;
  const PvModuleParams& m = r.scenario->plant.module;
  EXPECT_DOUBLE_EQ(m.isc_a, 5.5);
  EXPECT_DOUBLE_EQ(m.voc_v, 22.1);
  EXPECT_DOUBLE_EQ(m.imp_a, 5.1);
  EXPECT_DOUBLE_EQ(m.vmp_v, 18.2);
  EXPECT_DOUBLE_EQ(m.alpha_isc_per_k, 0.0005);
  EXPECT_DOUBLE_EQ(m.beta_voc_per_k, -0.003);
  EXPECT_EQ(m.cells_in_series, 36);

  // Through the file reader: the base directory is the scenario file's directory.
  fs::create_directories(dir_ / "sub");
  write("sub/panel.toml",
        "isc_a = 6\nvoc_v = 23\nimp_a = 5.5\nvmp_v = 19\nalpha_isc_per_k = 0.0005\n"
        "beta_voc_per_k = -0.003\ncells_in_series = 36\n");
  const std::string path = write("sub/day.toml", scenario);
  const ScenarioParseResult f = read_solar_charger_scenario(path);
  ASSERT_TRUE(f.scenario.has_value()) << f.error;
  EXPECT_DOUBLE_EQ(f.scenario->plant.module.isc_a, 6.0);

  // An absolute module path is used as it is.
  const std::string abs = with(scenario, "module = \"panel.toml\"",
                               "module = \"" + (dir_ / "panel.toml").string() + "\"");
  const ScenarioParseResult a = parse_solar_charger_scenario(abs, "s.toml", "/nonexistent-dir");
  ASSERT_TRUE(a.scenario.has_value()) << a.error;
  EXPECT_DOUBLE_EQ(a.scenario->plant.module.isc_a, 5.5);
}

TEST_F(ScenarioReader, ConstantAndCsvWeather) {
  const std::string weather = kScenario.substr(
      kScenario.find("[weather]"), kScenario.find("[converter]") - kScenario.find("[weather]"));
  {
    const std::string text = with(kScenario, weather,
                                  "[weather]\nirradiance = \"constant\"\nirradiance_w_m2 = 750\n"
                                  "ambient_c = -5\n\n");
    const ScenarioParseResult r = parse(text);
    ASSERT_TRUE(r.scenario.has_value()) << r.error;
    ASSERT_TRUE(r.scenario->plant.irradiance_profile.has_value());
    EXPECT_DOUBLE_EQ(r.scenario->plant.irradiance_profile->value_at(0.0), 750.0);
    EXPECT_DOUBLE_EQ(r.scenario->plant.irradiance_profile->value_at(86400.0), 750.0);
    EXPECT_DOUBLE_EQ(r.scenario->plant.ambient_c, -5.0);
  }
  {
    write("g.csv", "t_s,irradiance\n0,100\n10,300\n");
    write("t.csv", "# ambient\nt_s,t\n0,10\n10,30\n");
    const std::string text = with(kScenario, weather,
                                  "[weather]\nirradiance = \"csv\"\nirradiance_csv = \"g.csv\"\n"
                                  "ambient_csv = \"t.csv\"\n\n");
    const ScenarioParseResult r = parse(text);
    ASSERT_TRUE(r.scenario.has_value()) << r.error;
    ASSERT_TRUE(r.scenario->plant.irradiance_profile.has_value());
    EXPECT_DOUBLE_EQ(r.scenario->plant.irradiance_profile->value_at(5.0), 200.0);
    ASSERT_TRUE(r.scenario->plant.ambient_profile.has_value());
    EXPECT_DOUBLE_EQ(r.scenario->plant.ambient_profile->value_at(5.0), 20.0);
  }
}

TEST_F(ScenarioReader, TomlSyntaxErrorGivesFileLineAndColumn) {
  const std::string text = with(kScenario, "cells = 7\n", "cells = = 7\n");
  const ScenarioParseResult r = parse(text);
  ASSERT_FALSE(r.scenario.has_value());
  const std::string prefix = "s.toml:" + std::to_string(line_of(text, "cells = = 7")) + ":9: ";
  EXPECT_EQ(r.error.rfind(prefix, 0), 0U) << r.error;
  EXPECT_GT(r.error.size(), prefix.size()) << "no description: " << r.error;
  EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;

  // A key defined twice and an unterminated string are syntax errors too.
  expect_error_like(with(kScenario, "cells = 7\n", "cells = 7\ncells = 8\n"),
                    "s.toml:" + std::to_string(line_of(kScenario, "cells = 7") + 1) + ":");
  expect_error_like(with(kScenario, "chemistry = \"li-ion\"", "chemistry = \"li-ion"),
                    "s.toml:" + std::to_string(line_of(kScenario, "chemistry =")) + ":");
}

TEST_F(ScenarioReader, MissingScenarioSectionOrWrongSystem) {
  const std::string no_scenario = kScenario.substr(kScenario.find("[pv]"));
  expect_error(no_scenario, "s.toml: 'scenario.system': missing [scenario] section");
  expect_error(with(kScenario, "system = \"solar-charger\"\n", ""),
               "s.toml:1: 'scenario.system': missing (one of solar-charger)");
  const std::string ups = with(kScenario, "system = \"solar-charger\"", "system = \"ups\"");
  expect_error(ups, at(ups, "system =") + "'scenario.system': 'ups' is not one of solar-charger");
  const std::string num = with(kScenario, "system = \"solar-charger\"", "system = 1");
  expect_error(num, at(num, "system =") + "'scenario.system': must be a string");
}

TEST_F(ScenarioReader, DurationAndStepRanges) {
  const std::string zero = with(kScenario, "duration_s = 5", "duration_s = 0");
  expect_error(zero,
               at(zero, "duration_s") + "'scenario.duration_s': 0 is outside 0.001 .. 3.16224e+07");
  const std::string neg = with(kScenario, "duration_s = 5", "duration_s = -1");
  expect_error(neg,
               at(neg, "duration_s") + "'scenario.duration_s': -1 is outside 0.001 .. 3.16224e+07");
  const std::string year = with(kScenario, "duration_s = 5", "duration_s = 4e7");
  expect_error(year, at(year, "duration_s") +
                         "'scenario.duration_s': 4e+07 is outside 0.001 .. 3.16224e+07");
  const std::string nan = with(kScenario, "duration_s = 5", "duration_s = nan");
  expect_error(nan, at(nan, "duration_s") + "'scenario.duration_s': must be a number");
  const std::string inf = with(kScenario, "duration_s = 5", "duration_s = inf");
  expect_error(inf, at(inf, "duration_s") + "'scenario.duration_s': must be a number");
  expect_error(with(kScenario, "duration_s = 5\n", ""),
               "s.toml:1: 'scenario.duration_s': missing (a number from 0.001 to 3.16224e+07)");
  const std::string step = with(kScenario, "plant_step_s = 0.0005", "plant_step_s = 2");
  expect_error(step, at(step, "plant_step_s") + "'scenario.plant_step_s': 2 is outside 1e-06 .. 1");
  const std::string seed = with(kScenario, "seed = 7", "seed = -1");
  expect_error(seed, at(seed, "seed") + "'scenario.seed': -1 is outside 0 .. 9223372036854775807");
}

TEST_F(ScenarioReader, UnknownKeyInEverySectionIsATypo) {
  struct Case {
    std::string after;  // a line of kScenario; the typo goes on the line after it
    std::string typo;
    std::string key;
  };
  const std::vector<Case> cases = {
      {"seed = 7", "duraton_s = 5", "scenario.duraton_s"},
      {"noct_c = 44", "modules_in_serie = 2", "pv.modules_in_serie"},
      {"cells_in_series = 72", "cell_in_series = 72", "pv.datasheet.cell_in_series"},
      {"ambient_c = 20", "ambiant_c = 20", "weather.ambiant_c"},
      {"f_sw_hz = 50000", "fsw_hz = 50000", "converter.fsw_hz"},
      {"cells = 7", "capacty_ah = 50", "battery.capacty_ah"},
      {"power_w = 15", "power = 15", "load.power"},
      {"duty = 0.6", "dutty = 0.6", "controller.dutty"},
      {"load_w = 30", "loadw = 30", "events[0].loadw"},
      {"action = \"battery_cut\"", "t = 3", "events[2].t"},
      {"probe_period_s = 0.1", "probe_period = 0.1", "output.probe_period"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.key);
    const std::string text = with(kScenario, c.after + "\n", c.after + "\n" + c.typo + "\n");
    expect_error(text, at(text, c.typo) + "'" + c.key + "': unknown key");
  }
  // A misspelt section: the section it should be is optional, so the typo is found at the end.
  const std::string batery = with(kScenario, "[battery]", "[batery]");
  expect_error(batery, at(batery, "[batery]") + "'batery': unknown key");
  // A key of one section written in another.
  const std::string moved = with(kScenario, "power_w = 15", "duty = 0.5");
  expect_error(moved, at(moved, "duty = 0.5") + "'load.duty': unknown key");
  // A key that belongs to another action of the same event.
  const std::string other =
      with(kScenario, "action = \"battery_cut\"\n", "action = \"battery_cut\"\nload_w = 5\n");
  expect_error(other, at(other, "load_w = 5") + "'events[2].load_w': unknown key");
}

TEST_F(ScenarioReader, WrongTypes) {
  const std::string cells = with(kScenario, "cells = 7", "cells = \"7\"");
  expect_error(cells, at(cells, "cells =") + "'battery.cells': must be a whole number");
  const std::string frac = with(kScenario, "cells = 7", "cells = 7.5");
  expect_error(frac, at(frac, "cells =") + "'battery.cells': must be a whole number");
  const std::string duty = with(kScenario, "duty = 0.6", "duty = \"high\"");
  expect_error(duty, at(duty, "duty =") + "'controller.duty': must be a number");
  const std::string bms = with(kScenario, "bms = false", "bms = 0");
  expect_error(bms, at(bms, "bms =") + "'battery.bms': must be true or false");
  const std::string probes =
      with(kScenario, "probes = [\"v_pv\", \"p_pv\", \"soc_min\"]", "probes = \"v_pv\"");
  expect_error(probes, at(probes, "probes =") + "'output.probes': must be an array of strings");
  const std::string probe_num =
      with(kScenario, "probes = [\"v_pv\", \"p_pv\", \"soc_min\"]", "probes = [\"v_pv\", 3]");
  expect_error(probe_num,
               at(probe_num, "probes =") + "'output.probes': every element must be a string");
  const std::string shading = with(kScenario, "shading = [1.0, 0.5, 1.0, 1.0]", "shading = 0.5");
  expect_error(shading, at(shading, "shading =") + "'pv.shading': must be an array of numbers");
  const std::string name = with(kScenario, "name = \"unit scenario\"", "name = 3");
  expect_error(name, at(name, "name = 3") + "'scenario.name': must be a string");
  // A section that is not a table, and events that are not an array of tables.
  const std::string load =
      with(with(kScenario, "[load]\npower_w = 15\n", ""), "[scenario]", "load = 15\n[scenario]");
  expect_error(load, "s.toml:1: 'load': must be a table");
  const std::string no_events = kScenario.substr(0, kScenario.find("[[events]]")) +
                                kScenario.substr(kScenario.find("[output]"));
  const std::string events = with(no_events, "[scenario]", "events = [1, 2]\n[scenario]");
  expect_error(events, "s.toml:1: 'events': must be an array of tables ([[events]])");
  const std::string date = with(kScenario, "duration_s = 5", "duration_s = 1979-05-27");
  expect_error(date, at(date, "duration_s") + "'scenario.duration_s': must be a number");
}

TEST_F(ScenarioReader, PvModuleErrors) {
  const std::string inline_ds =
      kScenario.substr(kScenario.find("[pv.datasheet]"),
                       kScenario.find("[weather]") - kScenario.find("[pv.datasheet]"));
  {
    const std::string none = with(kScenario, inline_ds, "");
    expect_error(none, at(none, "[pv]") + "'pv.module': missing");
  }
  {
    const std::string no_pv = with(with(kScenario, inline_ds, ""),
                                   "[pv]\nmodules_in_series = 2\nsubstrings_per_module = 2\n"
                                   "noct_c = 44\nshading = [1.0, 0.5, 1.0, 1.0]\n",
                                   "");
    expect_error(no_pv, "s.toml: 'pv.module': missing [pv] section");
  }
  {
    const std::string file_missing =
        with(with(kScenario, inline_ds, ""), "[pv]\n", "[pv]\nmodule = \"absent.toml\"\n");
    expect_error(file_missing, at(file_missing, "module =") + "'pv.module': cannot read '" +
                                   (dir_ / "absent.toml").string() + "'");
  }
  {
    const std::string is_dir =
        with(with(kScenario, inline_ds, ""), "[pv]\n", "[pv]\nmodule = \".\"\n");
    expect_error(is_dir, at(is_dir, "module =") + "'pv.module': cannot read '" +
                             (dir_ / ".").string() + "': it is a directory");
  }
  {
    const std::string panel = write("bad_panel.toml",
                                    "isc_a = 10\nvoc_v = 40\nimp_a = 9\nvmp_v = 33\n"
                                    "alpha_isc_per_k = 0.0005\nbeta_voc_per_k = 0.003\n"
                                    "cells_in_series = 60\n");
    const std::string bad_file =
        with(with(kScenario, inline_ds, ""), "[pv]\n", "[pv]\nmodule = \"bad_panel.toml\"\n");
    expect_error(bad_file, at(bad_file, "module =") + "'pv.module': " + panel +
                               ":6: 'beta_voc_per_k': 0.003 must be negative, relative per "
                               "kelvin (-0.0029 = -0.29 %/K; -0.01 .. 0)");
  }
  {
    write("panel.toml",
          "isc_a = 10\nvoc_v = 40\nimp_a = 9\nvmp_v = 33\nalpha_isc_per_k = 0.0005\n"
          "beta_voc_per_k = -0.003\ncells_in_series = 60\n");
    const std::string both = with(kScenario, "[pv]\n", "[pv]\nmodule = \"panel.toml\"\n");
    expect_error(both, at(both, "[pv.datasheet]") +
                           "'pv.datasheet': give either module = \"file\" or a [pv.datasheet] "
                           "table, not both");
  }
  {
    const std::string not_table =
        with(with(kScenario, inline_ds, ""), "[pv]\n", "[pv]\ndatasheet = \"panel.toml\"\n");
    expect_error(not_table, at(not_table, "datasheet =") + "'pv.datasheet': must be a table");
  }
}

TEST_F(ScenarioReader, BadDatasheetValues) {
  struct Case {
    std::string from;
    std::string to;
    std::string message;  // after "s.toml:N: " (N = the line of `to`, or of the header)
    bool at_header = false;
  };
  const std::vector<Case> cases = {
      {"isc_a = 10.32", "isc_a = -1", "'pv.datasheet.isc_a': -1 must be positive (at most 1000)"},
      {"voc_v = 49.6", "voc_v = 0", "'pv.datasheet.voc_v': 0 must be positive (at most 10000)"},
      {"imp_a = 9.76", "imp_a = 11", "'pv.datasheet.imp_a': must be below isc_a"},
      {"vmp_v = 41.0", "vmp_v = 50", "'pv.datasheet.vmp_v': must be below voc_v"},
      {"alpha_isc_per_k = 0.00048", "alpha_isc_per_k = 0.05",
       "'pv.datasheet.alpha_isc_per_k': 0.05 is not a relative coefficient per kelvin (0.0005 = "
       "0.05 %/K; at most 0.01 in size)"},
      {"beta_voc_per_k = -0.0028", "beta_voc_per_k = -0.28",
       "'pv.datasheet.beta_voc_per_k': -0.28 must be negative, relative per kelvin (-0.0029 = "
       "-0.29 %/K; -0.01 .. 0)"},
      {"cells_in_series = 72", "cells_in_series = 0",
       "'pv.datasheet.cells_in_series': 0 is outside 1 .. 10000"},
      {"isc_a = 10.32", "isc_a = \"ten\"", "'pv.datasheet.isc_a': must be a number"},
      {"voc_v = 49.6\n", "", "'pv.datasheet.voc_v': missing (open-circuit voltage, V)", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.to);
    const std::string text = with(kScenario, c.from, c.to);
    const std::string line = c.at_header ? at(text, "[pv.datasheet]") : at(text, c.to);
    expect_error(text, line + c.message);
  }
}

TEST_F(ScenarioReader, ShadingOfTheWrongLength) {
  const std::string three =
      with(kScenario, "shading = [1.0, 0.5, 1.0, 1.0]", "shading = [1.0, 0.5, 1.0]");
  expect_error(three, at(three, "shading =") + "'pv.shading': needs one factor per substring: 4");
  const std::string range =
      with(kScenario, "shading = [1.0, 0.5, 1.0, 1.0]", "shading = [1.0, 1.5, 1.0, 1.0]");
  expect_error(range,
               at(range, "shading =") + "'pv.shading': every element must be a number from 0 to 1");
  const std::string event = with(kScenario, "shading = [1, 1, 1, 1]", "shading = [1, 1]");
  expect_error(event, at(event, "shading = [1, 1]") +
                          "'events[1].shading': needs one factor per substring: 4");
  const std::string missing = with(kScenario, "shading = [1, 1, 1, 1]\n", "");
  expect_error(missing, "s.toml:" + std::to_string(line_of(kScenario, "t_s = 2") - 1) +
                            ": 'events[1].shading': missing (an array of numbers)");
}

TEST_F(ScenarioReader, WeatherErrors) {
  const std::string sunset = with(kScenario, "sunset_h = 19", "sunset_h = 6");
  expect_error(sunset, at(sunset, "sunset_h") + "'weather.sunset_h': must be after sunrise_h");
  const std::string kind = with(kScenario, "irradiance = \"clear-sky\"", "irradiance = \"sunny\"");
  expect_error(kind, at(kind, "irradiance =") +
                         "'weather.irradiance': 'sunny' is not one of clear-sky, constant, csv");
  const std::string peak = with(kScenario, "peak_w_m2 = 900", "peak_w_m2 = 2000");
  expect_error(peak, at(peak, "peak_w_m2") + "'weather.peak_w_m2': 2000 is outside 0 .. 1500");
  // A key of another irradiance kind.
  const std::string constant = with(kScenario, "irradiance = \"clear-sky\"",
                                    "irradiance = \"constant\"\nirradiance_w_m2 = 5");
  expect_error(constant, at(constant, "peak_w_m2") + "'weather.peak_w_m2': unknown key");
}

TEST_F(ScenarioReader, UnknownChemistry) {
  const std::string text = with(kScenario, "chemistry = \"li-ion\"", "chemistry = \"nimh\"");
  expect_error(text, at(text, "chemistry") +
                         "'battery.chemistry': 'nimh' is not one of lifepo4, li-ion, lead-acid");
}

TEST_F(ScenarioReader, IrradianceCsvMissingOrMalformed) {
  const std::string weather = kScenario.substr(
      kScenario.find("[weather]"), kScenario.find("[converter]") - kScenario.find("[weather]"));
  const auto csv_weather = [&](const std::string& file) {
    return with(kScenario, weather,
                "[weather]\nirradiance = \"csv\"\nirradiance_csv = \"" + file + "\"\n\n");
  };
  const std::string missing = csv_weather("absent.csv");
  expect_error(missing, at(missing, "irradiance_csv") + "'weather.irradiance_csv': cannot read '" +
                            (dir_ / "absent.csv").string() + "'");

  const std::string bad_value = write("bad_value.csv", "t_s,g\n0,100\n60,abc\n");
  const std::string v = csv_weather("bad_value.csv");
  expect_error(v, at(v, "irradiance_csv") + "'weather.irradiance_csv': " + bad_value +
                      ": line 3: value 'abc' is not a number");

  const std::string backwards = write("backwards.csv", "t_s,g\n0,100\n60,200\n30,300\n");
  const std::string b = csv_weather("backwards.csv");
  expect_error_like(b, at(b, "irradiance_csv") + "'weather.irradiance_csv': " + backwards +
                           ": line 4: time 30 s does not increase");

  const std::string columns = write("columns.csv", "t_s,g\n0,100,5\n");
  const std::string c = csv_weather("columns.csv");
  expect_error(c, at(c, "irradiance_csv") + "'weather.irradiance_csv': " + columns +
                      ": line 2: expected 2 columns (t_s,value), got 3");

  const std::string empty = write("empty.csv", "t_s,g\n");
  const std::string e = csv_weather("empty.csv");
  expect_error_like(e, at(e, "irradiance_csv") + "'weather.irradiance_csv': " + empty + ": line ",
                    {"no data rows"});

  const std::string no_key = with(kScenario, weather, "[weather]\nirradiance = \"csv\"\n\n");
  expect_error(no_key, at(no_key, "[weather]") + "'weather.irradiance_csv': missing");

  const std::string ambient = with(kScenario, "ambient_c = 20", "ambient_csv = \"bad_value.csv\"");
  expect_error(ambient, at(ambient, "ambient_csv") + "'weather.ambient_csv': " + bad_value +
                            ": line 3: value 'abc' is not a number");
}

TEST_F(ScenarioReader, EventErrors) {
  const std::string action = with(kScenario, "action = \"battery_cut\"", "action = \"explode\"");
  expect_error(action, at(action, "action = \"explode\"") +
                           "'events[2].action': 'explode' is not one of battery_cut, "
                           "battery_reconnect, set_load, set_shading");
  const std::string no_t = with(kScenario, "t_s = 3\n", "");
  expect_error(no_t, "s.toml:" + std::to_string(line_of(kScenario, "t_s = 3") - 1) +
                         ": 'events[2].t_s': missing (a number from 0 to 3.16224e+07)");
  const std::string neg_t = with(kScenario, "t_s = 3\n", "t_s = -3\n");
  expect_error(neg_t, at(neg_t, "t_s = -3") + "'events[2].t_s': -3 is outside 0 .. 3.16224e+07");
  const std::string no_load = with(kScenario, "load_w = 30\n", "");
  expect_error(no_load, "s.toml:" + std::to_string(line_of(kScenario, "t_s = 1.5") - 1) +
                            ": 'events[0].load_w': missing (a number from 0 to 100000)");
}

TEST_F(ScenarioReader, ControllerPeriodBelowPlantStep) {
  const std::string text = with(kScenario, "period_s = 0.002", "period_s = 0.0001");
  expect_error(text, at(text, "period_s") +
                         "'controller.period_s': must be at least "
                         "scenario.plant_step_s");
  // Without a [controller] section the default period (10 ms) is checked.
  const std::string controller =
      kScenario.substr(kScenario.find("[controller]"),
                       kScenario.find("[[events]]") - kScenario.find("[controller]"));
  const std::string no_section =
      with(with(kScenario, controller, ""), "plant_step_s = 0.0005", "plant_step_s = 0.02");
  expect_error(no_section, "s.toml: 'controller.period_s': must be at least scenario.plant_step_s");
  const std::string type = with(kScenario, "type = \"fixed-duty\"", "type = \"mppt\"");
  expect_error(type, at(type, "type =") +
                         "'controller.type': 'mppt' is not one of fixed-duty, mppt-charger");
}

TEST_F(ScenarioReader, UnknownProbeSignal) {
  const std::string text = with(kScenario, "\"p_pv\", \"soc_min\"", "\"p_pv\", \"v_foo\"");
  std::string known;
  for (const auto& s : SolarChargerPlant::signal_list()) {
    known += (known.empty() ? "" : ", ") + s;
  }
  expect_error(
      text, at(text, "probes") + "'output.probes': unknown signal 'v_foo' (known: " + known + ")");
  const std::string period = with(kScenario, "probe_period_s = 0.1", "probe_period_s = 0");
  expect_error(period, at(period, "probe_period_s") +
                           "'output.probe_period_s': 0 is outside 0.0001 .. 86400");
}

TEST_F(ScenarioReader, OutputFileNamesMustBePlain) {
  const std::string plain = "must be a plain file name (it is written under the output directory)";
  for (const std::string name : {"sub/run.csv", "../run.csv", "..", "/tmp/run.csv", ""}) {
    SCOPED_TRACE(name);
    const std::string csv = with(kScenario, "csv = \"run.csv\"", "csv = \"" + name + "\"");
    expect_error(csv, at(csv, "csv =") + "'output.csv': " + plain);
  }
  const std::string html = with(kScenario, "html = \"run.html\"", "html = \"a/../run.html\"");
  expect_error(html, at(html, "html =") + "'output.html': " + plain);
}

// --- Inputs the reader accepts today but should refuse (see the report to the lead). -------

// An empty probe list runs the whole simulation and writes a CSV with only "t_s" and a report
// without charts.
TEST_F(ScenarioReader, EmptyProbeListIsRefused) {
  const std::string text =
      with(kScenario, "probes = [\"v_pv\", \"p_pv\", \"soc_min\"]", "probes = []");
  const ScenarioParseResult r = parse(text);
  EXPECT_FALSE(r.scenario.has_value()) << "an empty probe list was accepted";
  EXPECT_EQ(r.error.rfind(at(text, "probes") + "'output.probes': ", 0), 0U) << r.error;
}

// csv and html naming the same file: the HTML report overwrites the probe CSV.
TEST_F(ScenarioReader, CsvAndHtmlMustDiffer) {
  const std::string text = with(kScenario, "html = \"run.html\"", "html = \"run.csv\"");
  const ScenarioParseResult r = parse(text);
  EXPECT_FALSE(r.scenario.has_value()) << "csv and html name the same file";
  EXPECT_NE(r.error.find("'output.html'"), std::string::npos) << r.error;
}

// "." passes the plain-name check; simulate then fails to write only after the whole run.
TEST_F(ScenarioReader, DotIsNotAFileName) {
  const std::string text = with(kScenario, "csv = \"run.csv\"", "csv = \".\"");
  const ScenarioParseResult r = parse(text);
  EXPECT_FALSE(r.scenario.has_value()) << "csv = \".\" was accepted";
  EXPECT_NE(r.error.find("'output.csv'"), std::string::npos) << r.error;
}

// More than 1e12 plant steps: the message names the duration, not the controller period.
TEST_F(ScenarioReader, TooManyStepsNamesDurationOrStep) {
  const std::string text = with(with(kScenario, "duration_s = 5", "duration_s = 31000000"),
                                "plant_step_s = 0.0005", "plant_step_s = 0.000001");
  const ScenarioParseResult r = parse(text);
  ASSERT_FALSE(r.scenario.has_value());
  EXPECT_EQ(r.error.find("'controller.period_s'"), std::string::npos) << "misleading: " << r.error;
  EXPECT_TRUE(r.error.find("'scenario.duration_s'") != std::string::npos ||
              r.error.find("'scenario.plant_step_s'") != std::string::npos)
      << r.error;
}

TEST_F(ScenarioReader, EventAfterTheEndIsRefused) {
  const ScenarioParseResult r =
      parse(kScenario + "\n[[events]]\nt_s = 100\naction = \"battery_cut\"\n");
  ASSERT_FALSE(r.scenario.has_value());
  EXPECT_NE(r.error.find("'events[3].t_s': is after the end of the run"), std::string::npos)
      << r.error;
}

TEST_F(ScenarioReader, AmbientConstantAndCsvTogetherAreRefused) {
  const ScenarioParseResult r =
      parse(with(kScenario, "ambient_c = 20", "ambient_c = 20\nambient_csv = \"a.csv\""));
  ASSERT_FALSE(r.scenario.has_value());
  EXPECT_NE(r.error.find("give either ambient_c or ambient_csv"), std::string::npos) << r.error;
}

TEST_F(ScenarioReader, DeviceFilesAreNotRead) {
  const ScenarioParseResult r = parse(with(kScenario, "irradiance = \"clear-sky\"",
                                           "irradiance = \"csv\"\nirradiance_csv = \"/dev/zero\""));
  ASSERT_FALSE(r.scenario.has_value());
  EXPECT_NE(r.error.find("not a regular file"), std::string::npos) << r.error;
}

TEST_F(ScenarioReader, ErrorsStayOnOneLine) {
  const ScenarioParseResult r = parse(with(kScenario, "power_w = 15", "\"power\\nw\" = 10"));
  ASSERT_FALSE(r.scenario.has_value());
  EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
}

}  // namespace
}  // namespace powerstack::sim
