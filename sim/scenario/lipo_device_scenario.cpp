#include "sim/scenario/lipo_device_scenario.hpp"

#include <limits>
#include <utility>
#include <vector>

#include "sim/scenario/text_file.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace powerstack::sim {

namespace {

constexpr double kMaxDurationS = 366.0 * 86400.0;

void read_device(TomlReader& root, LipoDeviceScenario& s) {
  LipoDeviceConfig& d = s.run.device;
  {
    TomlReader b = root.table("battery");
    d.capacity_ah = b.number_or("capacity_ah", d.capacity_ah, 0.01, 1000.0);
    d.initial_soc = b.number_or("initial_soc", d.initial_soc, 0.0, 1.0);
    d.capacity_scale = b.number_or("capacity_scale", 1.0, 0.1, 1.5);
    d.t_c = b.number_or("temperature_c", d.t_c, -20.0, 60.0);
    d.spread.capacity_frac = b.number_or("spread_capacity", d.spread.capacity_frac, 0.0, 0.5);
    d.spread.r0_frac = b.number_or("spread_r0", d.spread.r0_frac, 0.0, 0.9);
    d.spread.ocv_offset_v = b.number_or("spread_ocv_v", d.spread.ocv_offset_v, 0.0, 0.1);
    b.finish();
  }
  {
    TomlReader m = root.table("monitor");
    d.r_top_ohm = m.number_or("r_top_ohm", d.r_top_ohm, 1.0, 1e8);
    d.r_bottom_ohm = m.number_or("r_bottom_ohm", d.r_bottom_ohm, 1.0, 1e8);
    d.c_filter_f = m.number_or("c_filter_f", d.c_filter_f, 1e-12, 1e-3);
    m.finish();
  }
  {
    TomlReader r = root.table("regulator");
    d.regulator.v_dropout_v = r.number_or("dropout_v", d.regulator.v_dropout_v, 0.0, 3.0);
    d.regulator.r_dropout_ohm = r.number_or("dropout_ohm", d.regulator.r_dropout_ohm, 0.0, 100.0);
    d.regulator.i_quiescent_a =
        r.number_or("ground_current_a", d.regulator.i_quiescent_a, 0.0, 0.1);
    r.finish();
  }
  {
    TomlReader w = root.table("detector");
    d.c_super_f = w.number_or("c_super_f", d.c_super_f, 1e-6, 100.0);
    d.r_detector_ohm = w.number_or("r_detector_ohm", d.r_detector_ohm, 1.0, 1e9);
    d.v_ref_v = w.number_or("v_ref_v", d.v_ref_v, 0.5, 5.0);
    d.r3_ohm = w.number_or("r3_ohm", d.r3_ohm, 1.0, 1e9);
    d.r5_ohm = w.number_or("r5_ohm", d.r5_ohm, 1.0, 1e9);
    w.finish();
  }
  {
    TomlReader l = root.table("load");
    d.cycle_period_s = l.number_or("cycle_period_s", d.cycle_period_s, 1.0, 86400.0);
    d.awake_s = l.number_or("awake_s", d.awake_s, 0.01, 86400.0);
    d.burst_period_s = l.number_or("burst_period_s", d.burst_period_s, 0.01, 3600.0);
    d.burst_width_s = l.number_or("burst_width_s", d.burst_width_s, 0.001, 3600.0);
    if (l.ok() && !(d.awake_s < d.cycle_period_s)) {
      l.fail("awake_s", "must be shorter than cycle_period_s");
    }
    if (l.ok() && !(d.burst_width_s < d.burst_period_s)) {
      l.fail("burst_width_s", "must be shorter than burst_period_s");
    }
    l.finish();
  }
}

void read_policy(TomlReader p, LipoDeviceScenario& s) {
  power::PowerPolicyConfig& c = s.run.firmware.policy;
  c.shutdown_soc = static_cast<float>(p.number_or("shutdown_soc", 0.02, 0.0, 0.5));
  c.resume_soc = static_cast<float>(p.number_or("resume_soc", 0.05, 0.0, 1.0));
  c.debounce_s = static_cast<float>(p.number_or("debounce_s", 30.0, 0.0, 86400.0));
  c.v_floor_v = static_cast<float>(p.number_or("v_floor_v", 3.2, 0.0, 5.0));
  if (p.ok() && !power::PowerPolicy::valid(c)) {
    p.fail("resume_soc", "must be above shutdown_soc");
  }
  p.finish();
}

void read_events(std::vector<TomlReader> tables, LipoDeviceScenario& s) {
  double last_t = 0.0;
  for (auto& e : tables) {
    LipoDeviceEvent ev;
    ev.t_s = e.number("t_s", 0.0, s.run.duration_s);
    ev.action = e.text("action", {"remove_battery", "insert_battery"});
    if (ev.action == "insert_battery") {
      ev.soc = e.number("soc", 0.0, 1.0);
      ev.capacity_scale = e.number_or("capacity_scale", 1.0, 0.1, 1.5);
    }
    if (e.ok() && ev.t_s < last_t) {
      e.fail("t_s", "events must be in time order");
    }
    last_t = ev.t_s;
    e.finish();
    s.run.events.push_back(ev);
  }
}

void read_output(TomlReader o, LipoDeviceScenario& s) {
  s.run.probe_period_s = o.number_or("probe_period_s", 10.0, 1e-3, 86400.0);
  s.csv = o.text_or("csv", "probes.csv");
  s.html = o.text_or("html", "report.html");
  for (const auto* key : {"csv", "html"}) {
    const std::string& v = std::string(key) == "csv" ? s.csv : s.html;
    if (o.ok() && (v.empty() || v.find('/') != std::string::npos || v == "." || v == "..")) {
      o.fail(key, "must be a plain file name (it is written under the output directory)");
    }
  }
  if (o.ok() && s.csv == s.html) {
    o.fail("html", "must differ from output.csv");
  }
  o.finish();
}

}  // namespace

