// libFuzzer target: the design-file reader on arbitrary bytes, then the figures and the rules
// on what it accepts (every accepted design must be computable: the reader promises that).
// A refused input must come with a message naming the file. The time-domain check and the
// Monte Carlo are not run (their cost grows with the input's times and run counts).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "powerstack/design/findings.hpp"
#include "powerstack/design/parse.hpp"

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace powerstack::design;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const DesignParseResult r = parse_design(text, "fuzz.toml");
  if (!r.file) {
    check(r.error.rfind("fuzz.toml", 0) == 0);
    return 0;
  }
  check(r.error.empty() && !r.file->designs.empty());
  for (const Design& d : r.file->designs) {
    check(!d.loads.empty() && !d.modes.empty());
    std::size_t parts = d.sources.size() + d.storage.size() + d.converters.size() +
                        d.diodes.size() + d.switches.size() + d.dividers.size() + d.loads.size();
    if (parts > 40)
      continue;  // keep each input cheap
    const Network net(d);
    const Figures f = compute_figures(net);
    for (const auto& [k, v] : f)
      check(!std::isnan(v) || k.rfind("claim", 0) == 0);
    const auto findings = check_rules(net, f);
    for (const auto& x : findings)
      check(!x.rule.empty() && !x.message.empty());
  }
  return 0;
}
