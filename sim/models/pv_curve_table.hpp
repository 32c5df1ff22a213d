// PvCurveTable: a PV string's I-V curve tabulated once per operating condition, so a plant
// can evaluate I(V) and dI/dV in ~50 ns instead of solving the string (~15-35 us).
//
// Points: N evenly spaced in current from -max(5 % Isc, 1 A) (beyond Voc) to the largest
// substring's Isc plus max(2 %, 1 A) (the bypass diodes conducting), and N evenly spaced in
// voltage over the same span (at least 0 to 1.05 Voc), merged and ordered by voltage. The mixed spacing keeps the piecewise-linear
// curve close both on the flat current-source side and on the steep side near Voc; the
// accuracy against the exact string is measured in tests/sim/test_pv_curve_table.cpp.
// Outside the table the end segments are extended linearly. Sign convention as PvString.
#pragma once

#include <vector>

#include "sim/models/pv_string.hpp"

namespace powerstack::sim {

class PvCurveTable {
 public:
  PvCurveTable() = default;
  PvCurveTable(const PvString& pv, int points_per_axis);

  [[nodiscard]] bool empty() const { return v_.size() < 2; }
  // Current at terminal voltage v_v and the slope dI/dV (<= 0) of the segment it falls in.
  [[nodiscard]] double current_a(double v_v, double* slope_a_per_v = nullptr) const;
  [[nodiscard]] std::size_t size() const { return v_.size(); }

 private:
  std::vector<double> v_;  // ascending
  std::vector<double> i_;  // descending
};

}  // namespace powerstack::sim
