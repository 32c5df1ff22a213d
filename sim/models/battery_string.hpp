// N equivalent-circuit cells in series with a seeded cell-to-cell spread and per-cell bleed
// (balancing) currents.
//
// Sign convention: the string current i_a is positive INTO the string (charging). A bleed
// current bleed_a[k] is drawn OUT of cell k by its balancer (>= 0 when balancing), so cell k
// carries i_a - bleed_a[k]; the string terminals carry i_a.
//
// Spread: cell k draws from SimRandom(seed).fork(k) in a fixed order (capacity, initial SOC,
// R0), so the same seed gives the same cells bit for bit. Capacity and R0 are scaled by
// (1 + sigma_rel * z), held at >= kMinSpreadFactor; the initial SOC is
// initial_soc + soc_sigma * z clamped to [0, 1].
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/models/battery_cell.hpp"

namespace powerstack::sim {

inline constexpr double kMinSpreadFactor = 0.1;

struct CellSpread {
  double capacity_sigma_rel = 0.0;  // sigma of capacity / nominal capacity
  double soc_sigma = 0.0;           // sigma of the initial SOC (SOC units, 0.01 = 1 %)
  double r0_sigma_rel = 0.0;        // sigma of R0 / nominal R0
};

struct StringParams {
  std::size_t n_cells = 1;
  CellParams cell;  // nominal cell
  double initial_soc = 0.5;
  CellSpread spread;
  std::uint64_t seed = 0;
};

class BatteryString {
 public:
  BatteryString(const ChemistryProfile& profile, const StringParams& params);

  // Advances every cell by dt_s with string current i_a at temperature t_c. bleed_a is empty
  // (no balancing) or has one entry per cell; any other size returns false and changes
  // nothing. Returns true when the step was taken.
  bool step(double i_a, double dt_s, double t_c, std::span<const double> bleed_a = {});

  // Sum of the cell terminal voltages (each with its own current i_a - bleed_a[k]).
  // NaN when bleed_a has a size other than 0 or size().
  [[nodiscard]] double terminal_voltage_v(double i_a, double t_c,
                                          std::span<const double> bleed_a = {}) const;

  // Terminal voltage of cell k carrying i_a - bleed_a.
  [[nodiscard]] double cell_voltage_v(std::size_t k, double i_a, double t_c,
                                      double bleed_a = 0.0) const;

  // All cell voltages (empty when bleed_a has a size other than 0 or size()).
  [[nodiscard]] std::vector<double> cell_voltages_v(double i_a, double t_c,
                                                    std::span<const double> bleed_a = {}) const;

  [[nodiscard]] std::size_t size() const { return cells_.size(); }
  [[nodiscard]] const BatteryCell& cell(std::size_t k) const { return cells_[k]; }
  BatteryCell& cell(std::size_t k) { return cells_[k]; }
  [[nodiscard]] const std::vector<BatteryCell>& cells() const { return cells_; }

  // OR of the cells' sticky flags.
  [[nodiscard]] CellFlags flags() const;
  // Lowest / highest cell SOC (+inf / -inf for an empty string).
  [[nodiscard]] double min_soc() const;
  [[nodiscard]] double max_soc() const;

 private:
  std::vector<BatteryCell> cells_;
};

}  // namespace powerstack::sim
