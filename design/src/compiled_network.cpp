#include "compiled_network.hpp"

#include <algorithm>
#include <limits>

namespace powerstack::design::detail {

namespace {

constexpr double kNone = -std::numeric_limits<double>::infinity();

struct Best {
  double v = kNone;
  int who = -1;
};

void consider(Best& best, double v, int who) {
  if (v > best.v)
    best = {v, who};
}

int find(const std::vector<std::string>& ids, const std::string& s) {
  const auto it = std::find(ids.begin(), ids.end(), s);
  return it == ids.end() ? -1 : static_cast<int>(it - ids.begin());
}

template <typename T>
T& at(std::vector<T>& v, int i) {
  return v[static_cast<std::size_t>(i)];
}

template <typename T>
const T& at(const std::vector<T>& v, int i) {
  return v[static_cast<std::size_t>(i)];
}

}  // namespace

int CompiledNetwork::intern(std::vector<std::string>& ids, const std::string& s) {
  const int i = find(ids, s);
  if (i >= 0)
    return i;
  ids.push_back(s);
  return static_cast<int>(ids.size()) - 1;
}

int CompiledNetwork::name_id(const std::string& name) const {
  return find(names_, name);
}

int CompiledNetwork::rail_id(const std::string& rail) const {
  return find(rails_, rail);
}

int CompiledNetwork::mode_id(const std::string& mode) const {
  return find(modes_, mode);
}

const std::string& CompiledNetwork::mode_name(int mode) const {
  return at(modes_, mode);
}

CompiledNetwork::CompiledNetwork(const Network& net) : d_(net.design()) {
  const Design& d = d_;
  rails_ = net.rail_order();
  ordered_rails_ = rails_.size();
  const auto rail = [&](const std::string& r) { return intern(rails_, r); };
  const auto name = [&](const std::string& n) { return intern(names_, n); };
  intern(modes_, d.usage.base_mode);
  for (const auto& m : d.modes)
    intern(modes_, m);
  for (const auto& e : d.events) {
    name(e.target);
    intern(modes_, e.mode);
  }
  for (const auto& s : d.sources) {
    Src x{name(s.name), rail(s.out), s.kind, s.v_v, s.r_series_ohm, 0.0, std::nullopt};
    if (s.kind == SourceKind::kAcRectifier)
      x.v_default_v = Network::rectifier_peak_v(s, 1.0);
    if (s.kind == SourceKind::kBus) {
      sim::BusSourceParams bp;
      bp.v_bus_v = s.v_v;
      bp.r_series_ohm = std::max(s.r_series_ohm, 1e-3);
      bp.i_limit_a = s.i_max_a;
      auto bus = sim::BusSource::create(bp);
      if (bus.ok())
        x.bus = bus.value();
    }
    src_.push_back(std::move(x));
  }
  for (const auto& s : d.storage) {
    const bool battery = s.kind == StorageKind::kBattery;
    store_.push_back({name(s.name), rail(s.rail),
                      battery ? Network::pack_r_ohm(s) : Network::bank_esr_ohm(s),
                      s.r_balance_ohm.nominal > 0.0 ? s.series * s.r_balance_ohm.nominal : 0.0});
  }
  for (const auto& c : d.converters) {
    Conv x{&c, name(c.name), name(c.name + ":battery"), rail(c.in), rail(c.out), {}};
    for (std::size_t j = 0; j < d.storage.size(); ++j) {
      if (d.storage[j].name == c.battery)
        x.batteries.push_back(static_cast<int>(j));
    }
    conv_.push_back(std::move(x));
  }
  for (const auto& x : d.diodes)
    link_.push_back({name(x.name), rail(x.from), rail(x.to), x.v_f_v, x.r_on_ohm, {}});
  for (const auto& x : d.switches) {
    Link l{name(x.name), rail(x.from), rail(x.to), 0.0, x.r_ds_on_ohm, {}};
    for (const auto& m : modes_) {
      l.open_in_mode.push_back(
          static_cast<char>(std::find(x.open_in.begin(), x.open_in.end(), m) != x.open_in.end()));
    }
    link_.push_back(std::move(l));
  }
  for (const auto& l : d.loads) {
    load_name_.push_back(name(l.name));
    load_rail_.push_back(rail(l.rail));
    for (const auto& m : modes_) {
      const auto it = l.mode_i_a.find(m);
      load_has_mode_.push_back(static_cast<char>(it != l.mode_i_a.end()));
      load_mode_i_a_.push_back(it != l.mode_i_a.end() ? it->second : 0.0);
    }
  }
  // Rails named only by dividers or comparators are in no supply order: never solved.
  for (const auto& x : d.dividers)
    rail(x.in);
  for (const auto& x : d.comparators)
    rail(x.supply);

  rail_.resize(rails_.size());
  const auto idx = [](std::size_t i) { return static_cast<int>(i); };
  for (std::size_t i = 0; i < src_.size(); ++i)
    at(rail_, src_[i].out).sources.push_back(idx(i));
  for (std::size_t i = 0; i < conv_.size(); ++i) {
    at(rail_, conv_[i].out).converters.push_back(idx(i));
    if (conv_[i].c->kind == ConverterKind::kCharger)
      at(rail_, conv_[i].in).chargers_in.push_back(idx(i));
  }
  for (std::size_t i = 0; i < link_.size(); ++i)
    at(rail_, link_[i].to).links.push_back(idx(i));
  for (std::size_t i = 0; i < store_.size(); ++i)
    at(rail_, store_[i].rail).storage.push_back(idx(i));
  for (std::size_t i = 0; i < load_rail_.size(); ++i)
    at(rail_, load_rail_[i]).loads.push_back(idx(i));
  for (const auto& x : d.dividers)
    at(rail_, rail_id(x.in)).divider_r_ohm.push_back(x.r_top_ohm.nominal + x.r_bottom_ohm.nominal);
  for (const auto& x : d.comparators)
    at(rail_, rail_id(x.supply)).comparator_i_a.push_back(x.i_supply_a);

  is_source_name_.assign(names_.size(), 0);
  is_storage_name_.assign(names_.size(), 0);
  absent_.assign(names_.size(), 0);
  for (std::size_t i = 0; i < src_.size(); ++i) {
    at(is_source_name_, src_[i].name) = 1;
    if (!d.sources[i].present)
      at(absent_, src_[i].name) = 1;
  }
  for (const auto& s : store_)
    at(is_storage_name_, s.name) = 1;
  off_.assign(names_.size(), 0);
  for (auto& b : buf_) {
    b.rail_v.assign(rails_.size(), 0.0);
    b.supplier.assign(rails_.size(), -1);
    b.pending_a.assign(rails_.size(), 0.0);
    for (auto* v : {&b.source_i_a, &b.storage_i_a, &b.in_i_a, &b.out_i_a, &b.load_i_a})
      v->assign(names_.size(), 0.0);
  }
}

void CompiledNetwork::reset(StepConditions& c) const {
  c.mode = 0;
  c.has_override.assign(names_.size(), 0);
  c.load_override_a.assign(names_.size(), 0.0);
  c.off.assign(names_.size(), 0);
  c.storage_v.assign(names_.size(), 0.0);
  c.has_source_v.assign(names_.size(), 0);
  c.source_v.assign(names_.size(), 0.0);
  c.charging = false;
}

double CompiledNetwork::load_mode_i_a(std::size_t load, int mode, bool* has_mode) const {
  const std::size_t k = load * modes_.size() + static_cast<std::size_t>(mode);
  *has_mode = load_has_mode_[k] != 0;
  return load_mode_i_a_[k];
}

void CompiledNetwork::clear(StepSolution& s) const {
  std::fill(s.rail_v.begin(), s.rail_v.end(), 0.0);
  std::fill(s.supplier.begin(), s.supplier.end(), -1);
  std::fill(s.pending_a.begin(), s.pending_a.end(), 0.0);
  for (auto* v : {&s.source_i_a, &s.storage_i_a, &s.in_i_a, &s.out_i_a, &s.load_i_a})
    std::fill(v->begin(), v->end(), 0.0);
}

const StepSolution& CompiledNetwork::solve(const StepConditions& c) {
  for (std::size_t i = 0; i < off_.size(); ++i)
    off_[i] = static_cast<char>(c.off[i] != 0 || absent_[i] != 0);
  pass(c, nullptr, buf_[0]);
  pass(c, &buf_[0], buf_[1]);
  pass(c, &buf_[1], buf_[2]);
  return buf_[2];
}

void CompiledNetwork::pass(const StepConditions& c, const StepSolution* prev,
                           StepSolution& s) const {
  clear(s);
  const auto off = [&](int name) { return at(off_, name) != 0; };
  const auto prev_of = [&](const std::vector<double> StepSolution::*m, int name) {
    return prev != nullptr ? at(prev->*m, name) : 0.0;
  };
  for (std::size_t r = 0; r < ordered_rails_; ++r) {
    const PerRail& pr = rail_[r];
    Best best;
    bool storage_here = false;
    for (const int j : pr.storage)
      storage_here = storage_here || !off(at(store_, j).name);
    for (const int j : pr.sources) {
      const Src& src = at(src_, j);
      if (off(src.name))
        continue;
      if (src.kind == SourceKind::kBus) {
        if (!storage_here) {
          consider(best, src.v_v - src.r_series_ohm * prev_of(&StepSolution::source_i_a, src.name),
                   src.name);
        }
      } else if (src.kind == SourceKind::kAcRectifier) {
        consider(best, at(c.has_source_v, src.name) ? at(c.source_v, src.name) : src.v_default_v,
                 src.name);
      } else {
        consider(best, src.v_v, src.name);
      }
    }
    for (const int j : pr.converters) {
      const Conv& x = at(conv_, j);
      const Converter& cv = *x.c;
      const double vin = s.v(x.in);
      const bool running = vin > 0.0 && (cv.v_in_min_v <= 0.0 || vin >= cv.v_in_min_v);
      const double i = prev_of(&StepSolution::out_i_a, x.name);
      if (cv.kind == ConverterKind::kCharger) {
        if (vin > 0.0)
          consider(best, vin - cv.v_path_drop_v, x.name);
        for (const int b : x.batteries) {
          if (!off(at(store_, b).name))
            consider(best, s.v(at(store_, b).rail), x.battery_who);
        }
        continue;
      }
      if (!running)
        continue;
      const double v = Network::converter_out_v(cv, vin, i);
      if (v > 0.0)
        consider(best, v, x.name);
    }
    for (const int j : pr.links) {
      const Link& l = at(link_, j);
      if (!l.open_in_mode.empty() && at(l.open_in_mode, c.mode) != 0)
        continue;
      const double v = s.v(l.from) - l.v_drop_v - l.r_ohm * prev_of(&StepSolution::out_i_a, l.name);
      if (v > 0.0)
        consider(best, v, l.name);
    }
    for (const int j : pr.storage) {
      const Store& st = at(store_, j);
      if (off(st.name))
        continue;
      const double v =
          at(c.storage_v, st.name) - st.r_ohm * prev_of(&StepSolution::storage_i_a, st.name);
      // Storage supplies unless a driver holds the rail higher (then it charges).
      if (v > best.v + 1e-9)
        best = {v, st.name};
    }
    s.rail_v[r] = std::max(best.v, 0.0);
    if (best.v > 0.0)
      s.supplier[r] = best.who;
  }

  // Currents, from the loads back to the sources.
  for (std::size_t k = ordered_rails_; k-- > 0;) {
    const PerRail& pr = rail_[k];
    const double v = s.rail_v[k];
    double demand = s.pending_a[k];
    if (v > 0.0) {
      for (const int j : pr.loads) {
        const int n = at(load_name_, j);
        bool listed = false;
        const double i = at(c.has_override, n)
                             ? at(c.load_override_a, n)
                             : load_mode_i_a(static_cast<std::size_t>(j), c.mode, &listed);
        at(s.load_i_a, n) = i;
        demand += i;
      }
      for (const double r_ohm : pr.divider_r_ohm)
        demand += v / r_ohm;
      for (const double i : pr.comparator_i_a)
        demand += i;
      for (const int j : pr.storage) {
        const Store& st = at(store_, j);
        if (st.r_balance_ohm > 0.0 && !off(st.name))
          demand += v / st.r_balance_ohm;  // balancing string
      }
      if (c.charging) {
        for (const int j : pr.chargers_in)
          demand += at(conv_, j).c->i_charge_a;
      }
    }
    const int who = s.supplier[k];
    if (who < 0)
      continue;
    double injected = 0.0;
    for (const int j : pr.sources) {
      const Src& src = at(src_, j);
      if (src.kind == SourceKind::kBus && !off(src.name) && who != src.name) {
        injected = src.bus ? src.bus->current_a(v) : 0.0;
        at(s.source_i_a, src.name) = injected;
      }
    }
    bool done = false;
    if (at(is_source_name_, who) != 0) {
      at(s.source_i_a, who) = demand;
      done = true;
    }
    if (at(is_storage_name_, who) != 0) {
      at(s.storage_i_a, who) = demand - injected;
      done = true;
    }
    if (done)
      continue;
    for (const Conv& x : conv_) {
      if (who == x.battery_who) {
        at(s.out_i_a, x.name) = demand;
        for (const int b : x.batteries)
          at(s.pending_a, at(store_, b).rail) += demand;
      } else if (who == x.name) {
        const Converter& cv = *x.c;
        at(s.out_i_a, x.name) = demand;
        const double vin = s.v(x.in);
        double i_in = demand + cv.i_q_a;
        if (cv.kind != ConverterKind::kLdo && cv.kind != ConverterKind::kCharger && vin > 0.0) {
          i_in = v * demand / cv.efficiency / vin + cv.i_q_a;
        }
        at(s.in_i_a, x.name) = i_in;
        at(s.pending_a, x.in) += i_in;
      }
    }
    for (const Link& l : link_) {
      if (who == l.name) {
        at(s.out_i_a, l.name) = at(s.in_i_a, l.name) = demand;
        at(s.pending_a, l.from) += demand;
      }
    }
  }
}

}  // namespace powerstack::design::detail
