// The `design spice` subcommand, declared on the `design` command by cmd_design.cpp.
#pragma once

#include <functional>

#include "powerstack/app/command.hpp"

namespace powerstack::app {

// Adds `spice` under `design`; the returned function runs it (-1 when it was not given).
std::function<int()> add_design_spice(CLI::App* design, CommandIo io);

}  // namespace powerstack::app
