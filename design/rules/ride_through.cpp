// ride-through: with the sources of the design's drop-out events gone (all sources if it has
// none), some storage must hold every load above brown-out in the ride mode for the required
// time ([requirements] hold_up_s) and for each drop-out event's duration.
#include <algorithm>

#include "rules.hpp"

namespace powerstack::design::rules {

void ride_through(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  double need = d.req.hold_up_s;
  int line = 0;
  for (const auto& e : d.events) {
    if (e.kind == EventKind::kDropout && e.duration_s > need) {
      need = e.duration_s;
      line = e.line;
    }
  }
  if (need <= 0.0)
    return;
  double best = 0.0;
  std::string who;
  for (const auto& s : d.storage) {
    const double t = s.kind == StorageKind::kBattery
                         ? fig(ctx, "runtime." + s.name + "." + d.usage.ride_mode + ".h") * 3600
                         : fig(ctx, "holdup." + s.name + ".s");
    if (t > best) {
      best = t;
      who = s.name;
    }
  }
  if (best < need) {
    if (who.empty() && !d.storage.empty())
      who = d.storage.front().name;
    const std::string change =
        best <= 0.0 ? "the loads brown out as soon as the source goes: give them a path from "
                      "the storage that runs at its voltage"
                    : fmt::format("scale '{}' by {:.2g}x", who, need / best);
    add(out, "ride-through", Severity::kError, who, line,
        fmt::format("holds the loads for {:.3g} s in mode '{}' but {:.3g} s are needed; {}", best,
                    d.usage.ride_mode, need, who.empty() ? "add storage" : change));
  }
}

}  // namespace powerstack::design::rules
