// ngspice netlist of a design's circuit (docs/design-spice.md): every part as the behavioural
// element the network (network.hpp) and the time-domain check (timeline.hpp) assume, the
// scenario's events as PWL controls, a `.tran` over the same span as the time-domain check
// and `.meas` statements for the figures we compute (hold-up time, burst drop, rail minima).
//
// A scenario is one of: the design's own events (default), one of them (`event`), or the
// hold-up of one storage (`holdup`: the ride-through sources and the other capacitor banks gone
// from t = 0 in the ride mode, run until a load browns out). The scenario is returned as a
// Design too, so run_timeline() can run exactly what the netlist runs.
#pragma once

#include <string>
#include <vector>

#include "powerstack/design/design.hpp"

namespace powerstack::design {

struct SpiceOptions {
  std::string event;   // "" = all events; else an event's 1-based number or its target's name
  std::string holdup;  // a capacitor bank: export its hold-up scenario instead of the events
};

// What a `.meas` measures, so a reader can compare it with our figure.
enum class MeasureKind {
  kRailMin,  // lowest voltage of `rail` over the run (figure: the timeline's rail minimum)
  kDrop,     // v_ref_v minus the lowest voltage of `rail` during a burst (burst.<L>.<S>.drop_v)
  kHoldUp,   // first time `rail` falls below v_ref_v (holdup.<S>.s); several rails: the earliest
};

struct SpiceMeasure {
  std::string name;  // the .meas name (lower case, as ngspice prints it)
  MeasureKind kind = MeasureKind::kRailMin;
  std::string rail;
  std::string figure;     // our figure's name, e.g. holdup.SC.s
  double v_ref_v = 0.0;   // kHoldUp: the brown-out threshold
  std::string storage;    // kDrop: the bank (its capacitance node gives the start voltage)
  double t_from_s = 0.0;  // kDrop: the burst's start and end
  double t_to_s = 0.0;
};

struct SpiceExport {
  std::string error;  // non-empty: the design (or the option) cannot be exported, and why
  std::string netlist;
  Design scenario;  // the design with the scenario's events (run_timeline of it = the netlist)
  double t_stop_s = 0.0;
  std::vector<SpiceMeasure> measures;
};

SpiceExport export_spice(const Design& d, const SpiceOptions& options = {});

// ngspice node name of a rail (lower case, [a-z0-9_]).
std::string spice_node(const std::string& rail);

}  // namespace powerstack::design
