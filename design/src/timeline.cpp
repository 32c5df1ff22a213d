#include "powerstack/design/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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

Timeline run_timeline(const Network& net) {
  const Design& d = net.design();
  Timeline tl;
  tl.dt_s = timeline_dt_s(d);
  for (const auto& e : d.events)
    tl.events.emplace_back(e.t_s, fmt::format("{} {}", to_string(e.kind), e.target));
  const double t_end = timeline_end_s(d);
  const auto steps =
      std::min<std::size_t>(kMaxSteps, static_cast<std::size_t>(std::ceil(t_end / tl.dt_s)));
  const std::size_t every = std::max<std::size_t>(1, steps / kMaxPoints);

  std::map<std::string, sim::Supercapacitor> caps;
  std::map<std::string, sim::BatteryCell> cells;
  std::map<std::string, sim::TransformerRectifier> rects;
  for (const auto& s : d.storage) {
    if (s.kind == StorageKind::kBattery) {
      const auto& p = sim::chemistry_profile(s.chemistry);
      sim::CellParams cp = sim::typical_cell_params(p, s.capacity_ah * s.parallel);
      cp.r0_ohm = Network::pack_r_ohm(s) / s.series;
      cp.r1_ohm = cp.r2_ohm = 0.0;  // the network applies R0; no slow dynamics in seconds
      cells.emplace(s.name, sim::BatteryCell(p, cp, s.soc_initial));
    } else {
      sim::SupercapParams sp = sim::capacitor_tank_params(Network::bank_c_f(s), 0.0);
      caps.emplace(s.name, sim::Supercapacitor(sp, net.storage_full_v(s)));
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
    if (r.ok())
      rects.emplace(src.name, r.value());
  }
  for (const auto& rail : net.rail_order())
    tl.rails.push_back({rail, {}});
  for (const auto& l : d.loads)
    tl.loads.push_back({l.name, 1e300, 0.0, false, false, -1.0});

  for (const auto& e : d.events) {
    if (e.kind != EventKind::kBurst)
      continue;
    for (const auto& st : d.storage) {
      if (st.kind != StorageKind::kBattery)
        tl.bursts.push_back({e.target, st.name, e.t_s, event_span_s(d, e), -1.0, 1e300});
    }
  }
  // The storage and rectifier state into the conditions of a solve.
  const auto with_state = [&](Conditions& c) {
    for (const auto& [name, cap] : caps)
      c.storage_v[name] = cap.v_cap_v();
    for (const auto& s : d.storage) {
      if (cells.contains(s.name))
        c.storage_v[s.name] = cells.at(s.name).ocv_v(25.0) * s.series;
    }
    for (auto& [name, r] : rects)
      c.source_v[name] = r.v_cap_v();
  };
  const auto observe = [&](const Solution& s, const Conditions& c, double t) {
    for (const auto& tr : tl.rails) {
      const auto [it, fresh] = tl.rail_min_v.try_emplace(tr.rail, s.v(tr.rail));
      if (!fresh)
        it->second = std::min(it->second, s.v(tr.rail));
    }
    for (std::size_t j = 0; j < d.loads.size(); ++j) {
      const Load& l = d.loads[j];
      const auto it = s.load_i_a.find(l.name);
      const bool draws =
          (it != s.load_i_a.end() && it->second > 0.0) || l.mode_i_a.at(c.mode) > 0.0;
      if (!draws)
        continue;
      LoadMargin& m = tl.loads[j];
      m.checked = true;
      const double v = s.v(l.rail);
      m.v_min_seen_v = std::min(m.v_min_seen_v, v);
      if ((v < l.v_min_v || v <= 0.0) && !m.browned_out) {
        m.browned_out = true;
        m.t_brownout_s = t;
      }
    }
    for (auto& b : tl.bursts) {
      const double eps = 1e-6 * tl.dt_s;
      if (t < b.t_s - eps || t > b.t_s + b.span_s + eps)
        continue;
      if (b.v_start_v < 0.0)
        b.v_start_v = c.storage_v.at(b.storage);
      for (const auto& st : d.storage) {
        if (st.name == b.storage)
          b.v_min_v = std::min(b.v_min_v, s.v(st.rail));
      }
    }
  };
  // Conditions are taken just after the step's time, so an event edge that falls on a step
  // belongs to the step it starts (float rounding of k dt does not move it a step).
  const double t_eps = 1e-6 * tl.dt_s;
  for (std::size_t k = 0; k <= steps; ++k) {
    const double t = static_cast<double>(k) * tl.dt_s;
    Conditions c = conditions_at(d, t + t_eps);
    for (auto& [name, r] : rects) {
      if (c.off.contains(name))
        r.set_mains_rms(0.0);
      for (const auto& src : d.sources) {
        if (src.name == name && !c.off.contains(name))
          r.set_mains_rms(src.v_v);
      }
    }
    with_state(c);
    const Solution s = net.solve(c);
    if (k % every == 0) {
      tl.t_s.push_back(t);
      for (auto& tr : tl.rails)
        tr.v.push_back(s.v(tr.rail));
    }
    observe(s, c, t);
    for (const auto& st : d.storage) {
      if (c.off.contains(st.name))
        continue;
      const auto it = s.storage_i_a.find(st.name);
      double i_out = it == s.storage_i_a.end() ? 0.0 : it->second;
      const auto sup = s.supplier.find(st.rail);
      const bool supplies = sup != s.supplier.end() && sup->second == st.name;
      if (caps.contains(st.name)) {
        auto& cap = caps.at(st.name);
        if (!supplies && i_out <= 0.0 && s.v(st.rail) > cap.v_cap_v()) {
          const double r = std::max(Network::bank_esr_ohm(st), 0.05);
          i_out = -std::min(kChargeLimitA, (s.v(st.rail) - cap.v_cap_v()) / r);
        }
        cap.step(-i_out, tl.dt_s);
      } else if (cells.contains(st.name)) {
        cells.at(st.name).step(-i_out, tl.dt_s, 25.0);
      }
    }
    for (auto& [name, r] : rects) {
      const auto it = s.source_i_a.find(name);
      r.step(tl.dt_s, it == s.source_i_a.end() ? 0.0 : it->second);
    }
    // At an event edge the lowest voltages are reached just before it (the end of a burst):
    // the state at the next step under this step's conditions is observed too.
    const double t_next = static_cast<double>(k + 1) * tl.dt_s;
    const Conditions next = conditions_at(d, t_next + t_eps);
    if (k < steps &&
        (next.mode != c.mode || next.off != c.off || next.load_override_a != c.load_override_a)) {
      Conditions left = c;
      with_state(left);
      observe(net.solve(left), left, t_next);
    }
  }
  for (std::size_t j = 0; j < d.loads.size(); ++j) {
    LoadMargin& m = tl.loads[j];
    if (!m.checked)
      m.v_min_seen_v = 0.0;
    m.margin_v = m.v_min_seen_v - d.loads[j].v_min_v;
  }
  return tl;
}

}  // namespace powerstack::design
