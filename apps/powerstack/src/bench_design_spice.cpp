// The "design-vs-spice" suite: our time-domain check against ngspice on the same circuits
// (the exported netlists of the seed designs and of the focused circuits in
// examples/designs/spice-focused), same scenario and
// simulated span. Per figure: ngspice's value, ours and the relative error; the wall time of
// our check (median of 5 runs: network set-up + run_timeline) and of ngspice (median of 3
// runs), with ngspice's process start-up (`speedup`) and with only its own reported analysis
// time (`speedup_analysis`). Where the figure has a quasi-static function (hold_up(),
// burst_drop(), what `design check` reports), its wall time and accuracy too (`figure_s`,
// `figure_rel_error`, `speedup_figure`, `speedup_figure_analysis`). Needs ngspice on PATH.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "powerstack/app/bench_suites.hpp"
#include "powerstack/design/parse.hpp"
#include "powerstack/design/spice_check.hpp"
#include "powerstack/design/timeline.hpp"

namespace powerstack::app {

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Circuit {
  std::string name;
  design::Design design;
  design::SpiceOptions options;
};

std::vector<Circuit> circuits(nlohmann::json& errors) {
  std::vector<Circuit> out;
  const std::string dir = POWERSTACK_EXAMPLE_DESIGNS_DIR;
  const auto file = [&](const std::string& name) {
    const design::DesignParseResult r = design::read_design_file(dir + "/" + name + "/design.toml");
    if (!r.file)
      errors.push_back(r.error);
    return r.file ? r.file->designs : std::vector<design::Design>{};
  };
  for (const auto& d : file("seed-002-power-manager")) {
    out.push_back({"seed-002 events", d, {}});
    out.push_back({"seed-002 hold-up SC1", d, {"", "SC1"}});
  }
  for (auto d : file("seed-003-knx-tank")) {
    out.push_back({"seed-003 events", d, {}});
    d.events.front().t_s = 0.0;
    out.push_back({"seed-003 burst at t=0", d, {}});
  }
  for (const auto& d : file("seed-004-doorbell")) {
    out.push_back({"seed-004 " + d.alternative + " events", d, {}});
    if (d.alternative == "supercap")
      out.push_back({"seed-004 supercap hold-up SC", d, {"", "SC"}});
  }
  for (const auto& d : file("spice-focused")) {
    out.push_back({"focused " + d.alternative, d, {}});
    if (d.alternative == "ldo")
      out.push_back({"focused ldo hold-up C1", d, {"", "C1"}});
  }
  return out;
}

}  // namespace

nlohmann::json run_design_spice_suite() {
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json errors = nlohmann::json::array();
  for (const Circuit& c : circuits(errors)) {
    const design::SpiceCheck first = design::check_against_spice(c.design, c.options);
    if (!first.error.empty()) {
      rows.push_back({{"circuit", c.name}, {"error", first.error}});
      continue;
    }
    std::vector<double> ngspice_wall{first.run.wall_s};
    std::vector<double> ngspice_analysis{first.run.analysis_s};
    for (int k = 0; k < 2; ++k) {
      const design::SpiceRun r = design::run_ngspice(first.exported.netlist);
      ngspice_wall.push_back(r.wall_s);
      ngspice_analysis.push_back(r.analysis_s);
    }
    std::vector<double> ours;
    for (int k = 0; k < 5; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      const design::Network net(first.exported.scenario);
      const design::Timeline tl = design::run_timeline(net);
      ours.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      if (tl.t_s.empty())
        rows.push_back({{"circuit", c.name}, {"error", "empty timeline"}});
    }
    const double t_ours = median(ours);
    for (const auto& a : first.rows) {
      nlohmann::json row = {{"circuit", c.name},
                            {"figure", a.figure},
                            {"spice", a.spice},
                            {"ours", a.timeline},
                            {"rel_error", a.rel_error_timeline()},
                            {"speedup", median(ngspice_wall) / t_ours},
                            {"speedup_analysis", median(ngspice_analysis) / t_ours},
                            {"ours_s", t_ours},
                            {"ngspice_wall_s", median(ngspice_wall)},
                            {"ngspice_analysis_s", median(ngspice_analysis)},
                            {"simulated_s", first.exported.t_stop_s},
                            {"dt_s", first.timeline_dt_s}};
      if (!std::isnan(a.quasi_static)) {
        row["figure_rel_error"] = a.rel_error_quasi_static();
        row["figure_s"] = a.quasi_static_wall_s;
        row["speedup_figure"] = median(ngspice_wall) / a.quasi_static_wall_s;
        row["speedup_figure_analysis"] = median(ngspice_analysis) / a.quasi_static_wall_s;
      }
      rows.push_back(row);
    }
  }
  for (const auto& e : errors)
    rows.push_back({{"circuit", "(file)"}, {"error", e}});
  return rows;
}

}  // namespace powerstack::app
