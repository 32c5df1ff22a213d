// comparator-input: both inputs of a comparator must stay inside its common-mode range (for
// the LM393 family up to 1.5 V below its supply), or its output is undefined; and its trip
// points must lie inside the sensed rail's range, or it never switches.
#include "rules.hpp"

namespace powerstack::design::rules {

void comparator_input(const RuleContext& ctx, std::vector<Finding>& out) {
  const auto& ranges = ctx.net.ranges();
  for (const auto& c : ctx.design().comparators) {
    const RailRange sup = ranges.at(c.supply);
    const RailRange in = ranges.at(c.in);
    const double cm_max = sup.v_min_v - c.v_cm_headroom_v;
    if (c.v_cm_headroom_v > 0.0 && c.v_ref_v > cm_max) {
      add(out, "comparator-input", Severity::kError, c.name, c.line,
          fmt::format("reference {:.2f} V is above the common-mode limit {:.2f} V (supply "
                      "'{}' at {:.2f} V minus {:.2f} V) by {:.2f} V: the comparator cannot "
                      "decide; divide the reference and the input down below {:.2f} V",
                      c.v_ref_v, cm_max, c.supply, sup.v_min_v, c.v_cm_headroom_v,
                      c.v_ref_v - cm_max, cm_max));
    }
    const double v_supply = sup.v_min_v;
    const ComparatorTrips t =
        comparator_trips(c, v_supply, c.r_in_ohm.nominal, c.r_hyst_ohm.nominal);
    if (t.v_rise_v > in.v_max_v) {
      add(out, "comparator-input", Severity::kError, c.name, c.line,
          fmt::format("rising trip at {:.3f} V is above the highest '{}' ({:.2f} V): it never "
                      "trips; hysteresis R_in/R_h = {:.3g} moves the trip {:.2f} V above the "
                      "reference",
                      t.v_rise_v, c.in, in.v_max_v, c.r_in_ohm.nominal / c.r_hyst_ohm.nominal,
                      t.v_rise_v - c.v_ref_v));
    } else if (t.v_fall_v < in.v_min_v) {
      add(out, "comparator-input", Severity::kWarning, c.name, c.line,
          fmt::format("falling trip at {:.3f} V is below the lowest '{}' ({:.2f} V)", t.v_fall_v,
                      c.in, in.v_min_v));
    }
  }
}

}  // namespace powerstack::design::rules
