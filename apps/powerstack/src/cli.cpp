#include "powerstack/app/cli.hpp"

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "powerstack/app/command.hpp"
#include "powerstack/version.hpp"

namespace powerstack::app {

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "powerstack: firmware core, digital twin and design workbench for small solar and "
      "battery power systems"};
  app.set_version_flag("--version", std::string("powerstack ") + kVersion);
  app.require_subcommand(1);

  const CommandIo io{out, err};
  // One line a subcommand; the order is the order of --help.
  const std::vector<Command> commands = {
      add_simulate_command(app, io),
      add_measure_command(app, io),
      add_bench_command(app, io),
      add_pv_curve_command(app, io),
      add_balancer_command(app, io),
      add_design_command(app, io),
      add_update_command(app, io),
      add_twin_command(app, io),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }
  for (const Command& c : commands) {
    if (c.sub->parsed()) {
      return c.run();
    }
  }
  return 2;
}

}  // namespace powerstack::app
