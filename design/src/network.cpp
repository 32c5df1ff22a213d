#include "powerstack/design/network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/models/battery_cell.hpp"
#include "sim/models/bus_source.hpp"

namespace powerstack::design {

namespace {

constexpr double kNone = -std::numeric_limits<double>::infinity();

struct Candidate {
  double v = kNone;
  std::string who;
};

void consider(Candidate& best, double v, const std::string& who) {
  if (v > best.v) {
    best = {v, who};
  }
}

double get_or(const std::map<std::string, double>& m, const std::string& k, double fallback) {
  const auto it = m.find(k);
  return it == m.end() ? fallback : it->second;
}

}  // namespace

double Solution::v(const std::string& rail) const {
  return get_or(rail_v, rail, 0.0);
}

double Solution::source_power_w(const Design& d, const std::string& name) const {
  for (const auto& s : d.sources) {
    if (s.name == name)
      return v(s.out) * get_or(source_i_a, name, 0.0);
  }
  for (const auto& s : d.storage) {
    if (s.name == name)
      return v(s.rail) * get_or(storage_i_a, name, 0.0);
  }
  return 0.0;
}

double Network::bank_c_f(const Storage& s) {
  return s.c_f.nominal * s.parallel / s.series;
}

double Network::bank_esr_ohm(const Storage& s) {
  return s.esr_ohm * s.series / s.parallel;
}

double Network::pack_cutoff_v(const Storage& s) {
  const auto& p = sim::chemistry_profile(s.chemistry);
  return (s.v_cutoff_v > 0.0 ? s.v_cutoff_v : p.limits.v_discharge_v) * s.series;
}

double Network::pack_full_v(const Storage& s) {
  const auto& p = sim::chemistry_profile(s.chemistry);
  return (s.v_full_v > 0.0 ? s.v_full_v : p.limits.v_charge_v) * s.series;
}

double Network::pack_ocv_v(const Storage& s, double soc) {
  const auto& p = sim::chemistry_profile(s.chemistry);
  return sim::ocv_v(p, soc, p.t_ref_c) * s.series;
}

double Network::pack_r_ohm(const Storage& s) {
  if (s.r_internal_ohm > 0.0)
    return s.r_internal_ohm;
  const auto& p = sim::chemistry_profile(s.chemistry);
  return sim::typical_cell_params(p, s.capacity_ah * s.parallel).r0_ohm * s.series;
}

double Network::rectifier_peak_v(const Source& s, double mains_factor) {
  return std::max(0.0, std::sqrt(2.0) * s.v_v * mains_factor - 2.0 * s.v_diode_v);
}

double Network::converter_out_v(const Converter& cv, double vin, double i_out_a) {
  double v = cv.v_out_v;
  if (cv.kind == ConverterKind::kLdo || cv.kind == ConverterKind::kBuck) {
    v = std::min(v, vin - cv.v_dropout_v - cv.r_dropout_ohm * i_out_a);
  } else if (cv.kind == ConverterKind::kBoost) {
    v = std::max(v, vin - cv.v_dropout_v);
  }
  return v;
}

double Network::storage_full_v(const Storage& s) const {
  if (s.kind == StorageKind::kBattery) {
    return pack_ocv_v(s, s.soc_initial);
  }
  if (s.v_initial_v > 0.0)
    return s.v_initial_v;
  return get_or(driven_full_v_, s.rail, 0.0);
}

Network::Network(const Design& d) : d_(d) {
  // Kahn's order over the supply edges.
  std::map<std::string, std::set<std::string>> next;
  std::map<std::string, int> indeg;
  auto rail = [&](const std::string& r) { indeg.try_emplace(r, 0); };
  auto edge = [&](const std::string& a, const std::string& b) {
    rail(a);
    rail(b);
    if (a != b && next[a].insert(b).second)
      ++indeg[b];
  };
  for (const auto& s : d_.sources)
    rail(s.out);
  for (const auto& s : d_.storage)
    rail(s.rail);
  for (const auto& l : d_.loads)
    rail(l.rail);
  for (const auto& c : d_.converters) {
    edge(c.in, c.out);
    if (c.kind == ConverterKind::kCharger) {
      for (const auto& s : d_.storage) {
        if (s.name == c.battery)
          edge(s.rail, c.out);
      }
    }
  }
  for (const auto& x : d_.diodes)
    edge(x.from, x.to);
  for (const auto& x : d_.switches)
    edge(x.from, x.to);
  std::vector<std::string> ready;
  for (const auto& [r, n] : indeg) {
    if (n == 0)
      ready.push_back(r);
  }
  while (!ready.empty()) {
    const std::string r = ready.front();
    ready.erase(ready.begin());
    order_.push_back(r);
    for (const auto& b : next[r]) {
      if (--indeg[b] == 0)
        ready.push_back(b);
    }
  }
  // Storage charged to what drives its rail: a first pass without storage defaults.
  Conditions c;
  c.mode = d_.modes.empty() ? "" : d_.modes.front();
  driven_full_v_ = pass(c, nullptr).driven_v;
  compute_ranges();
}

Solution Network::solve(const Conditions& given) const {
  Conditions c = given;
  for (const auto& src : d_.sources) {
    if (!src.present)
      c.off.insert(src.name);
  }
  const Solution first = pass(c, nullptr);
  const Solution second = pass(c, &first);
  return pass(c, &second);
}

Solution Network::pass(const Conditions& c, const Solution* prev) const {
  Solution s;
  const auto prev_out = [&](const std::string& name) {
    return prev != nullptr ? get_or(prev->out_i_a, name, 0.0) : 0.0;
  };
  const auto prev_storage = [&](const std::string& name) {
    return prev != nullptr ? get_or(prev->storage_i_a, name, 0.0) : 0.0;
  };
  for (const std::string& rail : order_) {
    Candidate best;
    bool storage_here = false;
    for (const auto& st : d_.storage) {
      storage_here = storage_here || (st.rail == rail && !c.off.contains(st.name));
    }
    for (const auto& src : d_.sources) {
      if (src.out != rail || c.off.contains(src.name))
        continue;
      if (src.kind == SourceKind::kBus) {
        if (!storage_here) {
          consider(best,
                   src.v_v - src.r_series_ohm * (prev ? get_or(prev->source_i_a, src.name, 0) : 0),
                   src.name);
        }
      } else if (src.kind == SourceKind::kAcRectifier) {
        consider(best, get_or(c.source_v, src.name, rectifier_peak_v(src, 1.0)), src.name);
      } else {
        consider(best, src.v_v, src.name);
      }
    }
    for (const auto& cv : d_.converters) {
      if (cv.out != rail)
        continue;
      const double vin = s.v(cv.in);
      const bool running = vin > 0.0 && (cv.v_in_min_v <= 0.0 || vin >= cv.v_in_min_v);
      s.running[cv.name] = running;
      const double i = prev_out(cv.name);
      if (cv.kind == ConverterKind::kCharger) {
        if (vin > 0.0)
          consider(best, vin - cv.v_path_drop_v, cv.name);
        for (const auto& st : d_.storage) {
          if (st.name == cv.battery && !c.off.contains(st.name)) {
            consider(best, s.v(st.rail), cv.name + ":battery");
          }
        }
        continue;
      }
      if (!running)
        continue;
      const double v = Network::converter_out_v(cv, vin, i);
      if (v > 0.0)
        consider(best, v, cv.name);
    }
    for (const auto& dd : d_.diodes) {
      if (dd.to != rail)
        continue;
      const double v = s.v(dd.from) - dd.v_f_v - dd.r_on_ohm * prev_out(dd.name);
      if (v > 0.0)
        consider(best, v, dd.name);
    }
    for (const auto& sw : d_.switches) {
      if (sw.to != rail)
        continue;
      if (std::find(sw.open_in.begin(), sw.open_in.end(), c.mode) != sw.open_in.end())
        continue;
      const double v = s.v(sw.from) - sw.r_ds_on_ohm * prev_out(sw.name);
      if (v > 0.0)
        consider(best, v, sw.name);
    }
    double driven_v = std::max(best.v, 0.0);
    for (const auto& src : d_.sources) {
      if (src.out == rail && src.kind == SourceKind::kBus && !c.off.contains(src.name)) {
        driven_v = std::max(driven_v, src.v_v);  // a bus fills its tank to the bus voltage
      }
    }
    s.driven_v[rail] = driven_v;
    for (const auto& st : d_.storage) {
      if (st.rail != rail || c.off.contains(st.name))
        continue;
      double v = 0.0;
      if (st.kind == StorageKind::kBattery) {
        v = get_or(c.storage_v, st.name, storage_full_v(st)) -
            pack_r_ohm(st) * prev_storage(st.name);
      } else {
        v = get_or(c.storage_v, st.name, storage_full_v(st)) -
            bank_esr_ohm(st) * prev_storage(st.name);
      }
      // Storage supplies unless a driver holds the rail higher (then it charges).
      if (v > best.v + 1e-9)
        best = {v, st.name};
    }
    s.rail_v[rail] = std::max(best.v, 0.0);
    if (best.v > 0.0)
      s.supplier[rail] = best.who;
  }

  // Currents, from the loads back to the sources.
  std::map<std::string, double> pending;  // rail -> current drawn by downstream elements
  for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
    const std::string& rail = *it;
    const double v = s.v(rail);
    double demand = get_or(pending, rail, 0.0);
    if (v > 0.0) {
      for (const auto& l : d_.loads) {
        if (l.rail != rail)
          continue;
        const double i = get_or(c.load_override_a, l.name, get_or(l.mode_i_a, c.mode, 0.0));
        s.load_i_a[l.name] = i;
        demand += i;
      }
      for (const auto& dv : d_.dividers) {
        if (dv.in == rail)
          demand += v / (dv.r_top_ohm.nominal + dv.r_bottom_ohm.nominal);
      }
      for (const auto& cp : d_.comparators) {
        if (cp.supply == rail)
          demand += cp.i_supply_a;
      }
      for (const auto& st : d_.storage) {
        if (st.rail == rail && st.r_balance_ohm.nominal > 0.0 && !c.off.contains(st.name)) {
          demand += v / (st.series * st.r_balance_ohm.nominal);  // balancing string
        }
      }
      for (const auto& cv : d_.converters) {
        if (c.charging && cv.kind == ConverterKind::kCharger && cv.in == rail) {
          demand += cv.i_charge_a;
        }
      }
    }
    s.rail_demand_a[rail] = demand;
    const auto sup = s.supplier.find(rail);
    if (sup == s.supplier.end())
      continue;
    const std::string& who = sup->second;
    double injected = 0.0;
    for (const auto& src : d_.sources) {
      if (src.out == rail && src.kind == SourceKind::kBus && !c.off.contains(src.name) &&
          who != src.name) {
        sim::BusSourceParams bp;
        bp.v_bus_v = src.v_v;
        bp.r_series_ohm = std::max(src.r_series_ohm, 1e-3);
        bp.i_limit_a = src.i_max_a;
        const auto bus = sim::BusSource::create(bp);
        injected = bus.ok() ? bus.value().current_a(v) : 0.0;
        s.source_i_a[src.name] = injected;
      }
    }
    bool done = false;
    for (const auto& src : d_.sources) {
      if (src.name == who) {
        s.source_i_a[who] = demand;
        done = true;
      }
    }
    for (const auto& st : d_.storage) {
      if (st.name == who) {
        s.storage_i_a[who] = demand - injected;
        done = true;
      } else if (st.rail == rail && !c.off.contains(st.name)) {
        s.storage_i_a.try_emplace(st.name, 0.0);
      }
    }
    if (done)
      continue;
    for (const auto& cv : d_.converters) {
      if (who == cv.name + ":battery") {
        s.out_i_a[cv.name] = demand;
        for (const auto& st : d_.storage) {
          if (st.name == cv.battery)
            pending[st.rail] += demand;
        }
      } else if (who == cv.name) {
        s.out_i_a[cv.name] = demand;
        const double vin = s.v(cv.in);
        double i_in = demand + cv.i_q_a;
        if (cv.kind != ConverterKind::kLdo && cv.kind != ConverterKind::kCharger && vin > 0.0) {
          i_in = v * demand / cv.efficiency / vin + cv.i_q_a;
        }
        s.in_i_a[cv.name] = i_in;
        pending[cv.in] += i_in;
      }
    }
    for (const auto& dd : d_.diodes) {
      if (who == dd.name) {
        s.out_i_a[dd.name] = s.in_i_a[dd.name] = demand;
        pending[dd.from] += demand;
      }
    }
    for (const auto& sw : d_.switches) {
      if (who == sw.name) {
        s.out_i_a[sw.name] = s.in_i_a[sw.name] = demand;
        pending[sw.from] += demand;
      }
    }
  }
  return s;
}

