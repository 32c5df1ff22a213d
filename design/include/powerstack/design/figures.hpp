// The design's computed figures, as a flat map of named numbers (the names are stable: the
// JSON output, the claims and the tests use them; docs/design-workbench.md lists them):
//   budget.<mode>.in_w / loads_w / efficiency, budget.<mode>.<source|storage>.i_a / p_w,
//   budget.<mode>.loads.<rail>.i_a, budget.<mode>.rail.<rail>.v
//   storage.<S>.c_f / v_rated_v / esr_ohm / v_full_v / energy_j / usable_j
//   holdup.<S>.s / v_end_v, runtime.<S>.<mode>.h
//   burst.<L>.p_w / rail_min_v, burst.<L>.<S>.energy_j / drop_v
//   divider.<D>.ratio / v_adc_min_v / v_adc_max_v / i_a / r_source_ohm / tau_s,
//   divider.<D>.point.<label>.v_adc_v
//   comparator.<C>.v_rise_v / v_fall_v / hysteresis_v
//   rc.<S>.tau_s / retention_s
//   day.loads_wh, day.<S>.wh, autonomy.<S>.days, solar.<src>.wh_per_day / ratio, bom.cost_eur
#pragma once

#include <limits>
#include <map>
#include <string>

#include "powerstack/design/design.hpp"
#include "powerstack/design/network.hpp"

namespace powerstack::design {

using Figures = std::map<std::string, double>;

inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

struct HoldUp {
  double t_s = 0.0;      // kUnlimited if the storage is never drawn
  double v_end_v = 0.0;  // storage voltage when the first load browns out (or it is empty)
  std::string ended_by;  // the load that browned out, or "empty"
};

// The sources that drop out in a ride-through: those named by dropout events, all of them
// if the design has no dropout event.
std::set<std::string> ride_through_off(const Design& d);

// Discharges one storage quasi-statically in `mode` with `off` sources absent, until a load
// browns out (its rail below v_min) or the storage is empty.
HoldUp hold_up(const Network& net, const Storage& s, const std::string& mode,
               const std::set<std::string>& off);

struct BurstDrop {
  double energy_j = 0.0;    // drawn from the storage during the burst
  double drop_v = 0.0;      // storage voltage drop plus the ESR step
  double rail_min_v = 0.0;  // the bursting load's rail at the end of the burst
};
BurstDrop burst_drop(const Network& net, const Load& l, const Storage& s);

// Rising and falling trip points of a comparator with hysteresis on the sensed rail.
struct ComparatorTrips {
  double v_rise_v = 0.0;
  double v_fall_v = 0.0;
};
ComparatorTrips comparator_trips(const Comparator& c, double v_supply_v, double r_in_ohm,
                                 double r_hyst_ohm);

double bom_cost_eur(const Design& d);

Figures compute_figures(const Network& net);

}  // namespace powerstack::design
