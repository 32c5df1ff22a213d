// The HTML report: the sim's self-contained report page (inline SVG charts, no scripts) with
// the comparison, the figures and the findings as summary rows and the time-domain rail
// voltages as charts.
#include <fmt/format.h>

#include "powerstack/design/analysis.hpp"
#include "sim/report/run_report.hpp"

namespace powerstack::design {

std::string to_html(const std::vector<Analysis>& analyses, const std::vector<ComparisonRow>& rows) {
  sim::ReportData r;
  r.title = analyses.empty() ? "design" : "design check: " + analyses.front().design.file;
  if (rows.size() > 1) {
    for (const auto& row : rows) {
      r.summary.emplace_back(
          "alternative " + row.alternative,
          fmt::format("{:.2f} EUR, ride-through {:.4g} s ({}), autonomy {:.3g} d, {} errors, {} "
                      "warnings",
                      row.cost_eur, row.ride_through_s, row.ride_through_by, row.autonomy_days,
                      row.errors, row.warnings));
    }
  }
  for (const Analysis& a : analyses) {
    const std::string who = a.design.alternative.empty() ? "" : a.design.alternative + ": ";
    for (const auto& f : a.findings) {
      r.summary.emplace_back(who + to_string(f.severity) + " [" + f.rule + "] " + f.component,
                             f.message);
    }
    for (const auto& [k, v] : a.figures) {
      // Per-part budget rows stay in the JSON; the page keeps the totals.
      const bool total =
          k.ends_with(".loads_w") || k.ends_with(".in_w") || k.ends_with(".efficiency");
      if (k.rfind("budget.", 0) == 0 && !total)
        continue;
      r.summary.emplace_back(who + k, fmt::format("{:.6g}", v));
    }
    if (a.timeline) {
      for (const auto& [t, label] : a.timeline->events) {
        r.events.push_back({t, who + label});
      }
      for (const auto& tr : a.timeline->rails) {
        sim::ProbeSeries p;
        p.signal = who + "rail " + tr.rail + " (V)";
        p.t_s = a.timeline->t_s;
        p.values = tr.v;
        p.period_s = a.timeline->t_s.size() > 1 ? a.timeline->t_s[1] - a.timeline->t_s[0] : 1.0;
        r.probes.push_back(std::move(p));
      }
    }
  }
  return sim::render_html_report(r);
}

}  // namespace powerstack::design
