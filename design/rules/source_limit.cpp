// source-limit: in every mode (and while chargers charge), each source, converter and diode
// stays within its current rating. A current-limited bus that feeds a tank cannot be
// overloaded, but if a steady mode needs more than its fan-in the tank drains without end.
#include <set>

#include "rules.hpp"

namespace powerstack::design::rules {

namespace {

double at(const std::map<std::string, double>& m, const std::string& k) {
  const auto it = m.find(k);
  return it == m.end() ? 0.0 : it->second;
}

}  // namespace

void source_limit(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  std::set<std::string> reported;
  auto report = [&](const std::string& who, int line, Severity sev, const std::string& msg) {
    if (reported.insert(who).second)
      add(out, "source-limit", sev, who, line, msg);
  };
  for (int charging = 0; charging < 2; ++charging) {
    for (const auto& mode : d.modes) {
      Conditions c;
      c.mode = mode;
      c.charging = charging == 1;
      const Solution s = ctx.net.solve(c);
      const std::string when = "in mode '" + mode + (c.charging ? "' while charging" : "'");
      for (const auto& src : d.sources) {
        const double i = at(s.source_i_a, src.name);
        bool tank_drains = false;
        for (const auto& st : d.storage) {
          tank_drains = tank_drains || (src.kind == SourceKind::kBus && st.rail == src.out &&
                                        at(s.storage_i_a, st.name) > 1e-9);
        }
        if (tank_drains) {
          report(src.name, src.line, Severity::kError,
                 fmt::format("{}: the loads need more than the {:.0f} mA fan-in of '{}', so "
                             "its tank discharges continuously; cut the steady load or buffer "
                             "only bursts",
                             when, src.i_max_a * 1e3, src.name));
        } else if (src.i_max_a > 0.0 && i > src.i_max_a * (1 + 1e-9)) {
          report(
              src.name, src.line, Severity::kError,
              fmt::format("{}: draws {:.0f} mA from '{}', above its {:.0f} mA limit by "
                          "{:.0f} %",
                          when, i * 1e3, src.name, src.i_max_a * 1e3, 100 * (i / src.i_max_a - 1)));
        }
      }
      for (const auto& cv : d.converters) {
        const double i = at(s.out_i_a, cv.name);
        if (cv.i_max_a > 0.0 && i > cv.i_max_a) {
          report(cv.name, cv.line, Severity::kError,
                 fmt::format("{}: {:.0f} mA out, above its {:.0f} mA rating", when, i * 1e3,
                             cv.i_max_a * 1e3));
        }
      }
      for (const auto& dd : d.diodes) {
        const double i = at(s.out_i_a, dd.name);
        if (dd.i_max_a > 0.0 && i > dd.i_max_a) {
          report(dd.name, dd.line, Severity::kError,
                 fmt::format("{}: {:.0f} mA through it, above its {:.0f} mA rating", when, i * 1e3,
                             dd.i_max_a * 1e3));
        }
      }
    }
  }
}

}  // namespace powerstack::design::rules
