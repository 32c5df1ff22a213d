// Plain-text and JSON views of an analysis and of the comparison.
#include <fmt/format.h>

#include <cmath>

#include "powerstack/design/analysis.hpp"

namespace powerstack::design {

namespace {

std::string duration(double s) {
  if (!std::isfinite(s))
    return "unlimited";
  if (s < 1.0)
    return fmt::format("{:.3g} ms", s * 1e3);
  if (s < 120.0)
    return fmt::format("{:.3g} s", s);
  if (s < 7200.0)
    return fmt::format("{:.3g} min", s / 60.0);
  if (s < 3 * 86400.0)
    return fmt::format("{:.3g} h", s / 3600.0);
  return fmt::format("{:.3g} days", s / 86400.0);
}

double get(const Figures& f, const std::string& k) {
  const auto it = f.find(k);
  return it == f.end() ? 0.0 : it->second;
}

}  // namespace

std::string to_text(const Analysis& a) {
  const Design& d = a.design;
  const Figures& f = a.figures;
  std::string out = fmt::format("== {} ({})\n", d.name, d.file);
  out += "power budget (all sources present):\n";
  for (const auto& m : d.modes) {
    out += fmt::format("  {:<10} loads {:8.4f} W  input {:8.4f} W  efficiency {:5.1f} %\n", m,
                       get(f, "budget." + m + ".loads_w"), get(f, "budget." + m + ".in_w"),
                       100 * get(f, "budget." + m + ".efficiency"));
  }
  for (const auto& s : d.storage) {
    if (s.kind == StorageKind::kBattery) {
      out += fmt::format("storage {}: battery {:.3g} J ({:.3g} Wh) to {:.2f} V; runtime", s.name,
                         get(f, "storage." + s.name + ".energy_j"),
                         get(f, "storage." + s.name + ".energy_j") / 3600,
                         get(f, "storage." + s.name + ".v_cutoff_v"));
      for (const auto& m : d.modes) {
        out +=
            fmt::format(" {} {}", m, duration(get(f, "runtime." + s.name + "." + m + ".h") * 3600));
      }
      out += "\n";
    } else {
      out += fmt::format(
          "storage {}: {:.4g} F at {:.3g} V, {:.4g} J; hold-up in '{}' {} (to {:.3g} V, {:.4g} J "
          "used)\n",
          s.name, get(f, "storage." + s.name + ".c_f"), get(f, "storage." + s.name + ".v_full_v"),
          get(f, "storage." + s.name + ".energy_j"), d.usage.ride_mode,
          duration(get(f, "holdup." + s.name + ".s")), get(f, "holdup." + s.name + ".v_end_v"),
          get(f, "storage." + s.name + ".usable_j"));
    }
  }
  for (const auto& l : d.loads) {
    if (!l.burst)
      continue;
    for (const auto& s : d.storage) {
      const std::string k = "burst." + l.name + "." + s.name;
      if (!f.contains(k + ".drop_v"))
        continue;
      out += fmt::format("burst of {}: {:.4g} mJ from {}, drop {:.4g} V; rail at {:.3f} V\n",
                         l.name, get(f, k + ".energy_j") * 1e3, s.name, get(f, k + ".drop_v"),
                         get(f, "burst." + l.name + ".rail_min_v"));
    }
  }
  for (const auto& dv : d.dividers) {
    const std::string p = "divider." + dv.name + ".";
    out += fmt::format("divider {}: ratio {:.4f}, ADC {:.3f}..{:.3f} V ({}), {:.1f} uA\n", dv.name,
                       get(f, p + "ratio"), get(f, p + "v_adc_min_v"), get(f, p + "v_adc_max_v"),
                       dv.adc, get(f, p + "i_a") * 1e6);
  }
  for (const auto& c : d.comparators) {
    const std::string p = "comparator." + c.name + ".";
    out += fmt::format("comparator {}: trips at {:.3f} V rising, {:.3f} V falling\n", c.name,
                       get(f, p + "v_rise_v"), get(f, p + "v_fall_v"));
  }
  for (const auto& [k, v] : f) {
    if (k.rfind("rc.", 0) == 0 || k.rfind("autonomy.", 0) == 0 || k.rfind("solar.", 0) == 0 ||
        k.rfind("day.", 0) == 0) {
      out += fmt::format("{} = {:.4g}\n", k, v);
    }
  }
  out += fmt::format("BOM cost: {:.2f} EUR\n", get(f, "bom.cost_eur"));
  if (a.timeline) {
    out += fmt::format("time-domain check ({} events, step {:.3g} s):\n", a.timeline->events.size(),
                       a.timeline->dt_s);
    for (const auto& m : a.timeline->loads) {
      if (!m.checked)
        continue;
      out += fmt::format("  {:<24} lowest {:.3f} V, margin {:+.3f} V{}\n", m.load, m.v_min_seen_v,
                         m.margin_v, m.browned_out ? "  BROWN-OUT" : "");
    }
  }
  if (a.tolerance && !a.tolerance->figures.empty()) {
    out += fmt::format("tolerances ({} runs, seed {}): nominal [min p5 median p95 max]\n",
                       a.tolerance->runs, a.tolerance->seed);
    for (const auto& [k, x] : a.tolerance->figures) {
      out += fmt::format("  {:<44} {:.4g} [{:.4g} {:.4g} {:.4g} {:.4g} {:.4g}]\n", k, x.nominal,
                         x.min, x.p05, x.median, x.p95, x.max);
    }
  }
  out += fmt::format("findings: {} errors, {} warnings, {} notes\n", a.count(Severity::kError),
                     a.count(Severity::kWarning), a.count(Severity::kInfo));
  for (const auto& fd : a.findings) {
    out += fmt::format("  {}:{}: {} [{}] {}: {}\n", d.file, fd.line, to_string(fd.severity),
                       fd.rule, fd.component.empty() ? "design" : fd.component, fd.message);
  }
  return out;
}

std::string to_text(const std::vector<ComparisonRow>& rows) {
  std::string out = fmt::format("{:<16} {:>9} {:>14} {:>10} {:>7} {:>9}  notes\n", "alternative",
                                "cost EUR", "ride-through", "autonomy", "errors", "warnings");
  for (const auto& r : rows) {
    out += fmt::format("{:<16} {:>9.2f} {:>14} {:>10} {:>7} {:>9}  {}\n", r.alternative, r.cost_eur,
                       duration(r.ride_through_s),
                       r.autonomy_days > 0 ? fmt::format("{:.2f} d", r.autonomy_days) : "-",
                       r.errors, r.warnings, r.notes);
  }
  return out;
}

nlohmann::json to_json(const Analysis& a) {
  nlohmann::json j;
  j["design"] = a.design.name;
  j["alternative"] = a.design.alternative;
  j["file"] = a.design.file;
  nlohmann::json figs = nlohmann::json::object();
  for (const auto& [k, v] : a.figures) {
    figs[k] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  }
  j["figures"] = figs;
  j["findings"] = nlohmann::json::array();
  for (const auto& f : a.findings) {
    j["findings"].push_back({{"rule", f.rule},
                             {"severity", to_string(f.severity)},
                             {"component", f.component},
                             {"line", f.line},
                             {"message", f.message}});
  }
  j["errors"] = a.count(Severity::kError);
  j["warnings"] = a.count(Severity::kWarning);
  if (a.timeline) {
    nlohmann::json loads = nlohmann::json::array();
    for (const auto& m : a.timeline->loads) {
      if (!m.checked)
        continue;
      loads.push_back({{"load", m.load},
                       {"v_min_v", m.v_min_seen_v},
                       {"margin_v", m.margin_v},
                       {"browned_out", m.browned_out}});
    }
    j["time_domain"] = {{"dt_s", a.timeline->dt_s}, {"loads", loads}};
  }
  if (a.tolerance) {
    nlohmann::json t = nlohmann::json::object();
    for (const auto& [k, x] : a.tolerance->figures) {
      t[k] = {{"nominal", x.nominal}, {"min", x.min}, {"p05", x.p05},
              {"median", x.median},   {"p95", x.p95}, {"max", x.max}};
    }
    j["tolerance"] = {{"runs", a.tolerance->runs}, {"seed", a.tolerance->seed}, {"figures", t}};
  }
  return j;
}

nlohmann::json to_json(const std::vector<ComparisonRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back(
        {{"alternative", r.alternative},
         {"cost_eur", r.cost_eur},
         {"ride_through_s", std::isfinite(r.ride_through_s) ? nlohmann::json(r.ride_through_s)
                                                            : nlohmann::json(nullptr)},
         {"ride_through_by", r.ride_through_by},
         {"autonomy_days", r.autonomy_days},
         {"errors", r.errors},
         {"warnings", r.warnings},
         {"notes", r.notes}});
  }
  return out;
}

}  // namespace powerstack::design
