// `powerstack measure TRACE`: the core measurement layer over a recorded ADC trace.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <string>

#include "powerstack/app/adc_trace.hpp"
#include "powerstack/app/command.hpp"
#include "powerstack/app/trace_measurement.hpp"

namespace powerstack::app {

namespace {

nlohmann::json to_json(const TraceSummary& s, const std::string& trace_path) {
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& c : s.channels) {
    channels.push_back({{"name", c.name},
                        {"unit", c.unit},
                        {"ok", c.ok},
                        {"saturated", c.saturated},
                        {"out_of_range", c.out_of_range},
                        {"invalid", c.invalid},
                        {"mean", c.mean},
                        {"min", c.min},
                        {"max", c.max},
                        {"window_sigma", c.window_sigma},
                        {"window_p2p", c.window_p2p}});
  }
  nlohmann::json ports = nlohmann::json::array();
  for (const auto& p : s.ports) {
    nlohmann::json j = {{"name", p.name},
                        {"energy_into_element_wh", p.energy_into_wh},
                        {"energy_out_of_element_wh", p.energy_out_of_wh},
                        {"charge_into_element_ah", p.charge_into_ah},
                        {"charge_out_of_element_ah", p.charge_out_of_ah},
                        {"integrated_s", p.integrated_s},
                        {"gaps", p.gaps},
                        {"samples_skipped", p.samples_skipped},
                        {"resistance_status", p.r_status},
                        {"resistance_pairs", p.r_pairs}};
    if (p.r_ohm) {
      j["resistance_ohm"] = *p.r_ohm;
      j["resistance_sigma_ohm"] = p.r_sigma_ohm;
    }
    ports.push_back(j);
  }
  return {{"trace", trace_path},
          {"rows", s.rows},
          {"duration_s", s.duration_s},
          {"interval_ms",
           {{"min", s.interval_min_ms}, {"mean", s.interval_mean_ms}, {"max", s.interval_max_ms}}},
          {"channels", channels},
          {"ports", ports}};
}

void print_summary(const TraceSummary& s, std::ostream& out) {
  fmt::print(
      out, "{} samples over {:.1f} s; sample interval min {:.2f} / mean {:.2f} / max {:.2f} ms\n\n",
      s.rows, s.duration_s, s.interval_min_ms, s.interval_mean_ms, s.interval_max_ms);
  fmt::print(out, "{:<10} {:>4} {:>10} {:>10} {:>10} {:>12} {:>12} {:>8} {:>9} {:>9}\n", "channel",
             "unit", "mean", "min", "max", "win sigma", "win p2p", "ok", "saturated", "off-range");
  for (const auto& c : s.channels) {
    fmt::print(out,
               "{:<10} {:>4} {:>10.4f} {:>10.4f} {:>10.4f} {:>12.5f} {:>12.5f} {:>8} {:>9} {:>9}\n",
               c.name, c.unit, c.mean, c.min, c.max, c.window_sigma, c.window_p2p, c.ok,
               c.saturated, c.out_of_range);
  }
  fmt::print(out,
             "(win sigma / win p2p: mean over 16-sample windows, noise plus any signal change "
             "within a window;\n"
             " saturated samples are never used as values)\n\n");
  for (const auto& p : s.ports) {
    fmt::print(out,
               "port {}: into element {:.4f} Wh / {:.5f} Ah, out of element {:.4f} Wh / {:.5f} Ah "
               "over {:.1f} s ({} gaps, {} samples skipped)\n",
               p.name, p.energy_into_wh, p.charge_into_ah, p.energy_out_of_wh, p.charge_out_of_ah,
               p.integrated_s, p.gaps, p.samples_skipped);
    if (p.r_ohm) {
      fmt::print(out, "  internal resistance {:.4f} ohm +- {:.4f} (1 sigma, {} current steps)\n",
                 *p.r_ohm, p.r_sigma_ohm, p.r_pairs);
    } else {
      fmt::print(out, "  internal resistance not reported: {} ({} current steps)\n", p.r_status,
                 p.r_pairs);
    }
  }
}

int cmd_measure(const std::string& path, const std::string& json_path, const MeasureOptions& opt,
                std::ostream& out, std::ostream& err) {
  const TraceParseResult parsed = read_adc_trace_file(path);
  if (!parsed.trace) {
    err << "powerstack: " << parsed.error << '\n';
    return 1;
  }
  const TraceSummary summary = measure_trace(*parsed.trace, opt);
  print_summary(summary, out);
  if (!json_path.empty()) {
    if (!write_json_file(json_path, to_json(summary, path), err)) {
      return 1;
    }
    out << "report: " << json_path << '\n';
  }
  return 0;
}

}  // namespace

Command add_measure_command(CLI::App& app, CommandIo io) {
  struct Args {
    std::string trace_path;
    std::string json_path;
    MeasureOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("measure", "Run the measurement layer over a recorded ADC trace");
  sub->add_option("trace", args->trace_path, "ADC trace file (format: docs/adc-trace.md)")
      ->required();
  sub->add_option("--json", args->json_path, "Write the summary as JSON to this file");
  sub->add_option("--min-step-a", args->opt.min_step_a,
                  "Smallest current step used for resistance estimation (A)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-gap-s", args->opt.max_gap_s,
                  "Longer sample intervals are gaps, not integrated (s)")
      ->check(CLI::PositiveNumber);
  return {sub, [args, io] {
            return cmd_measure(args->trace_path, args->json_path, args->opt, io.out, io.err);
          }};
}

}  // namespace powerstack::app
