// Outputs of a simulation run: the probes as CSV, and a self-contained HTML report (summary
// table, events, one inline-SVG chart per probe; no scripts, no external files) that opens in
// any browser, offline.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/engine/simulation.hpp"

namespace powerstack::sim {

struct ReportData {
  std::string title;
  std::vector<std::pair<std::string, std::string>> summary;  // label, value (with unit)
  std::vector<EventRecord> events;
  std::vector<ProbeSeries> probes;
};

// One row per probe instant: t_s, then each probe (probes of different periods are written
// on the union of instants; a probe without a sample there leaves its cell empty).
std::string probes_to_csv(const std::vector<ProbeSeries>& probes);

// Charts are reduced to at most `max_points_per_chart` points by min/max bucketing, so peaks
// survive while a day at 1 ms stays a small file.
std::string render_html_report(const ReportData& data, std::size_t max_points_per_chart = 1600);

}  // namespace powerstack::sim
