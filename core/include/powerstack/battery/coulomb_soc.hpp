// CoulombSocEstimator: SOC = SOC at start + stored charge / capacity, the charge from the dsp
// EnergyIntegrator (trapezoid over real sample times, gaps refused). The starting SOC is given
// (e.g. from a rested OCV). Uncertainty grows with the current sensor's offset times elapsed
// time and its gain error times the charge moved: plain coulomb counting never corrects itself.
#pragma once

#include <cstdint>

#include "powerstack/battery/cell_model.hpp"
#include "powerstack/dsp/energy_integrator.hpp"

namespace powerstack::battery {

class CoulombSocEstimator {
 public:
  struct Config {
    float sigma_offset_a = 1e-3f;  // current sensor offset (1 sigma)
    float sigma_gain = 0.01f;      // current sensor gain error (fraction, 1 sigma)
    float max_gap_s = 60.0f;       // longer sample gaps are not integrated
  };

  CoulombSocEstimator(const CellModel& model, const Config& config, SocEstimate start);

  // Sample at t_us (monotonic). Returns the integrator's status (kOutOfOrder, ...).
  Status update(std::uint64_t t_us, float v_v, float i_a);
  [[nodiscard]] SocEstimate estimate() const;
  // Moves the reference: the SOC now becomes `now` (used by the combined estimator).
  void rebase(SocEstimate now);
  // Capacity used from now on (call rebase() first so the charge so far keeps its scale).
  void set_capacity_ah(float capacity_ah) { model_.capacity_ah = capacity_ah; }
  // Net charge stored (Ah, efficiency applied) since construction.
  [[nodiscard]] double net_stored_ah() const;

 private:
  CellModel model_;
  Config config_;
  dsp::EnergyIntegrator integrator_;
  SocEstimate start_;
  double in_ah_at_start_ = 0.0;
  double out_ah_at_start_ = 0.0;
  double s_at_start_ = 0.0;
};

}  // namespace powerstack::battery