void Network::compute_ranges() {
  // Peak rectifier current over the modes, for its ripple.
  std::map<std::string, double> i_max;
  for (const auto& m : d_.modes) {
    Conditions c;
    c.mode = m;
    const Solution s = solve(c);
    for (const auto& [k, i] : s.source_i_a)
      i_max[k] = std::max(i_max[k], i);
  }
  for (const std::string& rail : order_) {
    RailRange r{std::numeric_limits<double>::infinity(), 0.0};
    auto add = [&](double lo, double hi) {
      r.v_min_v = std::min(r.v_min_v, lo);
      r.v_max_v = std::max(r.v_max_v, hi);
    };
    const auto range_of = [&](const std::string& x) {
      const auto it = ranges_.find(x);
      return it == ranges_.end() ? RailRange{} : it->second;
    };
    for (const auto& src : d_.sources) {
      if (src.out != rail)
        continue;
      if (src.kind == SourceKind::kAcRectifier) {
        const double ripple = i_max[src.name] / (2.0 * src.f_hz * src.c_reservoir_f.nominal);
        add(rectifier_peak_v(src, 1.0 - src.mains_tolerance) - ripple,
            rectifier_peak_v(src, 1.0 + src.mains_tolerance));
      } else {
        add(src.v_min_v, src.v_max_v);
      }
    }
    for (const auto& st : d_.storage) {
      if (st.rail != rail)
        continue;
      if (st.kind == StorageKind::kBattery) {
        add(pack_cutoff_v(st), pack_full_v(st));
      } else {
        const double full = storage_full_v(st);
        add(st.v_min_v > 0.0 ? st.v_min_v : full, full);
      }
    }
    for (const auto& cv : d_.converters) {
      if (cv.out != rail)
        continue;
      const RailRange in = range_of(cv.in);
      const double lo = cv.v_out_v * (1.0 - cv.v_out_tolerance);
      const double hi = cv.v_out_v * (1.0 + cv.v_out_tolerance);
      switch (cv.kind) {
        case ConverterKind::kLdo:
        case ConverterKind::kBuck:
          add(std::min(lo, in.v_min_v - cv.v_dropout_v), std::min(hi, std::max(lo, in.v_max_v)));
          break;
        case ConverterKind::kBoost:
          add(lo, std::max(hi, in.v_max_v - cv.v_dropout_v));
          break;
        case ConverterKind::kBuckBoost:
          add(lo, hi);
          break;
        case ConverterKind::kCharger: {
          // The power path ORs the battery in: the battery bounds the low end (the input may
          // be gone), the higher of the two the high end.
          for (const auto& st : d_.storage) {
            if (st.name == cv.battery) {
              add(pack_cutoff_v(st), std::max(pack_full_v(st), in.v_max_v - cv.v_path_drop_v));
            }
          }
          break;
        }
      }
    }
    for (const auto& dd : d_.diodes) {
      if (dd.to != rail)
        continue;
      const RailRange in = range_of(dd.from);
      add(std::max(0.0, in.v_min_v - dd.v_f_v), std::max(0.0, in.v_max_v - dd.v_f_v));
    }
    for (const auto& sw : d_.switches) {
      if (sw.to != rail)
        continue;
      const RailRange in = range_of(sw.from);
      add(in.v_min_v, in.v_max_v);
    }
    if (r.v_min_v > r.v_max_v)
      r.v_min_v = r.v_max_v;
    ranges_[rail] = r;
  }
}

}  // namespace powerstack::design
