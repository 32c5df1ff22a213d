// Time-domain check: the design's events (bursts, drop-outs, battery swaps) run through the
// plant models (sim/models: capacitor banks and battery cells with their ESR and internal
// resistance, the KNX bus source, the transformer-rectifier in the time domain) with the
// network's converters and loads solved at each step. Reports every rail's voltage over time,
// each load's lowest margin above its brown-out level, and the loads that browned out.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "powerstack/design/network.hpp"

namespace powerstack::design {

struct RailTrace {
  std::string rail;
  std::vector<double> v;
};

struct LoadMargin {
  std::string load;
  double v_min_seen_v = 0.0;
  double margin_v = 0.0;  // v_min_seen - v_min (negative: browned out)
  bool browned_out = false;
  bool checked = false;        // false: the load drew nothing during the run
  double t_brownout_s = -1.0;  // first time below v_min
};

// A burst event seen from one capacitor bank: its voltage when the burst starts and the lowest
// voltage of its rail until the burst (train) ends; drop = v_start - v_min.
struct BurstTrace {
  std::string load;
  std::string storage;
  double t_s = 0.0;
  double span_s = 0.0;
  double v_start_v = -1.0;
  double v_min_v = 0.0;
};

struct Timeline {
  double dt_s = 0.0;
  std::vector<double> t_s;
  std::vector<RailTrace> rails;
  std::vector<LoadMargin> loads;
  std::vector<std::pair<double, std::string>> events;  // time, label
  std::map<std::string, double> rail_min_v;            // every rail's lowest voltage
  std::vector<BurstTrace> bursts;
};

Timeline run_timeline(const Network& net);

// The event schedule the time-domain check runs (also written into SPICE netlists, so both
// see the same events): the fixed step, the end time, the mode, burst currents and absent
// sources/storage at time t, and the times at which any of them changes.
double timeline_dt_s(const Design& d);
double timeline_end_s(const Design& d);
Conditions conditions_at(const Design& d, double t_s);
std::vector<double> schedule_edges_s(const Design& d);

}  // namespace powerstack::design
