// converter-uvlo: a converter stops below its minimum input (UVLO). If its input can go lower
// in normal operation (a battery discharging, a storage the design means to use down to a
// stated voltage), the energy below that point is not available and the load goes down first.
#include "rules.hpp"

namespace powerstack::design::rules {

void converter_uvlo(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  for (const auto& c : d.converters) {
    if (c.v_in_min_v <= 0.0)
      continue;
    const RailRange in = ctx.net.ranges().at(c.in);
    if (in.v_min_v >= c.v_in_min_v)
      continue;
    std::string storages;
    for (const auto& s : d.storage) {
      if (s.rail == c.in) {
        const double stated = fig(ctx, "storage." + s.name + ".stated_usable_j", -1.0);
        if (stated >= 0.0) {
          const double c_f = Network::bank_c_f(s);
          const double v_full = ctx.net.storage_full_v(s);
          const double real = 0.5 * c_f * (v_full * v_full - c.v_in_min_v * c.v_in_min_v);
          storages += fmt::format(
              " '{}' is counted down to {:.2f} V ({:.3g} J) but only "
              "{:.3g} J lie above {:.2f} V.",
              s.name, s.v_min_v, stated, std::max(0.0, real), c.v_in_min_v);
        }
      }
    }
    add(out, "converter-uvlo", Severity::kError, c.name, c.line,
        fmt::format("stops below {:.2f} V at its input but '{}' goes down to {:.2f} V "
                    "({:.2f} V below) in normal operation.{} Use a converter that runs from "
                    "{:.2f} V, or keep the input above {:.2f} V",
                    c.v_in_min_v, c.in, in.v_min_v, c.v_in_min_v - in.v_min_v, storages, in.v_min_v,
                    c.v_in_min_v));
  }
}

}  // namespace powerstack::design::rules
