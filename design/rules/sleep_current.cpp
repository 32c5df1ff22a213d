// sleep-current: the current drawn from the supply in the sleep mode against the requirement,
// naming the largest standing consumers (dividers, comparators, quiescent currents).
#include <algorithm>

#include "rules.hpp"

namespace powerstack::design::rules {

void sleep_current(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  if (d.req.i_sleep_max_a <= 0.0)
    return;
  Conditions c;
  c.mode = d.req.sleep_mode;
  const Solution s = ctx.net.solve(c);
  double total = 0.0;
  for (const auto& [k, i] : s.source_i_a)
    total += i;
  for (const auto& [k, i] : s.storage_i_a)
    total += std::max(0.0, i);
  if (total <= d.req.i_sleep_max_a)
    return;
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& dv : d.dividers) {
    parts.emplace_back(s.v(dv.in) / (dv.r_top_ohm.nominal + dv.r_bottom_ohm.nominal),
                       "divider " + dv.name);
  }
  for (const auto& cp : d.comparators)
    parts.emplace_back(cp.i_supply_a, "comparator " + cp.name);
  for (const auto& cv : d.converters) {
    if (s.running.contains(cv.name) && s.running.at(cv.name)) {
      parts.emplace_back(cv.i_q_a, "quiescent " + cv.name);
    }
  }
  for (const auto& l : d.loads)
    parts.emplace_back(l.mode_i_a.at(c.mode), "load " + l.name);
  std::sort(parts.rbegin(), parts.rend());
  std::string top;
  for (std::size_t k = 0; k < parts.size() && k < 3; ++k) {
    top += fmt::format("{}{} {:.1f} uA", k ? ", " : "", parts[k].second, parts[k].first * 1e6);
  }
  add(out, "sleep-current", Severity::kError, "", 0,
      fmt::format("draws {:.1f} uA in mode '{}', {:.1f}x the {:.1f} uA requirement; largest: {}",
                  total * 1e6, c.mode, total / d.req.i_sleep_max_a, d.req.i_sleep_max_a * 1e6,
                  top));
}

}  // namespace powerstack::design::rules
