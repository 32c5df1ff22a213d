// battery-limits: a battery's charge voltage, its cut-off and its currents against the
// chemistry's limits (sim/models/battery_chemistry: LibreSolar's limits for LFP and NMC).
#include "rules.hpp"
#include "sim/models/battery_chemistry.hpp"

namespace powerstack::design::rules {

void battery_limits(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  for (const auto& s : d.storage) {
    if (s.kind != StorageKind::kBattery)
      continue;
    const auto& p = sim::chemistry_profile(s.chemistry);
    const auto& lim = p.limits;
    const double full = Network::pack_full_v(s) / s.series;
    const double cutoff = Network::pack_cutoff_v(s) / s.series;
    if (full > lim.v_charge_v + 1e-9) {
      add(out, "battery-limits", Severity::kError, s.name, s.line,
          fmt::format("charged to {:.3f} V per cell, above the {:.2f} V charge limit of {}", full,
                      lim.v_charge_v, p.name));
    }
    if (cutoff < lim.v_uv_v) {
      add(out, "battery-limits", Severity::kError, s.name, s.line,
          fmt::format("discharged to {:.2f} V per cell, below the {:.2f} V under-voltage limit "
                      "of {}",
                      cutoff, lim.v_uv_v, p.name));
    } else if (cutoff < lim.v_discharge_v) {
      add(out, "battery-limits", Severity::kWarning, s.name, s.line,
          fmt::format("cut-off {:.2f} V per cell is below the {:.2f} V discharge limit of {}",
                      cutoff, lim.v_discharge_v, p.name));
    }
    for (const auto& c : d.converters) {
      if (c.kind != ConverterKind::kCharger || c.battery != s.name)
        continue;
      if (c.v_charge_v > lim.v_charge_v + 1e-9) {
        add(out, "battery-limits", Severity::kError, c.name, c.line,
            fmt::format("charges to {:.3f} V per cell, above the {:.2f} V limit of {}",
                        c.v_charge_v, lim.v_charge_v, p.name));
      }
      const double rate = c.i_charge_a / (s.capacity_ah * s.parallel);
      if (rate > 1.0) {
        add(out, "battery-limits", Severity::kWarning, c.name, c.line,
            fmt::format("charges at {:.2f} C ({:.0f} mA into {:.0f} mAh); most Li cells allow "
                        "1 C at most",
                        rate, c.i_charge_a * 1e3, s.capacity_ah * s.parallel * 1e3));
      }
    }
    if (s.max_discharge_c > 0.0) {
      for (const auto& mode : d.modes) {
        Conditions cond;
        cond.mode = mode;
        cond.off = ride_through_off(d);
        cond.off.erase(s.name);
        const Solution sol = ctx.net.solve(cond);
        const auto it = sol.storage_i_a.find(s.name);
        const double rate = (it == sol.storage_i_a.end() ? 0.0 : it->second) / s.capacity_ah;
        if (rate > s.max_discharge_c) {
          add(out, "battery-limits", Severity::kError, s.name, s.line,
              fmt::format("discharges at {:.2f} C in mode '{}', above its {:.2f} C rating", rate,
                          mode, s.max_discharge_c));
          break;
        }
      }
    }
  }
}

}  // namespace powerstack::design::rules
