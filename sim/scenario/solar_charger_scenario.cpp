#include "sim/scenario/solar_charger_scenario.hpp"

#include <filesystem>
#include <limits>

#include "powerstack/charger/charge_profile.hpp"
#include "powerstack/mppt/tracker_bank.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/scenario/pv_datasheet.hpp"
#include "sim/scenario/text_file.hpp"

namespace powerstack::sim {

namespace {

constexpr double kMaxDurationS = 366.0 * 86400.0;

std::string resolve(const std::string& base_dir, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() || base_dir.empty() ? path
                                             : (std::filesystem::path(base_dir) / p).string();
}

// A CSV profile named by `key`; errors name the key, then the CSV's own line.
std::optional<TimeSeriesProfile> load_profile(TomlReader& r, const std::string& key,
                                              const std::string& base_dir) {
  const std::string path = resolve(base_dir, r.text(key));
  if (!r.ok()) {
    return std::nullopt;
  }
  std::string text;
  std::string error;
  if (!read_text_file(path, text, error)) {
    r.fail(key, error);
    return std::nullopt;
  }
  ProfileParseResult parsed = parse_profile_csv(text);
  if (!parsed.profile) {
    r.fail(key, path + ": " + parsed.error);
    return std::nullopt;
  }
  return std::move(*parsed.profile);
}

void read_pv(TomlReader r, SolarChargerScenario& s, const std::string& base_dir) {
  if (!r.present()) {
    r.fail("module", "missing [pv] section");
    return;
  }
  if (r.has("module") && r.has("datasheet")) {
    r.fail("datasheet", "give either module = \"file\" or a [pv.datasheet] table, not both");
    return;
  }
  if (r.has("datasheet")) {
    TomlReader ds = r.table("datasheet");
    s.plant.module = read_pv_datasheet(ds);
    ds.finish();
  } else {
    const std::string path = resolve(base_dir, r.text("module"));
    if (r.ok()) {
      std::string error;
      const auto ds = load_pv_datasheet_file(path, error);
      if (!ds) {
        r.fail("module", error);
      } else {
        s.plant.module = *ds;
      }
    }
  }
  s.plant.modules_in_series = static_cast<int>(r.integer_or("modules_in_series", 1, 1, 64));
  s.plant.substrings_per_module = static_cast<int>(r.integer_or("substrings_per_module", 3, 1, 12));
  s.plant.noct_c = r.number_or("noct_c", 45.0, 20.0, 80.0);
  if (r.has("shading")) {
    s.plant.shading = r.numbers("shading", 0.0, 1.0);
    const auto n = static_cast<std::size_t>(s.plant.modules_in_series) *
                   static_cast<std::size_t>(s.plant.substrings_per_module);
    if (r.ok() && s.plant.shading.size() != n) {
      r.fail("shading", "needs one factor per substring: " + std::to_string(n));
    }
  }
  r.finish();
}

void read_weather(TomlReader r, SolarChargerScenario& s, const std::string& base_dir) {
  const std::string kind = r.text_or("irradiance", "clear-sky", {"clear-sky", "constant", "csv"});
  if (kind == "clear-sky") {
    s.plant.clear_sky.g_peak_w_m2 = r.number_or("peak_w_m2", 1000.0, 0.0, 1500.0);
    s.plant.clear_sky.sunrise_s = 3600.0 * r.number_or("sunrise_h", 6.0, 0.0, 24.0);
    s.plant.clear_sky.sunset_s = 3600.0 * r.number_or("sunset_h", 20.0, 0.0, 24.0);
    if (r.ok() && s.plant.clear_sky.sunset_s <= s.plant.clear_sky.sunrise_s) {
      r.fail("sunset_h", "must be after sunrise_h");
    }
  } else if (kind == "constant") {
    const double g = r.number("irradiance_w_m2", 0.0, 1500.0);
    s.plant.irradiance_profile = TimeSeriesProfile::create({0.0, kMaxDurationS}, {g, g}).value();
  } else if (kind == "csv") {
    s.plant.irradiance_profile = load_profile(r, "irradiance_csv", base_dir);
  }
  if (r.has("ambient_csv") && r.has("ambient_c")) {
    r.fail("ambient_c", "give either ambient_c or ambient_csv, not both");
  }
  if (r.has("ambient_csv")) {
    s.plant.ambient_profile = load_profile(r, "ambient_csv", base_dir);
  } else {
    s.plant.ambient_c = r.number_or("ambient_c", 25.0, -40.0, 70.0);
  }
  r.finish();
}

void read_converter(TomlReader r, SolarChargerScenario& s) {
  r.text_or("preset", "fugu-class", {"fugu-class"});
  s.plant.buck = fugu_class_buck_params();
  s.plant.thermal = fugu_class_thermal_params();
  s.plant.buck.f_sw_hz = r.number_or("f_sw_hz", s.plant.buck.f_sw_hz, 1e3, 1e6);
  s.plant.buck.c_out_f = r.number_or("c_out_f", s.plant.buck.c_out_f, 1e-6, 1.0);
  s.plant.buck.c_in_f = r.number_or("c_in_f", s.plant.buck.c_in_f, 1e-6, 1.0);
  s.plant.thermal.t_ambient_c = s.plant.ambient_c;
  r.finish();
}

void read_battery(TomlReader r, SolarChargerScenario& s) {
  const std::string chem = r.text_or("chemistry", "lifepo4", {"lifepo4", "li-ion", "lead-acid"});
  s.plant.chemistry = chem == "li-ion"      ? Chemistry::kLiIon
                      : chem == "lead-acid" ? Chemistry::kLeadAcid
                                            : Chemistry::kLiFePO4;
  s.plant.battery.n_cells = static_cast<std::size_t>(r.integer_or("cells", 8, 1, 64));
  const double capacity = r.number_or("capacity_ah", 100.0, 0.01, 10000.0);
  s.plant.battery.cell = typical_cell_params(chemistry_profile(s.plant.chemistry), capacity);
  s.plant.battery.initial_soc = r.number_or("initial_soc", 0.5, 0.0, 1.0);
  s.plant.battery.spread.capacity_sigma_rel = r.number_or("capacity_sigma", 0.0, 0.0, 0.3);
  s.plant.battery.spread.soc_sigma = r.number_or("soc_sigma", 0.0, 0.0, 0.3);
  s.plant.battery.spread.r0_sigma_rel = r.number_or("r0_sigma", 0.0, 0.0, 0.5);
  s.plant.bms_enabled = r.boolean_or("bms", true);
  s.plant.bms_delay_s = r.number_or("bms_delay_s", 0.0, 0.0, 60.0);
  s.plant.r_wire_ohm = r.number_or("r_wire_ohm", 0.01, 0.0, 1.0);
  r.finish();
}

// The charge profile that fits the plant's battery chemistry.
const char* default_profile(Chemistry chemistry) {
  switch (chemistry) {
    case Chemistry::kLiFePO4:
      return "lifepo4";
    case Chemistry::kLiIon:
      return "li-ion-nmc";
    case Chemistry::kLeadAcid:
      return "lead-acid-flooded";
  }
  return "lifepo4";
}

std::vector<std::string> tracker_names() {
  std::vector<std::string> names;
  for (int k = 0; k < mppt::TrackerBank::kCount; ++k) {
    names.emplace_back(mppt::TrackerBank::name_at(k));
  }
  return names;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (int k = 0; charger::charge_profile_at(k) != nullptr; ++k) {
    names.emplace_back(charger::charge_profile_at(k)->name);
  }
  return names;
}

void read_controller(TomlReader r, SolarChargerScenario& s) {
  ControllerSpec& c = s.controller;
  c.type = r.text_or("type", "fixed-duty", {"fixed-duty", "mppt-charger"});
  if (c.type == "fixed-duty") {
    c.duty = r.number_or("duty", 0.75, 0.0, 1.0);
    c.period_s = r.number_or("period_s", 0.01, 1e-5, 10.0);
    c.low_side_enabled = r.boolean_or("low_side", true);
  } else {
    c.algorithm = r.text_or("algorithm", "po-adaptive", tracker_names());
    c.profile = r.text_or("profile", default_profile(s.plant.chemistry), profile_names());
    if (r.has("v_absorb_cell_v")) {
      c.v_absorb_cell_v = r.number("v_absorb_cell_v", 1.5, 5.0);
    }
    const double period =
        static_cast<double>(mppt::TrackerBank::control_period_s(c.algorithm.c_str()));
    c.period_s = r.number_or("period_s", period > 0.0 ? period : 0.01, 1e-5, 10.0);
    c.i_out_max_a = r.number_or("i_out_max_a", 30.0, 0.1, 1000.0);
    c.i_in_max_a = r.number_or("i_in_max_a", 30.0, 0.1, 1000.0);
    c.p_in_max_w = r.number_or("p_in_max_w", 1200.0, 1.0, 1e5);
  }
  r.finish();
}

void read_events(std::vector<TomlReader> events, SolarChargerScenario& s) {
  for (auto& r : events) {
    ScenarioEvent e;
    e.t_s = r.number("t_s", 0.0, kMaxDurationS);
    e.action = r.text("action", {"battery_cut", "battery_reconnect", "set_load", "set_shading"});
    if (e.action == "set_load") {
      e.load_w = r.number("load_w", 0.0, 1e5);
    } else if (e.action == "set_shading") {
      e.shading = r.numbers("shading", 0.0, 1.0);
      const auto n = static_cast<std::size_t>(s.plant.modules_in_series) *
                     static_cast<std::size_t>(s.plant.substrings_per_module);
      if (r.ok() && e.shading.size() != n) {
        r.fail("shading", "needs one factor per substring: " + std::to_string(n));
      }
    }
    r.finish();
    s.events.push_back(e);
  }
}

void read_output(TomlReader r, SolarChargerScenario& s, const std::vector<std::string>& signals) {
  if (r.has("probes") && r.texts("probes").empty() && r.ok()) {
    r.fail("probes", "needs at least one signal");
  }
  s.output.probes = r.has("probes")
                        ? r.texts("probes")
                        : std::vector<std::string>{"p_pv",  "p_mpp",  "v_pv",  "v_bat",
                                                   "i_bat", "t_coil", "t_fet", "soc_min"};
  for (const auto& p : s.output.probes) {
    bool known = false;
    for (const auto& name : signals) {
      known = known || name == p;
    }
    if (!known) {
      std::string all;
      for (const auto& name : signals) {
        all += all.empty() ? "" : ", ";
        all += name;
      }
      std::string message = "unknown signal '";
      message += p;
      message += "' (known: ";
      message += all;
      message += ")";
      r.fail("probes", message);
      break;
    }
  }
  s.output.probe_period_s = r.number_or("probe_period_s", 1.0, 1e-4, 86400.0);
  s.output.csv = r.text_or("csv", "probes.csv");
  s.output.html = r.text_or("html", "report.html");
  for (const auto* key : {"csv", "html"}) {
    const std::string& v = std::string(key) == "csv" ? s.output.csv : s.output.html;
    if (v.empty() || v == "." || v.find('/') != std::string::npos ||
        v.find("..") != std::string::npos) {
      r.fail(key, "must be a plain file name (it is written under the output directory)");
    }
  }
  if (r.ok() && s.output.csv == s.output.html) {
    r.fail("html", "must differ from output.csv");
  }
  r.finish();
}

}  // namespace

ScenarioParseResult parse_solar_charger_scenario(const std::string& text,
                                                 const std::string& file_name,
                                                 const std::string& base_dir) {
  std::string error;
  std::optional<toml::table> table = parse_toml(text, file_name, error);
  if (!table) {
    return {std::nullopt, error};
  }
  TomlReader root(&*table, file_name, "");
  SolarChargerScenario s;
  {
    TomlReader sc = root.table("scenario");
    if (!sc.present()) {
      sc.fail("system", "missing [scenario] section");
    }
    s.name = sc.text_or("name", file_name);
    sc.text("system", {"solar-charger"});
    s.duration_s = sc.number("duration_s", 1e-3, kMaxDurationS);
    s.plant_step_s = sc.number_or("plant_step_s", 1e-3, 1e-6, 1.0);
    if (sc.ok() && s.duration_s / s.plant_step_s > 1e12) {
      sc.fail("duration_s",
              "needs more than 10^12 plant steps; raise plant_step_s or shorten the run");
    }
    s.seed = static_cast<std::uint64_t>(
        sc.integer_or("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
    sc.finish();
  }
  read_pv(root.table("pv"), s, base_dir);
  read_weather(root.table("weather"), s, base_dir);
  read_converter(root.table("converter"), s);
  read_battery(root.table("battery"), s);
  s.plant.battery.seed = s.seed;
  {
    TomlReader load = root.table("load");
    s.plant.load_w = load.number_or("power_w", 0.0, 0.0, 1e5);
    load.finish();
  }
  read_controller(root.table("controller"), s);
  read_events(root.tables("events"), s);
  if (root.ok()) {
    std::vector<TomlReader> event_tables = root.tables("events");
    for (std::size_t k = 0; k < event_tables.size() && k < s.events.size(); ++k) {
      if (s.events[k].t_s > s.duration_s) {
        event_tables[k].fail("t_s", "is after the end of the run (scenario.duration_s)");
        break;
      }
    }
  }
  if (root.ok() && !Simulation::valid({s.plant_step_s, s.duration_s, s.controller.period_s})) {
    TomlReader c = root.table("controller");
    c.fail("period_s", "must be at least scenario.plant_step_s");
  }
  read_output(root.table("output"), s, SolarChargerPlant::signal_list());
  root.finish();
  if (!root.ok()) {
    return {std::nullopt, root.error()};
  }
  return {std::move(s), {}};
}

ScenarioParseResult read_solar_charger_scenario(const std::string& path) {
  std::string text;
  std::string error;
  if (!read_text_file(path, text, error)) {
    return {std::nullopt, error};
  }
  const std::string base = std::filesystem::path(path).parent_path().string();
  return parse_solar_charger_scenario(text, path, base);
}

void apply_scenario_event(const ScenarioEvent& e, SolarChargerPlant& plant) {
  if (e.action == "battery_cut") {
    plant.cut_battery();
  } else if (e.action == "battery_reconnect") {
    plant.reconnect_battery();
  } else if (e.action == "set_load") {
    plant.set_load_w(e.load_w);
  } else if (e.action == "set_shading") {
    plant.set_shading(e.shading);
  }
}

}  // namespace powerstack::sim
