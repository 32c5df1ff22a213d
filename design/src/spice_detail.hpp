// Internals of the SPICE export shared by its two files.
#pragma once

#include <string>
#include <vector>

#include "powerstack/design/spice.hpp"

namespace powerstack::design {

// Fills `out` with the design running the scenario the options ask for, and `measures` with
// its `.meas` statements; returns an error ("" when fine).
std::string make_scenario(const Design& d, const SpiceOptions& o, Design& out,
                          std::vector<SpiceMeasure>& measures);

}  // namespace powerstack::design
