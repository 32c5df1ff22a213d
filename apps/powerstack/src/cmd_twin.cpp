// `powerstack twin SCENARIO [--port N] [--bind ADDR] [--data-dir DIR] [--speed X] ...`: runs
// the charge controller firmware on the scenario's plant and serves the device's interfaces
// (docs/twin.md) until SIGINT or SIGTERM.
#include <csignal>
#include <memory>
#include <ostream>
#include <string>

#include "powerstack/app/command.hpp"
#include "powerstack/twin/twin_app.hpp"

namespace powerstack::app {

namespace {

int cmd_twin(const twin::TwinOptions& options, std::ostream& out, std::ostream& err) {
  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  std::unique_ptr<twin::TwinApp> app = twin::TwinApp::open(options, out, err);
  int code = 1;
  if (app) {
    int received = 0;
    sigwait(&stop_signals, &received);
    out << "stopping (" << (received == SIGINT ? "SIGINT" : "SIGTERM") << ")" << std::endl;
    app->stop();
    code = 0;
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return code;
}

}  // namespace

Command add_twin_command(CLI::App& app, CommandIo io) {
  auto o = std::make_shared<twin::TwinOptions>();
  auto* sub = app.add_subcommand(
      "twin", "Run the charge controller firmware on a scenario's plant and serve its interfaces");
  sub->add_option("scenario", o->scenario_path, "Solar-charger scenario (mppt-charger)")
      ->required();
  sub->add_option("--port", o->port, "HTTP port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub->add_option("--bind", o->bind, "Address to listen on")->capture_default_str();
  sub->add_option(
      "--data-dir", o->data_dir,
      "Settings flash, token, log and display (default ~/.local/state/powerstack/twin)");
  sub->add_option("--speed", o->speed, "Simulated seconds per wall second")->capture_default_str();
  sub->add_option("--token-file", o->token_file, "Token file (default DATA_DIR/token, created)");
  sub->add_option("--web-dir", o->web_dir, "Dashboard files (default the build's web/dist)");
  sub->add_option("--log-period", o->log_period_s, "Seconds of device time per log row")
      ->capture_default_str();
  return {sub, [o, io] { return cmd_twin(*o, io.out, io.err); }};
}

}  // namespace powerstack::app
