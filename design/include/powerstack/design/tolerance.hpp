// Tolerances: a seeded Monte Carlo over the parts' tolerances (resistors, capacitors, battery
// capacity, converter output voltages), each value uniform within +-tolerance, recomputing the
// key figures: divider ADC voltages and trip points, hold-up times, burst drops, runtimes.
// The seed comes from the design file ([montecarlo] seed), so a run is reproducible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "powerstack/design/design.hpp"

namespace powerstack::design {

struct Distribution {
  double nominal = 0.0;
  double min = 0.0;
  double p05 = 0.0;
  double median = 0.0;
  double p95 = 0.0;
  double max = 0.0;
};

struct ToleranceResult {
  int runs = 0;
  std::uint64_t seed = 0;
  std::map<std::string, Distribution> figures;
};

// Figures whose names match the key prefixes (divider., comparator., holdup., burst., runtime.,
// rc.) and that differ between runs.
ToleranceResult run_tolerance(const Design& d);
// The design with every toleranced value drawn once (exposed for tests).
Design perturbed(const Design& d, std::uint64_t seed, int run);

}  // namespace powerstack::design
