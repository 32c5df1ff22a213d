// The options of `powerstack twin` that link the twin to other systems: --mqtt HOST:PORT,
// --mqtt-base, --mqtt-interval (docs/mqtt.md) and --vedirect DEV (docs/vedirect.md). Kept out
// of cmd_twin.cpp so the command stays a list of options.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "powerstack/twin/twin_app.hpp"

namespace powerstack::app {

struct TwinLinkArgs {
  std::string mqtt;  // HOST:PORT, "" for none
  std::string mqtt_base = "powerstack/twin";
  double mqtt_interval_s = 10.0;
  std::string vedirect;  // serial device or pty, "" for none
};

void add_twin_link_options(CLI::App* sub, TwinLinkArgs& args);

// Fills options.mqtt and options.vedirect (opening the serial device at 19200 8N1); false
// after printing why to `err`.
bool resolve_twin_links(const TwinLinkArgs& args, twin::TwinOptions& options, std::ostream& err);

}  // namespace powerstack::app
