// `powerstack simulate FILE [--out DIR]`: runs a scenario on the twin, prints a summary, writes
// the probes as CSV and a self-contained HTML report under DIR.
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "powerstack/app/command.hpp"
#include "powerstack/charger/charge_controller.hpp"
#include "powerstack/mppt/tracker_bank.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/report/run_report.hpp"
#include "sim/scenario/lipo_device_scenario.hpp"
#include "sim/scenario/solar_charger_scenario.hpp"

namespace powerstack::app {

// simulate_lipo_device.cpp: the seed-002 device (`system = "lipo-device"`).
int simulate_lipo_device(const std::string& path, const std::string& out_dir, std::ostream& out,
                         std::ostream& err);

namespace {

using sim::SolarChargerPlant;

bool write_text(const std::filesystem::path& path, const std::string& text, std::ostream& err) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) {
    err << "powerstack: cannot write '" << path.string() << "'\n";
    return false;
  }
  return true;
}

// `plant` is the plant the simulation advances; the events act on it directly.
void schedule_events(sim::Simulation& simulation, SolarChargerPlant& plant,
                     const sim::SolarChargerScenario& s) {
  for (const auto& e : s.events) {
    std::string name = e.action;
    if (e.action == "set_load") {
      name += fmt::format(" {} W", e.load_w);
    }
    simulation.schedule(e.t_s, name, [e, &p = plant](sim::Plant& /*advanced*/) {
      sim::apply_scenario_event(e, p);
    });
  }
}

std::vector<std::pair<std::string, std::string>> summary_rows(const sim::SolarChargerScenario& s,
                                                              const SolarChargerPlant& plant,
                                                              double wall_s, std::uint64_t steps) {
  const auto& t = plant.totals();
  const auto wh = [](double j) { return fmt::format("{:.4f} Wh", j / 3600.0); };
  const auto& l = t.losses_j;
  std::vector<std::pair<std::string, std::string>> rows = {
      {"simulated time",
       fmt::format("{:.3f} s at a {:g} s plant step", s.duration_s, s.plant_step_s)},
      {"PV energy delivered", wh(t.pv_j)},
      {"PV energy available (MPP)", wh(t.mpp_j)},
      {"harvest (delivered / available)",
       t.mpp_j > 0.0 ? fmt::format("{:.2f} %", 100.0 * t.pv_j / t.mpp_j) : std::string("n/a")},
      {"battery energy in (net)", wh(t.battery_in_j)},
      {"load energy", wh(t.load_j)},
      {"converter losses", wh(l.total_w())},
      {"  FET conduction (high/low)", wh(l.hs_conduction_w) + " / " + wh(l.ls_conduction_w)},
      {"  body diode", wh(l.body_diode_w)},
      {"  switching + Coss + recovery", wh(l.switching_w + l.coss_w + l.reverse_recovery_w)},
      {"  gate drive", wh(l.gate_w)},
      {"  inductor (DCR / core)", wh(l.inductor_dcr_w) + " / " + wh(l.inductor_core_w)},
      {"  capacitor ESR", wh(l.esr_in_w + l.esr_out_w)},
      {"wiring loss", wh(t.wire_j)},
      {"converter efficiency",
       t.pv_j > 0.0 ? fmt::format("{:.2f} %", 100.0 * (t.pv_j - l.total_w()) / t.pv_j)
                    : std::string("n/a")},
      {"output voltage min / max", fmt::format("{:.3f} / {:.3f} V", t.v_out_min_v, t.v_out_max_v)},
      {"peak coil / FET temperature",
       fmt::format("{:.1f} / {:.1f} C", t.t_coil_max_c, t.t_fet_max_c)},
      {"cell SOC min / max at end",
       fmt::format("{:.2f} / {:.2f} %", 100.0 * plant.battery().min_soc(),
                   100.0 * plant.battery().max_soc())},
      {"battery connected at end", plant.battery_connected() ? "yes" : "no"},
      {"wall time", fmt::format("{:.2f} s ({:.0f} plant steps/s)", wall_s,
                                wall_s > 0.0 ? static_cast<double>(steps) / wall_s : 0.0)},
  };
  return rows;
}

// The charge controller firmware of an mppt-charger scenario (the parser checked the names)
// with its charge profile, which a scenario may adjust.
struct Firmware {
  charger::ChargeProfile profile;
  std::unique_ptr<charger::ChargeController> controller;
};

std::unique_ptr<Firmware> make_firmware(const sim::SolarChargerScenario& s,
                                        mppt::TrackerBank& bank) {
  const sim::ControllerSpec& c = s.controller;
  auto fw = std::make_unique<Firmware>();
  fw->profile = *charger::find_charge_profile(c.profile.c_str());
  if (c.v_absorb_cell_v > 0.0) {
    fw->profile.v_absorb_cell_v = static_cast<float>(c.v_absorb_cell_v);
  }
  charger::ChargeControllerConfig cc;
  cc.profile = &fw->profile;
  cc.n_cells = static_cast<int>(s.plant.battery.n_cells);
  cc.capacity_ah = static_cast<float>(s.plant.battery.cell.capacity_ah);
  cc.i_out_max_a = static_cast<float>(c.i_out_max_a);
  cc.i_in_max_a = static_cast<float>(c.i_in_max_a);
  cc.p_in_max_w = static_cast<float>(c.p_in_max_w);
  fw->controller = std::make_unique<charger::ChargeController>(*bank.find(c.algorithm.c_str()), cc);
  return fw;
}

