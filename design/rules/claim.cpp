// claim: a figure the design states (a hand calculation, [[claim]]) against the computed one.
// The seeds' hand calculations are written down this way, so where they are wrong it shows.
#include <cmath>

#include "rules.hpp"

namespace powerstack::design::rules {

void claim(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& c : ctx.design().claims) {
    const auto it = ctx.figures.find(c.figure);
    if (it == ctx.figures.end()) {
      add(out, "claim", Severity::kError, c.figure, c.line,
          fmt::format("no computed figure named '{}' (see `powerstack design check --json`)",
                      c.figure));
      continue;
    }
    const double got = it->second;
    const double rel = c.value != 0.0 ? std::abs(got - c.value) / std::abs(c.value) : std::abs(got);
    if (rel > c.tolerance) {
      add(out, "claim", Severity::kWarning, c.figure, c.line,
          fmt::format("the design states {:.4g}{} but the components give {:.4g} ({:+.0f} %)",
                      c.value, c.text.empty() ? "" : " (" + c.text + ")", got,
                      c.value != 0.0 ? 100.0 * (got - c.value) / std::abs(c.value) : 0.0));
    }
  }
}

}  // namespace powerstack::design::rules
