// Time-domain check: the design's events (bursts, drop-outs, battery swaps) run through the
// plant models (sim/models: capacitor banks and battery cells with their ESR and internal
// resistance, the KNX bus source, the transformer-rectifier in the time domain) with the
// network's converters and loads solved at each step. Reports every rail's voltage over time,
// each load's lowest margin above its brown-out level, and the loads that browned out.
#pragma once

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

struct Timeline {
  double dt_s = 0.0;
  std::vector<double> t_s;
  std::vector<RailTrace> rails;
  std::vector<LoadMargin> loads;
  std::vector<std::pair<double, std::string>> events;  // time, label
};

Timeline run_timeline(const Network& net);

}  // namespace powerstack::design
