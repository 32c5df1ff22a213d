// `powerstack design check FILE [--json] [--report out.html] [--no-time-domain]
// [--no-tolerance]`: reads a design file, computes its figures, checks its rules, runs its
// events in the time domain and its tolerances, compares its alternatives. Prints a summary
// and the findings (or one JSON object); exit 0 clean, 3 when a finding is an error (so it can
// gate a hardware repository's CI), 1 for an unreadable or invalid file, 2 for usage.
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cmd_design_spice.hpp"
#include "powerstack/app/command.hpp"
#include "powerstack/design/analysis.hpp"
#include "powerstack/design/parse.hpp"

namespace powerstack::app {

namespace {

struct DesignOptions {
  std::string file;
  bool json = false;
  std::string report;
  bool no_time_domain = false;
  bool no_tolerance = false;
};

int run_check(const DesignOptions& o, CommandIo io) {
  const design::DesignParseResult parsed = design::read_design_file(o.file);
  if (!parsed.file) {
    io.err << "powerstack design: " << parsed.error << "\n";
    return 1;
  }
  design::AnalysisOptions ao;
  ao.time_domain = !o.no_time_domain;
  ao.monte_carlo = !o.no_tolerance;
  std::vector<design::Analysis> analyses;
  for (const design::Design& d : parsed.file->designs) {
    analyses.push_back(design::analyse(d, ao));
  }
  const auto rows = design::compare(analyses);
  int errors = 0;
  int warnings = 0;
  for (const auto& a : analyses) {
    errors += a.count(design::Severity::kError);
    warnings += a.count(design::Severity::kWarning);
  }
  if (o.json) {
    nlohmann::json j;
    j["file"] = o.file;
    j["designs"] = nlohmann::json::array();
    j["findings"] = nlohmann::json::array();
    for (const auto& a : analyses) {
      nlohmann::json one = design::to_json(a);
      for (auto f : one["findings"]) {
        f["alternative"] = a.design.alternative;
        j["findings"].push_back(f);
      }
      j["designs"].push_back(std::move(one));
    }
    j["comparison"] = design::to_json(rows);
    j["errors"] = errors;
    j["warnings"] = warnings;
    io.out << j.dump(2) << "\n";
  } else {
    for (const auto& a : analyses)
      io.out << design::to_text(a) << "\n";
    if (rows.size() > 1)
      io.out << "comparison:\n" << design::to_text(rows);
    io.out << (errors > 0 ? "FAIL" : "OK") << ": " << errors << " errors, " << warnings
           << " warnings\n";
  }
  if (!o.report.empty()) {
    std::ofstream f(o.report, std::ios::binary | std::ios::trunc);
    f << design::to_html(analyses, rows);
    f.close();
    if (!f) {
      io.err << "powerstack design: cannot write '" << o.report << "'\n";
      return 1;
    }
  }
  return errors > 0 ? 3 : 0;
}

}  // namespace

Command add_design_command(CLI::App& app, CommandIo io) {
  CLI::App* sub =
      app.add_subcommand("design", "Power-design workbench: check a design, export it to SPICE");
  sub->require_subcommand(1);
  CLI::App* check = sub->add_subcommand(
      "check", "Figures, rule findings, time-domain check, tolerances, comparison");
  auto o = std::make_shared<DesignOptions>();
  check->add_option("FILE", o->file, "design file (TOML, docs/design-files.md)")->required();
  check->add_flag("--json", o->json, "print one JSON object instead of the text summary");
  check->add_option("--report", o->report, "write a self-contained HTML report");
  check->add_flag("--no-time-domain", o->no_time_domain, "skip the time-domain check");
  check->add_flag("--no-tolerance", o->no_tolerance, "skip the Monte Carlo over tolerances");
  const auto spice = add_design_spice(sub, io);
  return {sub, [o, io, check, spice]() {
            if (check->parsed())
              return run_check(*o, io);
            const int code = spice();
            return code >= 0 ? code : 2;
          }};
}

}  // namespace powerstack::app
