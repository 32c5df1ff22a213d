// One design analysed: its figures, its findings, and (when asked) the time-domain check of its
// events and the Monte Carlo over part tolerances. The report writers (text, JSON, HTML) and
// the comparison of alternatives work on this.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "powerstack/design/findings.hpp"
#include "powerstack/design/timeline.hpp"
#include "powerstack/design/tolerance.hpp"

namespace powerstack::design {

struct AnalysisOptions {
  bool time_domain = true;
  bool monte_carlo = true;
};

struct Analysis {
  Design design;
  Figures figures;
  std::vector<Finding> findings;
  std::optional<Timeline> timeline;
  std::optional<ToleranceResult> tolerance;

  [[nodiscard]] int count(Severity s) const;
};

Analysis analyse(const Design& d, const AnalysisOptions& options = {});

// The comparison table of alternatives (seed 004): cost, ride-through, runtime, findings.
struct ComparisonRow {
  std::string alternative;
  double cost_eur = 0.0;
  double ride_through_s = 0.0;  // best storage in the ride mode (batteries: runtime)
  std::string ride_through_by;
  double autonomy_days = 0.0;  // 0 when there is no battery / no day usage
  int errors = 0;
  int warnings = 0;
  std::string notes;
};
std::vector<ComparisonRow> compare(const std::vector<Analysis>& analyses);

nlohmann::json to_json(const Analysis& a);
nlohmann::json to_json(const std::vector<ComparisonRow>& rows);
std::string to_text(const Analysis& a);
std::string to_text(const std::vector<ComparisonRow>& rows);
std::string to_html(const std::vector<Analysis>& analyses, const std::vector<ComparisonRow>& rows);

}  // namespace powerstack::design
