#include "powerstack/battery/voltage_soc.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::battery {

void VoltageSocEstimator::update(float dt_s, float v_v, float i_a, float t_c) {
  if (!std::isfinite(v_v) || !(dt_s >= 0.0f)) {
    return;
  }
  const bool current_known = std::isfinite(i_a);
  const float i = current_known ? i_a : 0.0f;
  const OcvTable& table = ocv_table(model_.chemistry);
  const float ocv_v = v_v - i * r0_at_ohm(model_, t_c);
  const float soc_now = soc_at_ocv(table, ocv_v, t_c);
  // Local slope, floored so the flat part of a table does not report infinite certainty loss.
  const float slope = std::max(ocv_slope_v(table, soc_now), 0.05f);
  const float sigma_v = config_.sigma_v + std::fabs(i) * model_.r1_ohm;
  const float sigma_now = std::min(sigma_v / slope, 1.0f);
  if (!started_) {
    soc_ = soc_now;
    sigma_ = sigma_now;
    started_ = true;
    return;
  }
  const float alpha =
      config_.filter_tau_s > 0.0f ? -std::expm1(-dt_s / config_.filter_tau_s) : 1.0f;
  soc_ += alpha * (soc_now - soc_);
  sigma_ += alpha * (sigma_now - sigma_);
}

}  // namespace powerstack::battery
