// brownout-margin: every load's rail stays above its brown-out level by the required margin
// in every mode with all sources present, and at the end of each burst (the storage drop, the
// ESR step and the diode drop at the burst current included).
#include "rules.hpp"

namespace powerstack::design::rules {

void brownout_margin(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  const double margin = d.req.brownout_margin_v;
  for (const auto& l : d.loads) {
    if (l.v_min_v <= 0.0)
      continue;
    double worst = 1e300;
    std::string where;
    for (const auto& mode : d.modes) {
      if (l.mode_i_a.at(mode) <= 0.0)
        continue;
      Conditions c;
      c.mode = mode;
      const double v = ctx.net.solve(c).v(l.rail);
      if (v < worst) {
        worst = v;
        where = "in mode '" + mode + "'";
      }
    }
    if (l.burst) {
      const double v = fig(ctx, "burst." + l.name + ".rail_min_v", -1.0);
      if (v >= 0.0 && v < worst) {
        worst = v;
        where = fmt::format("at the end of a {:.0f} mA, {:.1f} ms burst", l.burst->i_a * 1e3,
                            l.burst->width_s * 1e3);
      }
    }
    if (worst > 1e299)
      continue;
    if (worst < l.v_min_v) {
      add(out, "brownout-margin", Severity::kError, l.name, l.line,
          fmt::format("rail '{}' is {:.3f} V {}, {:.3f} V below the {:.2f} V brown-out level",
                      l.rail, worst, where, l.v_min_v - worst, l.v_min_v));
    } else if (worst < l.v_min_v + margin) {
      add(out, "brownout-margin", Severity::kWarning, l.name, l.line,
          fmt::format("rail '{}' is {:.3f} V {}: {:.3f} V above brown-out ({:.2f} V), less "
                      "than the {:.2f} V margin",
                      l.rail, worst, where, worst - l.v_min_v, l.v_min_v, margin));
    }
  }
}

}  // namespace powerstack::design::rules
