#include "sim/models/pv_curve_table.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace powerstack::sim {

PvCurveTable::PvCurveTable(const PvString& pv, int points_per_axis) {
  if (!pv.valid() || points_per_axis < 2) {
    return;
  }
  double isc_max = 0.0;
  for (std::size_t k = 0; k < pv.size(); ++k) {
    isc_max = std::max(isc_max, pv_isc_a(pv.substring(k).pv));
  }
  const double voc = pv.voc_v();
  // At least 1 A beyond both ends, so a dark or dim string still has its blocking side
  // (current into the panel above Voc) and its bypass-diode clamp (below 0 V) in the table:
  // linear extrapolation of a tiny dark curve would let the input node run far negative.
  const double i_lo = -std::max(0.05 * isc_max, 1.0);
  const double i_hi = isc_max + std::max(0.02 * isc_max, 1.0);
  std::vector<std::pair<double, double>> pts;
  pts.reserve(2U * static_cast<std::size_t>(points_per_axis));
  const double n = points_per_axis - 1;
  double i_hint = std::nan("");
  for (int k = 0; k < points_per_axis; ++k) {
    const double i = i_lo + (i_hi - i_lo) * k / n;
    pts.emplace_back(pv.voltage_v(i), i);
  }
  // The voltage axis spans the whole current range: from the bypass-clamped end to the
  // blocking end (a dark string's Voc is 0, its curve still runs to tens of volts).
  const double v_bottom = std::min(0.0, pts.back().first);
  const double v_top = std::max(1.05 * voc, pts.front().first);
  for (int k = 0; k < points_per_axis; ++k) {
    const double v = v_bottom + (v_top - v_bottom) * k / n;
    const double i = pv.current_a(v, i_hint);
    i_hint = i;
    pts.emplace_back(v, i);
  }
  std::sort(pts.begin(), pts.end());
  for (const auto& [v, i] : pts) {
    // Keep the curve strictly monotone: drop points that do not advance in V or fall in I.
    if (!std::isfinite(v) || !std::isfinite(i)) {
      continue;
    }
    if (!v_.empty() && (v <= v_.back() + 1e-12 || i >= i_.back())) {
      continue;
    }
    v_.push_back(v);
    i_.push_back(i);
  }
}

double PvCurveTable::current_a(double v_v, double* slope_a_per_v) const {
  if (empty()) {
    if (slope_a_per_v != nullptr) {
      *slope_a_per_v = 0.0;
    }
    return 0.0;
  }
  auto it = std::upper_bound(v_.begin(), v_.end(), v_v);
  std::size_t hi = static_cast<std::size_t>(it - v_.begin());
  hi = std::clamp<std::size_t>(hi, 1, v_.size() - 1);
  const std::size_t lo = hi - 1;
  const double slope = (i_[hi] - i_[lo]) / (v_[hi] - v_[lo]);
  if (slope_a_per_v != nullptr) {
    *slope_a_per_v = slope;
  }
  return i_[lo] + slope * (v_v - v_[lo]);
}

}  // namespace powerstack::sim