// The firmware's own view: final charge state and its protection trips as report events.
void add_firmware_report(const charger::ChargeController& fw, sim::ReportData& report) {
  const auto& log = fw.protection().log();
  report.summary.insert(report.summary.end() - 1,
                        {{"charge state at end", charger::to_string(fw.charger().state())},
                         {"protection trips (logged / dropped)",
                          fmt::format("{} / {}", log.total(), log.dropped())}});
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto& e = log.at(i);
    report.events.push_back(
        {static_cast<double>(e.t_ms) / 1000.0,
         fmt::format("firmware: {} {} ({:.2f})", to_string(e.reason),
                     e.tripped ? "trip" : "release", static_cast<double>(e.value))});
  }
}

int cmd_simulate(const std::string& path, const std::string& out_dir, bool quiet, std::ostream& out,
                 std::ostream& err) {
  if (sim::scenario_system(path) == "lipo-device") {
    return simulate_lipo_device(path, out_dir, out, err);
  }
  const sim::ScenarioParseResult parsed = sim::read_solar_charger_scenario(path);
  if (!parsed.scenario) {
    err << "powerstack: " << parsed.error << '\n';
    return 1;
  }
  const sim::SolarChargerScenario& s = *parsed.scenario;
  std::string why;
  std::unique_ptr<SolarChargerPlant> plant = SolarChargerPlant::create(s.plant, why);
  if (!plant) {
    err << "powerstack: " << path << ": " << why << '\n';
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    err << "powerstack: cannot create '" << out_dir << "': " << ec.message() << '\n';
    return 1;
  }

  sim::Simulation simulation(*plant, {s.plant_step_s, s.duration_s, s.controller.period_s});
  const sim::ControllerSpec c = s.controller;
  // The firmware and its trackers live as long as the run.
  auto bank = std::make_unique<mppt::TrackerBank>();
  std::unique_ptr<Firmware> firmware;
  if (c.type == "mppt-charger") {
    firmware = make_firmware(s, *bank);
    simulation.set_controller(
        [fw = firmware->controller.get()](const control::Measurements& m, double dt_s) {
          return fw->step(m, static_cast<float>(dt_s));
        });
  } else {
    simulation.set_controller([c](const control::Measurements&, double) {
      control::Actuation a;
      a.duty = static_cast<float>(c.duty);
      a.pwm_enabled = true;
      a.low_side_enabled = c.low_side_enabled;
      return a;
    });
  }
  schedule_events(simulation, *plant, s);
  for (const auto& p : s.output.probes) {
    simulation.add_probe(p, s.output.probe_period_s);
  }
  // A progress bar only for a person watching a terminal.
  const bool tty = !quiet && isatty(fileno(stderr)) != 0;
  const auto start = std::chrono::steady_clock::now();
  simulation.run([&](double fraction) {
    if (tty) {
      const int filled = static_cast<int>(fraction * 40.0);
      (void)std::fprintf(stderr, "\r[%-40s] %3.0f %%",
                         std::string(static_cast<std::size_t>(filled), '#').c_str(),
                         100.0 * fraction);
    }
  });
  if (tty) {
    (void)std::fprintf(stderr, "\n");
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  sim::ReportData report{};
  report.title = s.name;
  report.summary = summary_rows(s, *plant, wall_s, simulation.steps_done());
  report.events = simulation.fired_events();
  report.events.insert(report.events.end(), plant->plant_events().begin(),
                       plant->plant_events().end());
  if (firmware) {
    add_firmware_report(*firmware->controller, report);
  }
  std::stable_sort(
      report.events.begin(), report.events.end(),
      [](const sim::EventRecord& a, const sim::EventRecord& b) { return a.t_s < b.t_s; });
  report.probes = simulation.probes();

  fmt::print(out, "{}\n", s.name);
  for (const auto& [label, value] : report.summary) {
    fmt::print(out, "  {:<32} {}\n", label, value);
  }
  fmt::print(out, "  events:{}\n", report.events.empty() ? " none" : "");
  for (const auto& e : report.events) {
    fmt::print(out, "    {:>12.3f} s  {}\n", e.t_s, e.name);
  }
  const std::filesystem::path dir(out_dir);
  if (!write_text(dir / s.output.csv, sim::probes_to_csv(report.probes), err) ||
      !write_text(dir / s.output.html, sim::render_html_report(report), err)) {
    return 1;
  }
  fmt::print(out, "  probes: {}\n  report: {}\n", (dir / s.output.csv).string(),
             (dir / s.output.html).string());
  return 0;
}

}  // namespace

Command add_simulate_command(CLI::App& app, CommandIo io) {
  struct Args {
    std::string path;
    std::string out_dir = "out";
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("simulate", "Run a scenario file on the digital twin");
  sub->add_option("scenario", args->path, "Scenario file (TOML, docs/scenarios.md)")->required();
  sub->add_option("--out", args->out_dir, "Directory for the probe CSV and the HTML report")
      ->capture_default_str();
  sub->add_flag("--quiet", args->quiet, "No progress bar");
  return {sub, [args, io] {
            return cmd_simulate(args->path, args->out_dir, args->quiet, io.out, io.err);
          }};
}

}  // namespace powerstack::app
