#include "powerstack/battery/coulomb_soc.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::battery {

CoulombSocEstimator::CoulombSocEstimator(const CellModel& model, const Config& config,
                                         SocEstimate start)
    : model_(model),
      config_(config),
      integrator_(dsp::EnergyIntegrator::Config{config.max_gap_s}),
      start_(start) {}

Status CoulombSocEstimator::update(std::uint64_t t_us, float v_v, float i_a) {
  return integrator_.add(t_us, v_v, i_a);
}

SocEstimate CoulombSocEstimator::estimate() const {
  const double in_ah = integrator_.charge_in_ah() - in_ah_at_start_;
  const double out_ah = integrator_.charge_out_ah() - out_ah_at_start_;
  const double cap = static_cast<double>(model_.capacity_ah);
  const double eff = static_cast<double>(model_.coulombic_efficiency);
  const double soc = static_cast<double>(start_.soc) + (eff * in_ah - out_ah) / cap;
  const double hours = (integrator_.integrated_s() - s_at_start_) / 3600.0;
  const double drift = static_cast<double>(config_.sigma_offset_a) * hours / cap;
  const double gain = static_cast<double>(config_.sigma_gain) * (in_ah + out_ah) / cap;
  const double sigma0 = static_cast<double>(start_.sigma);
  const double sigma = std::sqrt(sigma0 * sigma0 + drift * drift + gain * gain);
  return {static_cast<float>(std::clamp(soc, 0.0, 1.0)), static_cast<float>(std::min(sigma, 1.0))};
}

double CoulombSocEstimator::net_stored_ah() const {
  return static_cast<double>(model_.coulombic_efficiency) * integrator_.charge_in_ah() -
         integrator_.charge_out_ah();
}

void CoulombSocEstimator::rebase(SocEstimate now) {
  start_ = now;
  in_ah_at_start_ = integrator_.charge_in_ah();
  out_ah_at_start_ = integrator_.charge_out_ah();
  s_at_start_ = integrator_.integrated_s();
}

}  // namespace powerstack::battery
