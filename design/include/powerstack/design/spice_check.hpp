// Runs an exported netlist through ngspice in batch mode (`ngspice -b`) and compares its
// `.meas` results with our figures for the same scenario: the time-domain check (run_timeline
// of the scenario) and, where one applies, the quasi-static figure (hold_up(), burst_drop()).
// Used by the agreement tests and `powerstack bench design-vs-spice`.
#pragma once

#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "powerstack/design/spice.hpp"

namespace powerstack::design {

struct SpiceRun {
  std::string error;  // ngspice missing, failed, or printed something we cannot read
  std::map<std::string, double> measures;
  std::set<std::string> failed;  // .meas that ngspice reported as failed (e.g. never crossed)
  double analysis_s = -1.0;      // ngspice's own "Total analysis time"
  double wall_s = 0.0;           // the whole process, start-up included
};

// Writes the netlist to a temporary file and runs `ngspice -b` on it.
SpiceRun run_ngspice(const std::string& netlist);

// Reads ngspice's batch output (strict: a measurement line it cannot read is an error).
SpiceRun parse_ngspice_output(const std::string& text);

inline constexpr double kNoFigure = std::numeric_limits<double>::quiet_NaN();

struct SpiceAgreement {
  std::string figure;                // our figure's name (holdup.SC.s, burst.L.S.drop_v, ...)
  double spice = 0.0;                // ngspice's value
  double timeline = 0.0;             // our time-domain check's value
  double quasi_static = kNoFigure;   // our figure function's value, where one applies
  double quasi_static_wall_s = 0.0;  // its wall time (median of 5, network set-up included)
  double scale = 0.0;                // what relative errors are taken against
  [[nodiscard]] double rel_error_timeline() const;
  [[nodiscard]] double rel_error_quasi_static() const;
};

struct SpiceCheck {
  std::string error;
  SpiceExport exported;
  SpiceRun run;
  std::vector<SpiceAgreement> rows;
  double timeline_wall_s = 0.0;  // one run of our time-domain check on the scenario
  double timeline_dt_s = 0.0;
};

SpiceCheck check_against_spice(const Design& d, const SpiceOptions& options = {});

}  // namespace powerstack::design
