#include "sim/models/battery_string.hpp"

#include <algorithm>
#include <limits>

#include "sim/engine/random.hpp"

namespace powerstack::sim {

namespace {

bool bleed_size_ok(std::span<const double> bleed_a, std::size_t n) {
  return bleed_a.empty() || bleed_a.size() == n;
}

double bleed_of(std::span<const double> bleed_a, std::size_t k) {
  return bleed_a.empty() ? 0.0 : bleed_a[k];
}

}  // namespace

BatteryString::BatteryString(const ChemistryProfile& profile, const StringParams& params) {
  cells_.reserve(params.n_cells);
  SimRandom rng(params.seed);
  for (std::size_t k = 0; k < params.n_cells; ++k) {
    SimRandom cell_rng = rng.fork(k);
    // Always three draws in this order, whatever the sigmas, so streams stay aligned.
    const double z_capacity = cell_rng.normal();
    const double z_soc = cell_rng.normal();
    const double z_r0 = cell_rng.normal();
    CellParams p = params.cell;
    p.capacity_ah *=
        std::max(1.0 + params.spread.capacity_sigma_rel * z_capacity, kMinSpreadFactor);
    p.r0_ohm *= std::max(1.0 + params.spread.r0_sigma_rel * z_r0, kMinSpreadFactor);
    const double soc = params.initial_soc + params.spread.soc_sigma * z_soc;
    cells_.emplace_back(profile, p, soc);
  }
}

bool BatteryString::step(double i_a, double dt_s, double t_c, std::span<const double> bleed_a) {
  if (!bleed_size_ok(bleed_a, cells_.size())) {
    return false;
  }
  for (std::size_t k = 0; k < cells_.size(); ++k) {
    cells_[k].step(i_a - bleed_of(bleed_a, k), dt_s, t_c);
  }
  return true;
}

double BatteryString::cell_voltage_v(std::size_t k, double i_a, double t_c, double bleed_a) const {
  return cells_[k].terminal_voltage_v(i_a - bleed_a, t_c);
}

double BatteryString::terminal_voltage_v(double i_a, double t_c,
                                         std::span<const double> bleed_a) const {
  if (!bleed_size_ok(bleed_a, cells_.size())) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double v = 0.0;
  for (std::size_t k = 0; k < cells_.size(); ++k) {
    v += cell_voltage_v(k, i_a, t_c, bleed_of(bleed_a, k));
  }
  return v;
}

std::vector<double> BatteryString::cell_voltages_v(double i_a, double t_c,
                                                   std::span<const double> bleed_a) const {
  std::vector<double> v;
  if (!bleed_size_ok(bleed_a, cells_.size())) {
    return v;
  }
  v.reserve(cells_.size());
  for (std::size_t k = 0; k < cells_.size(); ++k) {
    v.push_back(cell_voltage_v(k, i_a, t_c, bleed_of(bleed_a, k)));
  }
  return v;
}

CellFlags BatteryString::flags() const {
  CellFlags f;
  for (const BatteryCell& c : cells_) {
    f.over_charge = f.over_charge || c.flags().over_charge;
    f.over_discharge = f.over_discharge || c.flags().over_discharge;
  }
  return f;
}

double BatteryString::min_soc() const {
  double s = std::numeric_limits<double>::infinity();
  for (const BatteryCell& c : cells_) {
    s = std::min(s, c.soc());
  }
  return s;
}

double BatteryString::max_soc() const {
  double s = -std::numeric_limits<double>::infinity();
  for (const BatteryCell& c : cells_) {
    s = std::max(s, c.soc());
  }
  return s;
}

}  // namespace powerstack::sim