LipoDeviceParseResult parse_lipo_device_scenario(const std::string& text,
                                                 const std::string& file_name) {
  std::string error;
  std::optional<toml::table> table = parse_toml(text, file_name, error);
  if (!table) {
    return {std::nullopt, error};
  }
  TomlReader root(&*table, file_name, "");
  LipoDeviceScenario s;
  {
    TomlReader sc = root.table("scenario");
    if (!sc.present()) {
      sc.fail("system", "missing [scenario] section");
    }
    s.name = sc.text_or("name", file_name);
    sc.text("system", {"lipo-device"});
    s.run.duration_s = sc.number("duration_s", 1e-2, kMaxDurationS);
    s.run.plant_step_s = sc.number_or("plant_step_s", 0.01, 1e-4, 1.0);
    s.run.controller_period_s = sc.number_or("controller_period_s", 0.5, 1e-3, 60.0);
    if (sc.ok() && s.run.controller_period_s < s.run.plant_step_s) {
      sc.fail("controller_period_s", "must be at least plant_step_s");
    }
    if (sc.ok() && s.run.duration_s / s.run.plant_step_s > 1e10) {
      sc.fail("duration_s", "needs more than 10^10 plant steps; raise plant_step_s");
    }
    s.run.device.seed = static_cast<std::uint64_t>(
        sc.integer_or("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
    sc.finish();
  }
  read_device(root, s);
  read_policy(root.table("policy"), s);
  if (root.ok()) {
    read_events(root.tables("events"), s);
  }
  read_output(root.table("output"), s);
  root.finish();
  if (!root.ok()) {
    return {std::nullopt, root.error()};
  }
  return {std::move(s), {}};
}

LipoDeviceParseResult read_lipo_device_scenario(const std::string& path) {
  std::string text;
  std::string error;
  if (!read_text_file(path, text, error)) {
    return {std::nullopt, error};
  }
  return parse_lipo_device_scenario(text, path);
}

std::string scenario_system(const std::string& path) {
  std::string text;
  std::string error;
  if (!read_text_file(path, text, error)) {
    return {};
  }
  std::optional<toml::table> table = parse_toml(text, path, error);
  if (!table) {
    return {};
  }
  const auto* system = (*table)["scenario"]["system"].as_string();
  return system != nullptr ? system->get() : std::string{};
}

}  // namespace powerstack::sim
