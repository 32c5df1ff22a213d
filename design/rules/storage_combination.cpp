// storage-combination: a series bank needs balancing (leakage differs from cell to cell, so
// without it one cell drifts over its rating), and balancing resistors cost a standing
// current that the ride-through and the supply must carry.
#include "rules.hpp"

namespace powerstack::design::rules {

void storage_combination(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& s : ctx.design().storage) {
    if (s.kind == StorageKind::kBattery || s.series < 2)
      continue;
    const double v = ctx.net.storage_full_v(s);
    if (s.r_balance_ohm.nominal <= 0.0) {
      add(out, "storage-combination", Severity::kWarning, s.name, s.line,
          fmt::format("{} capacitors in series without balancing resistors: leakage differences "
                      "push one cell over its {:.2f} V rating; add a resistor across each "
                      "(about 10x below the leakage resistance) or an active balancer",
                      s.series, s.v_rated_v));
      continue;
    }
    const double i_bal = v / (s.series * s.r_balance_ohm.nominal);
    const double c = Network::bank_c_f(s);
    add(out, "storage-combination", Severity::kInfo, s.name, s.line,
        fmt::format("{} x {:.3g} F in series = {:.3g} F ({} in parallel); balancing draws "
                    "{:.1f} mA ({:.0f} mW) at {:.2f} V and alone empties the bank with a time "
                    "constant of {:.0f} s",
                    s.series, s.c_f.nominal, c, s.parallel, i_bal * 1e3, i_bal * v * 1e3, v,
                    s.series * s.r_balance_ohm.nominal * c));
  }
}

}  // namespace powerstack::design::rules
