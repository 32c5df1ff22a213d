// `powerstack simulate FILE` for `system = "lipo-device"` scenarios (seed 002): runs the
// device twin with its firmware, prints the summary (shutdown point, wake latency, hold-over,
// sleep-current check) and writes the probe CSV and the HTML report under the output dir.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "sim/report/run_report.hpp"
#include "sim/scenario/lipo_device_scenario.hpp"

namespace powerstack::app {

namespace {

std::string list(const std::vector<double>& v, double scale, const char* unit) {
  if (v.empty()) {
    return "none";
  }
  std::string s;
  for (const double x : v) {
    s += fmt::format("{}{:.2f} {}", s.empty() ? "" : ", ", scale * x, unit);
  }
  return s;
}

bool write_file(const std::filesystem::path& path, const std::string& text, std::ostream& err) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) {
    err << "powerstack: cannot write '" << path.string() << "'\n";
  }
  return static_cast<bool>(f);
}

}  // namespace

int simulate_lipo_device(const std::string& path, const std::string& out_dir, std::ostream& out,
                         std::ostream& err) {
  const sim::LipoDeviceParseResult parsed = sim::read_lipo_device_scenario(path);
  if (!parsed.scenario) {
    err << "powerstack: " << parsed.error << '\n';
    return 1;
  }
  const sim::LipoDeviceScenario& s = *parsed.scenario;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    err << "powerstack: cannot create '" << out_dir << "': " << ec.message() << '\n';
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  const sim::LipoDeviceRunResult r = sim::run_lipo_device(s.run);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  constexpr double kGoalA = 10e-6;  // seed 002: < 10 uA in deep sleep
  sim::ReportData report{};
  report.title = s.name;
  report.summary = {
      {"simulated time",
       fmt::format("{:.0f} s at a {:g} s plant step", s.run.duration_s, s.run.plant_step_s)},
      {"power-offs by the firmware", fmt::format("{}", r.power_offs)},
      {"true SOC at each power-off", list(r.shutdown_true_soc, 100.0, "%")},
      {"wake latency after insertion", list(r.wake_latency_s, 1.0, "s")},
      {"supercap hold-over to 3.6 V", list(r.holdover_s, 1.0, "s")},
      {"ESP32 brown-outs", fmt::format("{}", r.brownouts)},
      {"ESP32 supply min while running", fmt::format("{:.3f} V", r.min_v_esp_v)},
      {"ADC readings out of range", fmt::format("{}", r.adc_out_of_range)},
      {"deep-sleep current (design, 3.7 V)",
       fmt::format("{:.1f} uA: {} the seed's < 10 uA goal", 1e6 * r.deep_sleep_budget_a,
                   r.deep_sleep_budget_a < kGoalA ? "meets" : "FAILS")},
      {"off current (design, 3.7 V)", fmt::format("{:.1f} uA", 1e6 * r.off_budget_a)},
      {"off current (measured on the twin)", fmt::format("{:.1f} uA", 1e6 * r.off_current_a)},
      {"wall time", fmt::format("{:.2f} s", wall_s)},
  };
  report.events = r.events;
  report.probes = r.probes;
  fmt::print(out, "{}\n", s.name);
  for (const auto& [label, value] : report.summary) {
    fmt::print(out, "  {:<36} {}\n", label, value);
  }
  fmt::print(out, "  events:{}\n", report.events.empty() ? " none" : "");
  for (const auto& e : report.events) {
    fmt::print(out, "    {:>12.3f} s  {}\n", e.t_s, e.name);
  }
  const std::filesystem::path dir(out_dir);
  if (!write_file(dir / s.csv, sim::probes_to_csv(report.probes), err) ||
      !write_file(dir / s.html, sim::render_html_report(report), err)) {
    return 1;
  }
  fmt::print(out, "  probes: {}\n  report: {}\n", (dir / s.csv).string(), (dir / s.html).string());
  return 0;
}

}  // namespace powerstack::app
