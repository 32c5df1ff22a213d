#include "powerstack/design/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace powerstack::design {

int Analysis::count(Severity s) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [s](const Finding& f) { return f.severity == s; }));
}

Analysis analyse(const Design& d, const AnalysisOptions& options) {
  Analysis a;
  a.design = d;
  const Network net(d);
  a.figures = compute_figures(net);
  a.findings = check_rules(net, a.figures);
  if (options.time_domain && !d.events.empty()) {
    a.timeline = run_timeline(net);
    for (std::size_t j = 0; j < d.loads.size(); ++j) {
      const LoadMargin& m = a.timeline->loads[j];
      if (m.browned_out) {
        a.findings.push_back(
            Finding{"time-domain", Severity::kError, m.load, d.loads[j].line,
                    fmt::format("browns out at t = {:.4f} s during the events: its rail falls to "
                                "{:.3f} V, {:.3f} V below its {:.2f} V minimum",
                                m.t_brownout_s, m.v_min_seen_v, -m.margin_v, d.loads[j].v_min_v)});
      }
      if (m.checked) {
        a.figures["timeline." + m.load + ".v_min_v"] = m.v_min_seen_v;
        a.figures["timeline." + m.load + ".margin_v"] = m.margin_v;
      }
    }
  }
  if (options.monte_carlo) {
    a.tolerance = run_tolerance(d);
  }
  return a;
}

std::vector<ComparisonRow> compare(const std::vector<Analysis>& analyses) {
  std::vector<ComparisonRow> rows;
  for (const Analysis& a : analyses) {
    ComparisonRow r;
    const Design& d = a.design;
    r.alternative = d.alternative.empty() ? d.name : d.alternative;
    r.cost_eur = a.figures.at("bom.cost_eur");
    for (const auto& s : d.storage) {
      const std::string key = s.kind == StorageKind::kBattery
                                  ? "runtime." + s.name + "." + d.usage.ride_mode + ".h"
                                  : "holdup." + s.name + ".s";
      const auto it = a.figures.find(key);
      if (it == a.figures.end())
        continue;
      const double t = s.kind == StorageKind::kBattery ? it->second * 3600.0 : it->second;
      if (t > r.ride_through_s) {
        r.ride_through_s = t;
        r.ride_through_by = s.name;
      }
      const auto au = a.figures.find("autonomy." + s.name + ".days");
      if (au != a.figures.end())
        r.autonomy_days = std::max(r.autonomy_days, au->second);
    }
    r.errors = a.count(Severity::kError);
    r.warnings = a.count(Severity::kWarning);
    r.notes = d.notes;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace powerstack::design
