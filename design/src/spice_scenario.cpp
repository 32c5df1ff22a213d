// The scenario a SPICE netlist runs (the design's events, one of them, or a storage's hold-up)
// and the `.meas` statements that go with it. docs/design-spice.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "powerstack/design/figures.hpp"
#include "powerstack/design/timeline.hpp"
#include "spice_detail.hpp"

namespace powerstack::design {

namespace {

// Rails with loads that draw in `mode`, each with the highest brown-out level of those loads
// (a rail without one browns out at 0 V; 10 mV stands for it).
std::map<std::string, double> load_rails(const Design& d, const std::string& mode) {
  std::map<std::string, double> rails;
  for (const auto& l : d.loads) {
    const auto it = l.mode_i_a.find(mode);
    if (it == l.mode_i_a.end() || it->second <= 0.0)
      continue;
    double& thr = rails[l.rail];
    thr = std::max({thr, l.v_min_v, 0.01});
  }
  return rails;
}

std::string holdup_scenario(const Design& d, const std::string& name, Design& out,
                            std::vector<SpiceMeasure>& measures) {
  const Storage* st = nullptr;
  for (const auto& s : d.storage) {
    if (s.name == name)
      st = &s;
  }
  if (st == nullptr)
    return fmt::format("--holdup: no storage named '{}'", name);
  if (st->kind == StorageKind::kBattery) {
    return fmt::format(
        "--holdup: '{}' is a battery; its hold-up is the runtime figure (hours on the OCV "
        "table), which is not exported",
        name);
  }
  const Network net(d);
  const HoldUp h = hold_up(net, *st, d.usage.ride_mode, ride_through_off(d));
  if (std::isinf(h.t_s)) {
    return fmt::format("--holdup: '{}' is never drawn in the ride mode '{}': no hold-up to measure",
                       name, d.usage.ride_mode);
  }
  if (h.t_s <= 0.0) {
    return fmt::format("--holdup: load '{}' is browned out from the start: no hold-up to measure",
                       h.ended_by);
  }
  // The window: our figure with room to spare; ngspice's crossing must fall inside it.
  const double t_stop = 1.1 * h.t_s + 10.0 * timeline_dt_s(d);
  std::set<std::string> off = ride_through_off(d);
  for (const auto& s : d.storage) {
    if (s.kind != StorageKind::kBattery)
      off.insert(s.name);
  }
  off.erase(name);
  out.events.clear();
  for (const auto& target : off) {
    Event e;
    e.kind = EventKind::kDropout;
    for (const auto& s : d.storage) {
      if (s.name == target)
        e.kind = EventKind::kSwap;
    }
    e.target = target;
    e.duration_s = t_stop + timeline_dt_s(d);  // past the end: no edge inside the run
    e.mode = d.usage.ride_mode;
    out.events.push_back(e);
  }
  out.usage.base_mode = d.usage.ride_mode;
  out.sim_tail_s = out.events.empty() ? t_stop : 0.0;
  int k = 0;
  for (const auto& [rail, thr] : load_rails(d, d.usage.ride_mode)) {
    measures.push_back({fmt::format("holdup_{}", ++k), MeasureKind::kHoldUp, rail,
                        "holdup." + name + ".s", thr, "", 0.0, 0.0});
  }
  if (measures.empty())
    return fmt::format("--holdup: no load draws in the ride mode '{}'", d.usage.ride_mode);
  return "";
}

std::string pick_event(const Design& d, const std::string& which, Design& out) {
  std::vector<Event> picked;
  const bool number = !which.empty() && std::all_of(which.begin(), which.end(),
                                                    [](char ch) { return ch >= '0' && ch <= '9'; });
  if (number) {
    const auto n = std::stoul(which.substr(0, 6));
    if (n >= 1 && n <= d.events.size())
      picked.push_back(d.events[n - 1]);
  } else {
    for (const auto& e : d.events) {
      if (e.target == which)
        picked.push_back(e);
    }
  }
  if (picked.size() > 1) {
    return fmt::format("--event: {} events act on '{}'; name one by its number (1..{})",
                       picked.size(), which, d.events.size());
  }
  if (picked.empty()) {
    return fmt::format(
        "--event: no event '{}' (give a number 1..{} or the name of the "
        "event's source, storage or load)",
        which, d.events.size());
  }
  out.events = picked;
  return "";
}

}  // namespace

std::string make_scenario(const Design& d, const SpiceOptions& o, Design& out,
                          std::vector<SpiceMeasure>& measures) {
  out = d;
  measures.clear();
  if (!o.holdup.empty()) {
    if (!o.event.empty())
      return "--event and --holdup exclude each other";
    return holdup_scenario(d, o.holdup, out, measures);
  }
  if (!o.event.empty()) {
    if (const std::string err = pick_event(d, o.event, out); !err.empty())
      return err;
  }
  // Rail minima of rails a load draws from all the time (a rail nothing draws from while
  // nothing drives it floats in a circuit; the network calls it 0 V).
  std::map<std::string, int> drawn;
  std::vector<double> cuts = schedule_edges_s(out);
  cuts.push_back(0.0);
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(timeline_end_s(out) + 1.0);
  int segments = 0;
  for (std::size_t j = 0; j + 1 < cuts.size(); ++j) {
    if (cuts[j + 1] <= cuts[j])
      continue;
    ++segments;
    const Conditions c = conditions_at(out, (cuts[j] + cuts[j + 1]) / 2.0);
    std::set<std::string> rails;
    for (const auto& l : out.loads) {
      const auto ov = c.load_override_a.find(l.name);
      const auto m = l.mode_i_a.find(c.mode);
      const double i = ov != c.load_override_a.end() ? ov->second
                       : m != l.mode_i_a.end()       ? m->second
                                                     : 0.0;
      if (i > 0.0)
        rails.insert(l.rail);
    }
    for (const auto& r : rails)
      ++drawn[r];
  }
  int k = 0;
  for (const auto& [rail, n] : drawn) {
    if (n != segments)
      continue;
    measures.push_back({fmt::format("vmin_{}", ++k), MeasureKind::kRailMin, rail,
                        "rail." + rail + ".v_min_v", 0.0, "", 0.0, 0.0});
  }
  k = 0;
  for (const auto& e : out.events) {
    if (e.kind != EventKind::kBurst)
      continue;
    for (const auto& st : out.storage) {
      if (st.kind == StorageKind::kBattery)
        continue;
      double t_to = e.t_s;
      for (const auto& l : out.loads) {
        if (l.name == e.target && l.burst)
          t_to = e.t_s + std::max(e.duration_s, l.burst->width_s);
      }
      measures.push_back({fmt::format("drop_{}", ++k), MeasureKind::kDrop, st.rail,
                          "burst." + e.target + "." + st.name + ".drop_v", 0.0, st.name, e.t_s,
                          t_to});
    }
  }
  return "";
}

}  // namespace powerstack::design
