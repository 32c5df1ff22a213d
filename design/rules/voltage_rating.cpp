// voltage-rating: every part's highest voltage against its rating. A series bank of
// capacitors shares the voltage unevenly: with balancing resistors by their tolerance, without
// by the capacitance tolerance (the smallest capacitor takes the most while charging).
// Capacitors and FETs are derated ([requirements] cap_derating, fet_derating).
#include <cmath>

#include "rules.hpp"

namespace powerstack::design::rules {

namespace {

// Highest share of the bank voltage on one of n series elements.
double worst_share(const Storage& s) {
  const int n = s.series;
  if (n <= 1)
    return 1.0;
  if (s.r_balance_ohm.nominal > 0.0) {
    const double t = s.r_balance_ohm.tolerance;
    return (1 + t) / ((1 + t) + (n - 1) * (1 - t));
  }
  const double t = s.c_f.tolerance;
  const double inv_small = 1.0 / (1 - t);
  return inv_small / (inv_small + (n - 1) / (1 + t));
}

}  // namespace

void voltage_rating(const RuleContext& ctx, std::vector<Finding>& out) {
  const Design& d = ctx.design();
  const auto& ranges = ctx.net.ranges();
  for (const auto& s : d.storage) {
    if (s.kind == StorageKind::kBattery || s.v_rated_v <= 0.0)
      continue;
    const double v_bank = std::max(ranges.at(s.rail).v_max_v, ctx.net.storage_full_v(s));
    const double v_el = v_bank * worst_share(s);
    const double limit = s.v_rated_v * d.req.cap_derating;
    if (v_el > s.v_rated_v) {
      add(out, "voltage-rating", Severity::kError, s.name, s.line,
          fmt::format("{} sees up to {:.2f} V per element ({:.2f} V on {} in series{}), above "
                      "its {:.2f} V rating by {:.2f} V; add an element in series, balance it, "
                      "or lower the rail",
                      s.name, v_el, v_bank, s.series,
                      s.series > 1 ? (s.r_balance_ohm.nominal > 0 ? ", balanced"
                                                                  : ", unbalanced: by C tolerance")
                                   : "",
                      s.v_rated_v, v_el - s.v_rated_v));
    } else if (v_el > limit) {
      add(out, "voltage-rating", Severity::kWarning, s.name, s.line,
          fmt::format("{} runs at {:.2f} V per element, {:.0f} % of its {:.2f} V rating (derating "
                      "limit {:.0f} %); choose a {:.0f} V part for margin",
                      s.name, v_el, 100 * v_el / s.v_rated_v, s.v_rated_v, 100 * d.req.cap_derating,
                      std::ceil(v_el / d.req.cap_derating)));
    }
  }
  for (const auto& sw : d.switches) {
    const double v = ranges.at(sw.from).v_max_v;
    if (sw.v_ds_max_v > 0.0 && v > sw.v_ds_max_v * d.req.fet_derating) {
      add(out, "voltage-rating", v > sw.v_ds_max_v ? Severity::kError : Severity::kWarning, sw.name,
          sw.line,
          fmt::format("V_DS up to {:.2f} V against a {:.1f} V rating ({:.0f} % used)", v,
                      sw.v_ds_max_v, 100 * v / sw.v_ds_max_v));
    }
    const double vg =
        std::max(ranges.at(sw.from).v_max_v - sw.v_gate_low_v, ranges.at(sw.gate_high).v_max_v);
    if (sw.v_gs_max_v > 0.0 && vg > sw.v_gs_max_v) {
      add(out, "voltage-rating", Severity::kError, sw.name, sw.line,
          fmt::format("|V_GS| up to {:.2f} V exceeds the {:.1f} V gate rating; add a gate "
                      "divider or zener",
                      vg, sw.v_gs_max_v));
    }
  }
  for (const auto& dd : d.diodes) {
    const double v = ranges.at(dd.to).v_max_v;
    if (dd.v_rrm_v > 0.0 && v > dd.v_rrm_v) {
      add(out, "voltage-rating", Severity::kError, dd.name, dd.line,
          fmt::format("blocks up to {:.2f} V when '{}' is down, above its {:.1f} V rating", v,
                      dd.from, dd.v_rrm_v));
    }
  }
  for (const auto& c : d.converters) {
    const double v = ranges.at(c.in).v_max_v;
    if (c.v_in_max_v > 0.0 && v > c.v_in_max_v) {
      add(out, "voltage-rating", Severity::kError, c.name, c.line,
          fmt::format("input up to {:.2f} V, above its {:.2f} V maximum", v, c.v_in_max_v));
    }
  }
  for (const auto& l : d.loads) {
    const double v = ranges.at(l.rail).v_max_v;
    if (l.v_max_v > 0.0 && v > l.v_max_v) {
      add(out, "voltage-rating", Severity::kError, l.name, l.line,
          fmt::format("rail '{}' reaches {:.2f} V, above the load's {:.2f} V maximum", l.rail, v,
                      l.v_max_v));
    }
  }
}

}  // namespace powerstack::design::rules
