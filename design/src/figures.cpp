#include "powerstack/design/figures.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "sim/models/supercapacitor.hpp"

namespace powerstack::design {

namespace {

constexpr int kHoldUpSteps = 400;
constexpr int kBurstSteps = 100;
constexpr double kSocStep = 0.005;

// The first load that is browned out in `s`, or "".
std::string browned_out(const Design& d, const Solution& s, const std::string& mode) {
  for (const auto& l : d.loads) {
    const auto it = l.mode_i_a.find(mode);
    const bool draws = it != l.mode_i_a.end() && it->second > 0.0;
    if (!draws)
      continue;
    const double v = s.v(l.rail);
    if (v <= 0.0 || (l.v_min_v > 0.0 && v < l.v_min_v))
      return l.name;
  }
  return "";
}

double storage_i(const Solution& s, const std::string& name) {
  const auto it = s.storage_i_a.find(name);
  return it == s.storage_i_a.end() ? 0.0 : it->second;
}

// Energy a battery pack holds from soc 1 down to its cut-off (integral of OCV dQ).
double pack_energy_j(const Storage& s) {
  double e = 0.0;
  const double cutoff = Network::pack_cutoff_v(s);
  for (double soc = 1.0; soc > 0.0; soc -= kSocStep) {
    const double v = Network::pack_ocv_v(s, soc - kSocStep / 2.0);
    if (v < cutoff)
      break;
    e += v * s.capacity_ah * s.parallel * 3600.0 * kSocStep;
  }
  return e;
}

}  // namespace

std::set<std::string> ride_through_off(const Design& d) {
  std::set<std::string> off;
  for (const auto& e : d.events) {
    if (e.kind != EventKind::kBurst)
      off.insert(e.target);  // drop-outs and swapped storage
  }
  if (off.empty()) {
    for (const auto& s : d.sources)
      off.insert(s.name);
  }
  return off;
}

HoldUp hold_up(const Network& net, const Storage& st, const std::string& mode,
               const std::set<std::string>& off) {
  const Design& d = net.design();
  HoldUp h;
  Conditions c;
  c.mode = mode;
  c.off = off;
  // Other capacitor banks only buffer: left out, so a bank held at its charged voltage does
  // not stand in for the storage under study. The storage under study stays in.
  for (const auto& other : d.storage) {
    if (other.kind != StorageKind::kBattery)
      c.off.insert(other.name);
  }
  c.off.erase(st.name);
  if (st.kind == StorageKind::kBattery) {
    const double q_c = st.capacity_ah * st.parallel * 3600.0;
    for (double soc = st.soc_initial; soc > 0.0; soc -= kSocStep) {
      c.storage_v[st.name] = Network::pack_ocv_v(st, soc - kSocStep / 2.0);
      const Solution s = net.solve(c);
      const double i = storage_i(s, st.name);
      h.v_end_v = s.v(st.rail);
      const std::string out = browned_out(d, s, mode);
      if (!out.empty() || h.v_end_v < Network::pack_cutoff_v(st)) {
        h.ended_by = out.empty() ? "cut-off" : out;
        return h;
      }
      if (i <= 1e-15)
        return {kUnlimited, h.v_end_v, ""};
      h.t_s += q_c * std::min(kSocStep, soc) / i;
    }
    h.ended_by = "empty";
    return h;
  }
  const double c_f = Network::bank_c_f(st);
  const double v0 = net.storage_full_v(st);
  const double dv = v0 / kHoldUpSteps;
  h.v_end_v = v0;
  c.storage_v[st.name] = v0;
  if (const std::string out = browned_out(d, net.solve(c), mode); !out.empty()) {
    h.ended_by = out;  // down from the start: the storage cannot carry this load at all
    return h;
  }
  for (int k = 0; k < kHoldUpSteps; ++k) {
    const double v_hi = v0 - k * dv;
    c.storage_v[st.name] = v_hi - dv;
    const std::string out = browned_out(d, net.solve(c), mode);
    c.storage_v[st.name] = v_hi - dv / 2.0;
    const double i = storage_i(net.solve(c), st.name);
    if (!out.empty()) {
      // Close the last step by bisection on the brown-out voltage.
      double lo = v_hi - dv;
      double hi = v_hi;
      for (int j = 0; j < 30; ++j) {
        const double mid = (lo + hi) / 2.0;
        c.storage_v[st.name] = mid;
        (browned_out(d, net.solve(c), mode).empty() ? hi : lo) = mid;
      }
      c.storage_v[st.name] = (v_hi + hi) / 2.0;
      h.t_s += c_f * (v_hi - hi) / std::max(storage_i(net.solve(c), st.name), 1e-15);
      h.v_end_v = hi;
      h.ended_by = out;
      return h;
    }
    if (i <= 1e-15)
      return {kUnlimited, v_hi, ""};
    h.t_s += c_f * dv / i;
    h.v_end_v = v_hi - dv;
  }
  h.ended_by = "empty";
  return h;
}

BurstDrop burst_drop(const Network& net, const Load& l, const Storage& st) {
  BurstDrop b;
  if (!l.burst || st.kind == StorageKind::kBattery)
    return b;
  const double c_f = Network::bank_c_f(st);
  const double v0 = net.storage_full_v(st);
  Conditions c;
  c.mode = net.design().usage.base_mode;
  c.load_override_a[l.name] = l.burst->i_a;
  const double dt = l.burst->width_s / kBurstSteps;
  double v = v0;
  double i_last = 0.0;
  Solution s;
  for (int k = 0; k < kBurstSteps; ++k) {
    c.storage_v[st.name] = v;
    s = net.solve(c);
    i_last = storage_i(s, st.name);
    // Midpoint: the current at half a step (constant-power loads draw more as v falls).
    c.storage_v[st.name] = v - i_last * dt / (2.0 * c_f);
    i_last = storage_i(net.solve(c), st.name);
    v -= i_last * dt / c_f;
  }
  c.storage_v[st.name] = v;
  s = net.solve(c);
  b.energy_j = sim::capacitor_energy_between_j(c_f, v0, v);
  b.drop_v = v0 - v + std::max(0.0, storage_i(s, st.name)) * Network::bank_esr_ohm(st);
  b.rail_min_v = s.v(l.rail);
  return b;
}

ComparatorTrips comparator_trips(const Comparator& c, double v_supply_v, double r_in_ohm,
                                 double r_hyst_ohm) {
  if (r_hyst_ohm <= 0.0)
    return {c.v_ref_v, c.v_ref_v};
  ComparatorTrips t;
  // + input = (v_in R_h + v_out R_in) / (R_in + R_h); the output is low (0 V) below the
  // rising trip and pulled up to the supply above it.
  t.v_rise_v = c.v_ref_v * (r_in_ohm + r_hyst_ohm) / r_hyst_ohm;
  t.v_fall_v = (c.v_ref_v * (r_in_ohm + r_hyst_ohm) - v_supply_v * r_in_ohm) / r_hyst_ohm;
  return t;
}

double bom_cost_eur(const Design& d) {
  double sum = 0.0;
  const auto part_price = [&](const Value& v) {
    const auto it = d.parts.find(v.part);
    return v.part.empty() || it == d.parts.end() ? 0.0 : it->second.price_eur;
  };
  for (const auto& x : d.sources)
    sum += x.price_eur * x.qty + part_price(x.c_reservoir_f);
  for (const auto& x : d.storage) {
    sum += x.price_eur * x.series * x.parallel + part_price(x.r_balance_ohm) * x.series;
  }
  for (const auto& x : d.converters)
    sum += x.price_eur;
  for (const auto& x : d.diodes)
    sum += x.price_eur;
  for (const auto& x : d.switches)
    sum += x.price_eur;
  for (const auto& x : d.dividers) {
    sum += x.price_eur + part_price(x.r_top_ohm) + part_price(x.r_bottom_ohm);
  }
  for (const auto& x : d.comparators) {
    sum += x.price_eur + part_price(x.r_in_ohm) + part_price(x.r_hyst_ohm);
  }
  for (const auto& x : d.loads)
    sum += x.price_eur;
  for (const auto& x : d.bom)
    sum += x.price_eur * x.qty;
  return sum;
}

namespace {

void budget_figures(const Network& net, Figures& f) {
  const Design& d = net.design();
  for (const auto& mode : d.modes) {
    Conditions c;
    c.mode = mode;
    const Solution s = net.solve(c);
    const std::string p = "budget." + mode + ".";
    double loads_w = 0.0;
    std::map<std::string, double> load_rail_a;
    for (const auto& l : d.loads) {
      const auto it = s.load_i_a.find(l.name);
      const double i = it == s.load_i_a.end() ? 0.0 : it->second;
      loads_w += i * s.v(l.rail);
      load_rail_a[l.rail] += i;
    }
    for (const auto& [rail, i] : load_rail_a)
      f[p + "loads." + rail + ".i_a"] = i;
    for (const auto& rail : net.rail_order())
      f[p + "rail." + rail + ".v"] = s.v(rail);
    double in_w = 0.0;
    for (const auto& src : d.sources) {
      const double pw = s.source_power_w(d, src.name);
      const auto it = s.source_i_a.find(src.name);
      f[p + src.name + ".i_a"] = it == s.source_i_a.end() ? 0.0 : it->second;
      f[p + src.name + ".p_w"] = pw;
      in_w += pw;
    }
    for (const auto& st : d.storage) {
      const double pw = s.source_power_w(d, st.name);
      f[p + st.name + ".i_a"] = storage_i(s, st.name);
      f[p + st.name + ".p_w"] = pw;
      in_w += pw;
    }
    f[p + "loads_w"] = loads_w;
    f[p + "in_w"] = in_w;
    f[p + "efficiency"] = in_w > 0.0 ? loads_w / in_w : 0.0;
  }
}

void storage_figures(const Network& net, Figures& f) {
  const Design& d = net.design();
  const std::set<std::string> off = ride_through_off(d);
  for (const auto& st : d.storage) {
    const std::string p = "storage." + st.name + ".";
    if (st.kind == StorageKind::kBattery) {
      f[p + "v_full_v"] = Network::pack_full_v(st);
      f[p + "v_cutoff_v"] = Network::pack_cutoff_v(st);
      f[p + "energy_j"] = pack_energy_j(st);
      f[p + "r_internal_ohm"] = Network::pack_r_ohm(st);
      for (const auto& mode : d.modes) {
        const HoldUp h = hold_up(net, st, mode, off);
        f["runtime." + st.name + "." + mode + ".h"] = h.t_s / 3600.0;
      }
      continue;
    }
    const double c_f = Network::bank_c_f(st);
    const double v_full = net.storage_full_v(st);
    f[p + "c_f"] = c_f;
    f[p + "v_rated_v"] = st.v_rated_v * st.series;
    f[p + "esr_ohm"] = Network::bank_esr_ohm(st);
    f[p + "v_full_v"] = v_full;
    f[p + "energy_j"] = sim::capacitor_energy_j(c_f, v_full);
    const HoldUp h = hold_up(net, st, d.usage.ride_mode, off);
    f["holdup." + st.name + ".s"] = h.t_s;
    f["holdup." + st.name + ".v_end_v"] = h.v_end_v;
    f[p + "usable_j"] = sim::capacitor_energy_between_j(c_f, v_full, h.v_end_v);
    if (st.v_min_v > 0.0) {
      f[p + "stated_usable_j"] = sim::capacitor_energy_between_j(c_f, v_full, st.v_min_v);
    }
    if (st.r_load_ohm > 0.0) {
      const double tau = st.r_load_ohm * c_f;
      f["rc." + st.name + ".tau_s"] = tau;
      if (st.v_hold_v > 0.0 && v_full > st.v_hold_v) {
        f["rc." + st.name + ".retention_s"] = tau * std::log(v_full / st.v_hold_v);
      }
    }
    for (const auto& l : d.loads) {
      if (!l.burst)
        continue;
      const BurstDrop b = burst_drop(net, l, st);
      f["burst." + l.name + "." + st.name + ".energy_j"] = b.energy_j;
      f["burst." + l.name + "." + st.name + ".drop_v"] = b.drop_v;
      f["burst." + l.name + ".rail_min_v"] = b.rail_min_v;
    }
  }
  for (const auto& l : d.loads) {
    if (!l.burst)
      continue;
    Conditions c;
    c.mode = d.usage.base_mode;
    c.load_override_a[l.name] = l.burst->i_a;
    const Solution s = net.solve(c);
    f["burst." + l.name + ".p_w"] = l.burst->i_a * s.v(l.rail);
    f["burst." + l.name + ".energy_j"] = l.burst->i_a * s.v(l.rail) * l.burst->width_s;
  }
}

void divider_figures(const Network& net, Figures& f) {
  const Design& d = net.design();
  for (const auto& dv : d.dividers) {
    const std::string p = "divider." + dv.name + ".";
    const double rt = dv.r_top_ohm.nominal;
    const double rb = dv.r_bottom_ohm.nominal;
    const double ratio = rb / (rt + rb);
    const RailRange r = net.ranges().at(dv.in);
    f[p + "ratio"] = ratio;
    f[p + "v_adc_min_v"] = r.v_min_v * ratio;
    f[p + "v_adc_max_v"] = r.v_max_v * ratio;
    f[p + "i_a"] = r.v_max_v / (rt + rb);
    f[p + "r_source_ohm"] = rt * rb / (rt + rb);
    if (dv.c_filter_f > 0.0)
      f[p + "tau_s"] = dv.c_filter_f * rt * rb / (rt + rb);
    for (const auto& pt : dv.points)
      f[p + "point." + pt.label + ".v_adc_v"] = pt.v_in_v * ratio;
  }
  for (const auto& cp : d.comparators) {
    Conditions c;
    c.mode = d.usage.base_mode;
    const double vs = net.solve(c).v(cp.supply);
    const ComparatorTrips t = comparator_trips(cp, vs, cp.r_in_ohm.nominal, cp.r_hyst_ohm.nominal);
    const std::string p = "comparator." + cp.name + ".";
    f[p + "v_rise_v"] = t.v_rise_v;
    f[p + "v_fall_v"] = t.v_fall_v;
    f[p + "hysteresis_v"] = t.v_rise_v - t.v_fall_v;
    f[p + "v_supply_v"] = vs;
  }
}

// Efficiency from a rail to the battery a charger fills (product along the first path found).
double chain_to_battery(const Design& d, const Solution& nominal, const std::string& rail,
                        const Storage& bat, int depth) {
  if (depth > 16)
    return 0.0;
  for (const auto& cv : d.converters) {
    if (cv.in != rail)
      continue;
    if (cv.kind == ConverterKind::kCharger && cv.battery == bat.name) {
      const double v_bat = Network::pack_ocv_v(bat, 0.5);
      const double v_in = nominal.v(cv.in);  // a linear charger: P_bat / P_in = V_bat / V_in
      const auto& p = sim::chemistry_profile(bat.chemistry);
      return std::min(1.0, v_bat / std::max(v_in, v_bat)) * p.coulombic_efficiency;
    }
    double eta = cv.kind == ConverterKind::kLdo ? 0.0 : cv.efficiency;
    if (eta > 0.0) {
      const double rest = chain_to_battery(d, nominal, cv.out, bat, depth + 1);
      if (rest > 0.0)
        return eta * rest;
    }
  }
  for (const auto& dd : d.diodes) {
    if (dd.from == rail) {
      const double rest = chain_to_battery(d, nominal, dd.to, bat, depth + 1);
      if (rest > 0.0)
        return rest;
    }
  }
  return 0.0;
}

void day_figures(const Network& net, Figures& f) {
  const Design& d = net.design();
  if (d.usage.day_hours.empty())
    return;
  const std::set<std::string> off = ride_through_off(d);
  double loads_wh = 0.0;
  for (const auto& [mode, h] : d.usage.day_hours)
    loads_wh += h * f["budget." + mode + ".loads_w"];
  f["day.loads_wh"] = loads_wh;
  for (const auto& st : d.storage) {
    if (st.kind != StorageKind::kBattery)
      continue;
    double wh = 0.0;
    for (const auto& [mode, h] : d.usage.day_hours) {
      Conditions c;
      c.mode = mode;
      c.off = off;
      c.off.erase(st.name);
      const Solution s = net.solve(c);
      wh += h * s.source_power_w(d, st.name);
    }
    f["day." + st.name + ".wh"] = wh;
    const double e_wh = f["storage." + st.name + ".energy_j"] / 3600.0;
    if (wh > 0.0)
      f["autonomy." + st.name + ".days"] = e_wh / wh;
    for (const auto& src : d.sources) {
      if (src.kind != SourceKind::kSolar)
        continue;
      Conditions nc;
      nc.mode = d.usage.base_mode;
      const double eta = chain_to_battery(d, net.solve(nc), src.out, st, 0);
      const double harvest = src.p_peak_w * src.sun_hours * eta;
      f["solar." + src.name + ".chain_efficiency"] = eta;
      f["solar." + src.name + ".wh_per_day"] = harvest;
      if (wh > 0.0)
        f["solar." + src.name + ".ratio"] = harvest / wh;
    }
  }
}

}  // namespace

Figures compute_figures(const Network& net) {
  Figures f;
  budget_figures(net, f);
  storage_figures(net, f);
  divider_figures(net, f);
  day_figures(net, f);
  f["bom.cost_eur"] = bom_cost_eur(net.design());
  return f;
}

}  // namespace powerstack::design
