// How a `powerstack` subcommand plugs into the CLI: it declares its options on a CLI11
// subcommand and returns the function to run when that subcommand was given. Each command
// lives in its own file (apps/powerstack/src/cmd_*.cpp) and is listed once in cli.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

namespace powerstack::app {

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
};

// Runs the command after parsing; returns the exit code (0 ok, 1 bad input/failure, 2 usage).
using CommandRunner = std::function<int()>;

struct Command {
  CLI::App* sub = nullptr;
  CommandRunner run;
};

Command add_measure_command(CLI::App& app, CommandIo io);
Command add_bench_command(CLI::App& app, CommandIo io);
Command add_simulate_command(CLI::App& app, CommandIo io);
Command add_pv_curve_command(CLI::App& app, CommandIo io);
Command add_balancer_command(CLI::App& app, CommandIo io);
Command add_design_command(CLI::App& app, CommandIo io);
Command add_update_command(CLI::App& app, CommandIo io);
Command add_twin_command(CLI::App& app, CommandIo io);

// Writes JSON to a file; on failure prints one line "powerstack: cannot write 'PATH'" to err.
bool write_json_file(const std::string& path, const nlohmann::json& doc, std::ostream& err);

}  // namespace powerstack::app
