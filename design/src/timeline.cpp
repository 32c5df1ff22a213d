#include "powerstack/design/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "compiled_network.hpp"
#include "sim/models/battery_cell.hpp"
#include "sim/models/supercapacitor.hpp"
#include "sim/models/transformer_rectifier.hpp"

namespace powerstack::design {

namespace {

constexpr std::size_t kMaxSteps = 4'000'000;
constexpr std::size_t kMaxPoints = 4000;
constexpr double kChargeLimitA = 2.0;  // storage charging from a rail held above it (assumed)

// How long an event lasts (a burst: at least its load's burst width).
double event_span_s(const Design& d, const Event& e) {
  double len = e.duration_s;
  if (e.kind == EventKind::kBurst) {
    for (const auto& l : d.loads) {
      if (l.name == e.target && l.burst)
        len = std::max(len, l.burst->width_s);
    }
  }
  return len;
}

}  // namespace

double timeline_dt_s(const Design& d) {
  if (d.sim_dt_s > 0.0)
    return d.sim_dt_s;
  double dt = 1e-3;
  for (const auto& e : d.events) {
    if (e.kind != EventKind::kBurst)
      continue;
    for (const auto& l : d.loads) {
      if (l.name == e.target && l.burst)
        dt = std::min(dt, l.burst->width_s / 50.0);
    }
  }
  return dt;
}

double timeline_end_s(const Design& d) {
  double t_end = 0.0;
  for (const auto& e : d.events)
    t_end = std::max(t_end, e.t_s + event_span_s(d, e));
  return t_end + d.sim_tail_s;
}

Conditions conditions_at(const Design& d, double t) {
  Conditions c;
  c.mode = d.usage.base_mode;
  for (const auto& e : d.events) {
    if (e.kind == EventKind::kBurst) {
      for (const auto& l : d.loads) {
        if (l.name != e.target || !l.burst)
          continue;
        const double since = t - e.t_s;
        const double span = std::max(e.duration_s, l.burst->width_s);
        const double phase = l.burst->period_s > 0.0 ? std::fmod(since, l.burst->period_s) : since;
        if (since >= 0.0 && since < span && phase < l.burst->width_s) {
          c.load_override_a[l.name] = l.burst->i_a;
        }
      }
    } else if (t >= e.t_s && t < e.t_s + e.duration_s) {
      c.off.insert(e.target);
      if (!e.mode.empty())
        c.mode = e.mode;
    }
  }
  return c;
}

std::vector<double> schedule_edges_s(const Design& d) {
  std::vector<double> edges;
  for (const auto& e : d.events) {
    edges.push_back(e.t_s);
    if (e.kind != EventKind::kBurst) {
      edges.push_back(e.t_s + e.duration_s);
      continue;
    }
    for (const auto& l : d.loads) {
      if (l.name != e.target || !l.burst)
        continue;
      const double span = std::max(e.duration_s, l.burst->width_s);
      const double period = l.burst->period_s > 0.0 ? l.burst->period_s : span;
      for (double start = 0.0; start < span; start += period) {
        edges.push_back(e.t_s + start);
        edges.push_back(e.t_s + std::min(start + l.burst->width_s, span));
      }
    }
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

namespace {

// The event schedule in index form: conditions_at() without strings or allocation.
class Schedule {
 public:
  Schedule(const Design& d, const detail::CompiledNetwork& cn) : d_(d) {
    base_mode_ = cn.mode_id(d.usage.base_mode);
    for (const auto& e : d.events) {
      Ev x{&e, cn.name_id(e.target), e.mode.empty() ? -1 : cn.mode_id(e.mode), {}};
      for (std::size_t j = 0; j < d.loads.size(); ++j) {
        if (d.loads[j].name == e.target && d.loads[j].burst)
          x.loads.emplace_back(j, cn.name_id(d.loads[j].name));
      }
      ev_.push_back(std::move(x));
    }
  }
  // Same arithmetic as conditions_at(); c must have been reset() by the compiled network.
  void at(double t, detail::StepConditions& c) const {
    c.mode = base_mode_;
    std::fill(c.has_override.begin(), c.has_override.end(), 0);
    std::fill(c.off.begin(), c.off.end(), 0);
    for (const Ev& x : ev_) {
      const Event& e = *x.e;
      if (e.kind == EventKind::kBurst) {
        for (const auto& [j, name] : x.loads) {
          const Load& l = d_.loads[j];
          const double since = t - e.t_s;
          const double span = std::max(e.duration_s, l.burst->width_s);
          const double phase =
              l.burst->period_s > 0.0 ? std::fmod(since, l.burst->period_s) : since;
          if (since >= 0.0 && since < span && phase < l.burst->width_s) {
            c.has_override[static_cast<std::size_t>(name)] = 1;
            c.load_override_a[static_cast<std::size_t>(name)] = l.burst->i_a;
          }
        }
      } else if (t >= e.t_s && t < e.t_s + e.duration_s) {
        c.off[static_cast<std::size_t>(x.target)] = 1;
        if (x.mode >= 0)
          c.mode = x.mode;
      }
    }
  }
  // Whether the mode, the absent sources/storage or the load overrides differ.
  static bool differ(const detail::StepConditions& a, const detail::StepConditions& b) {
    if (a.mode != b.mode || a.off != b.off || a.has_override != b.has_override)
      return true;
    for (std::size_t i = 0; i < a.has_override.size(); ++i) {
      if (a.has_override[i] != 0 && a.load_override_a[i] != b.load_override_a[i])
        return true;
    }
    return false;
  }

 private:
  struct Ev {
    const Event* e = nullptr;
    int target = -1;
    int mode = -1;
    std::vector<std::pair<std::size_t, int>> loads;  // burst: load index, load name id
  };
  const Design& d_;
  int base_mode_ = 0;
  std::vector<Ev> ev_;
};

}  // namespace

Timeline run_timeline(const Network& net) {
  const Design& d = net.design();
  detail::CompiledNetwork cn(net);
  const Schedule schedule(d, cn);
  const auto id = [&](const std::string& name) {
    return static_cast<std::size_t>(cn.name_id(name));
  };
  Timeline tl;
  tl.dt_s = timeline_dt_s(d);
  for (const auto& e : d.events)
    tl.events.emplace_back(e.t_s, fmt::format("{} {}", to_string(e.kind), e.target));
  const double t_end = timeline_end_s(d);
  const auto steps =
      std::min<std::size_t>(kMaxSteps, static_cast<std::size_t>(std::ceil(t_end / tl.dt_s)));
  const std::size_t every = std::max<std::size_t>(1, steps / kMaxPoints);

  // Plant state per name id (the first storage/rectifier of a name, as a map keyed by name).
  std::vector<std::optional<sim::Supercapacitor>> caps(cn.names());
  std::vector<std::optional<sim::BatteryCell>> cells(cn.names());
  std::vector<std::optional<sim::TransformerRectifier>> rects(cn.names());
  std::vector<std::size_t> cap_ids;
  std::vector<std::size_t> rect_ids;
  for (const auto& s : d.storage) {
    const std::size_t n = id(s.name);
    if (s.kind == StorageKind::kBattery) {
      const auto& p = sim::chemistry_profile(s.chemistry);
      sim::CellParams cp = sim::typical_cell_params(p, s.capacity_ah * s.parallel);
      cp.r0_ohm = Network::pack_r_ohm(s) / s.series;
      cp.r1_ohm = cp.r2_ohm = 0.0;  // the network applies R0; no slow dynamics in seconds
      if (!cells[n])
        cells[n].emplace(p, cp, s.soc_initial);
    } else if (!caps[n]) {
      sim::SupercapParams sp = sim::capacitor_tank_params(Network::bank_c_f(s), 0.0);
      caps[n].emplace(sp, net.storage_full_v(s));
      cap_ids.push_back(n);
    }
  }
  for (const auto& src : d.sources) {
    if (src.kind != SourceKind::kAcRectifier)
      continue;
    sim::TransformerRectifierParams rp;
    rp.v_mains_rms_v = src.v_v;
    rp.turns_ratio = 1.0;
    rp.f_mains_hz = src.f_hz;
    rp.r_winding_ohm = src.r_winding_ohm;
    rp.v_diode_forward_v = src.v_diode_v;
    rp.c_reservoir_f = src.c_reservoir_f.nominal;
    rp.v_cap_initial_v = Network::rectifier_peak_v(src, 1.0);
    const auto r = sim::TransformerRectifier::create(rp);
    const std::size_t n = id(src.name);
    if (r.ok() && !rects[n]) {
      rects[n] = r.value();
      rect_ids.push_back(n);
    }
  }
  for (const auto& rail : net.rail_order())
    tl.rails.push_back({rail, {}});
  for (auto& tr : tl.rails)
    tr.v.reserve(steps / every + 2);
  for (const auto& l : d.loads)
    tl.loads.push_back({l.name, 1e300, 0.0, false, false, -1.0});
  std::vector<double> rail_min(tl.rails.size(), 0.0);
  // Name and rail ids looked up once, not at every step.
  std::vector<std::size_t> load_id;
  std::vector<int> load_rail;
  for (const auto& l : d.loads) {
    load_id.push_back(id(l.name));
    load_rail.push_back(cn.rail_id(l.rail));
  }
  std::vector<std::size_t> storage_id;
  std::vector<int> storage_rail;
  for (const auto& st : d.storage) {
    storage_id.push_back(id(st.name));
    storage_rail.push_back(cn.rail_id(st.rail));
  }
  std::vector<std::size_t> source_id;
  for (const auto& src : d.sources)
    source_id.push_back(id(src.name));

  struct BurstIds {
    std::size_t storage = 0;
    std::vector<int> rails;  // rails of the storage of that name
  };
  std::vector<BurstIds> burst_ids;
  for (const auto& e : d.events) {
    if (e.kind != EventKind::kBurst)
      continue;
    for (const auto& st : d.storage) {
      if (st.kind == StorageKind::kBattery)
        continue;
      tl.bursts.push_back({e.target, st.name, e.t_s, event_span_s(d, e), -1.0, 1e300});
      BurstIds b{id(st.name), {}};
      for (const auto& other : d.storage) {
        if (other.name == st.name)
          b.rails.push_back(cn.rail_id(other.rail));
      }
      burst_ids.push_back(std::move(b));
    }
  }
  // The storage and rectifier state into the conditions of a solve.
  const auto with_state = [&](detail::StepConditions& c) {
    for (const std::size_t n : cap_ids)
      c.storage_v[n] = caps[n]->v_cap_v();
    for (std::size_t j = 0; j < d.storage.size(); ++j) {
      const std::size_t n = storage_id[j];
      if (cells[n])
        c.storage_v[n] = cells[n]->ocv_v(25.0) * d.storage[j].series;
    }
    for (const std::size_t n : rect_ids) {
      c.has_source_v[n] = 1;
      c.source_v[n] = rects[n]->v_cap_v();
    }
  };
  bool first_observation = true;
  const auto observe = [&](const detail::StepSolution& s, const detail::StepConditions& c,
                           double t) {
    for (std::size_t r = 0; r < rail_min.size(); ++r) {
      const double v = s.rail_v[r];
      rail_min[r] = first_observation ? v : std::min(rail_min[r], v);
    }
    first_observation = false;
    for (std::size_t j = 0; j < d.loads.size(); ++j) {
      const Load& l = d.loads[j];
      bool listed = false;
      const double i_mode = cn.load_mode_i_a(j, c.mode, &listed);
      if (!listed)
        (void)l.mode_i_a.at(cn.mode_name(c.mode));  // throws, as a missing mode does
      const bool draws = s.load_i_a[load_id[j]] > 0.0 || i_mode > 0.0;
      if (!draws)
        continue;
      LoadMargin& m = tl.loads[j];
      m.checked = true;
      const double v = s.v(load_rail[j]);
      m.v_min_seen_v = std::min(m.v_min_seen_v, v);
      if ((v < l.v_min_v || v <= 0.0) && !m.browned_out) {
        m.browned_out = true;
        m.t_brownout_s = t;
      }
    }
    for (std::size_t k = 0; k < tl.bursts.size(); ++k) {
      BurstTrace& b = tl.bursts[k];
      const double eps = 1e-6 * tl.dt_s;
      if (t < b.t_s - eps || t > b.t_s + b.span_s + eps)
        continue;
      if (b.v_start_v < 0.0)
        b.v_start_v = c.storage_v[burst_ids[k].storage];
      for (const int r : burst_ids[k].rails)
        b.v_min_v = std::min(b.v_min_v, s.v(r));
    }
  };
  // Conditions are taken just after the step's time, so an event edge that falls on a step
  // belongs to the step it starts (float rounding of k dt does not move it a step).
  const double t_eps = 1e-6 * tl.dt_s;
  detail::StepConditions c;
  detail::StepConditions next;
  cn.reset(c);
  cn.reset(next);
  schedule.at(t_eps, next);
  for (std::size_t k = 0; k <= steps; ++k) {
    const double t = static_cast<double>(k) * tl.dt_s;
    // This step's conditions are the previous step's look-ahead (same time, same result).
    std::swap(c, next);
    for (const std::size_t n : rect_ids) {
      if (c.off[n] != 0)
        rects[n]->set_mains_rms(0.0);
      for (std::size_t j = 0; j < d.sources.size(); ++j) {
        if (source_id[j] == n && c.off[n] == 0)
          rects[n]->set_mains_rms(d.sources[j].v_v);
      }
    }
    with_state(c);
    const detail::StepSolution& s = cn.solve(c);
    if (k % every == 0) {
      tl.t_s.push_back(t);
      for (std::size_t r = 0; r < tl.rails.size(); ++r)
        tl.rails[r].v.push_back(s.rail_v[r]);
    }
    observe(s, c, t);
    for (std::size_t j = 0; j < d.storage.size(); ++j) {
      const Storage& st = d.storage[j];
      const std::size_t n = storage_id[j];
      if (c.off[n] != 0)
        continue;
      double i_out = s.storage_i_a[n];
      const int rail = storage_rail[j];
      const bool supplies = s.supplier[static_cast<std::size_t>(rail)] == static_cast<int>(n);
      if (caps[n]) {
        auto& cap = *caps[n];
        if (!supplies && i_out <= 0.0 && s.v(rail) > cap.v_cap_v()) {
          const double r = std::max(Network::bank_esr_ohm(st), 0.05);
          i_out = -std::min(kChargeLimitA, (s.v(rail) - cap.v_cap_v()) / r);
        }
        cap.step(-i_out, tl.dt_s);
      } else if (cells[n]) {
        cells[n]->step(-i_out, tl.dt_s, 25.0);
      }
    }
    for (const std::size_t n : rect_ids)
      rects[n]->step(tl.dt_s, s.source_i_a[n]);
    // At an event edge the lowest voltages are reached just before it (the end of a burst):
    // the state at the next step under this step's conditions is observed too.
    const double t_next = static_cast<double>(k + 1) * tl.dt_s;
    schedule.at(t_next + t_eps, next);
    if (k < steps && Schedule::differ(next, c)) {
      with_state(c);
      observe(cn.solve(c), c, t_next);
    }
  }
  for (std::size_t r = 0; r < tl.rails.size(); ++r)
    tl.rail_min_v[tl.rails[r].rail] = rail_min[r];
  for (std::size_t j = 0; j < d.loads.size(); ++j) {
    LoadMargin& m = tl.loads[j];
    if (!m.checked)
      m.v_min_seen_v = 0.0;
    m.margin_v = m.v_min_seen_v - d.loads[j].v_min_v;
  }
  return tl;
}

}  // namespace powerstack::design
