// `powerstack design spice FILE [--alternative NAME] [--event NAME | --holdup STORAGE]
// [-o OUT.cir]`: writes an ngspice netlist of one alternative's circuit with its events, a
// `.tran` and `.meas` statements (docs/design-spice.md). Exit 0 written, 1 the file or a part
// cannot be exported (one line saying which and why), 2 usage.
#include "cmd_design_spice.hpp"

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "powerstack/design/parse.hpp"
#include "powerstack/design/spice.hpp"

namespace powerstack::app {

namespace {

struct SpiceArgs {
  std::string file;
  std::string alternative;
  design::SpiceOptions options;
  std::string out;
};

int run_spice(const SpiceArgs& a, CommandIo io) {
  const design::DesignParseResult parsed = design::read_design_file(a.file);
  if (!parsed.file) {
    io.err << "powerstack design: " << parsed.error << "\n";
    return 1;
  }
  const auto& designs = parsed.file->designs;
  const design::Design* chosen = nullptr;
  std::string names;
  for (const auto& d : designs) {
    names += (names.empty() ? "" : ", ") + d.alternative;
    if (d.alternative == a.alternative)
      chosen = &d;
  }
  if (a.alternative.empty() && designs.size() > 1) {
    io.err << "powerstack design spice: " << a.file << " has alternatives (" << names
           << "); choose one with --alternative\n";
    return 1;
  }
  if (chosen == nullptr) {
    io.err << "powerstack design spice: no alternative '" << a.alternative << "' in " << a.file
           << (names.empty() ? std::string(" (it has none)") : " (it has " + names + ")") << "\n";
    return 1;
  }
  const design::SpiceExport x = design::export_spice(*chosen, a.options);
  if (!x.error.empty()) {
    io.err << "powerstack design spice: " << chosen->name << ": " << x.error << "\n";
    return 1;
  }
  if (a.out.empty()) {
    io.out << x.netlist;
    return 0;
  }
  std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
  f << x.netlist;
  f.close();
  if (!f) {
    io.err << "powerstack design spice: cannot write '" << a.out << "'\n";
    return 1;
  }
  return 0;
}

}  // namespace

std::function<int()> add_design_spice(CLI::App* design, CommandIo io) {
  CLI::App* spice = design->add_subcommand("spice", "Export an ngspice netlist of the circuit");
  auto a = std::make_shared<SpiceArgs>();
  spice->add_option("FILE", a->file, "design file (TOML, docs/design-files.md)")->required();
  spice->add_option("--alternative", a->alternative, "the alternative to export");
  spice->add_option("--event", a->options.event,
                    "only this event (its number, or its source/storage/load)");
  spice->add_option("--holdup", a->options.holdup,
                    "the hold-up of this capacitor bank instead of the events");
  spice->add_option("-o,--output", a->out, "write the netlist here (default: standard output)");
  return [a, io, spice]() { return spice->parsed() ? run_spice(*a, io) : -1; };
}

}  // namespace powerstack::app
