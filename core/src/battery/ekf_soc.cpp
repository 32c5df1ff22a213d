#include "powerstack/battery/ekf_soc.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::battery {

namespace {
constexpr int kN = EkfSocEstimator::kStates;
constexpr float kMinSlopeV = 0.02f;
}  // namespace

EkfSocEstimator::EkfSocEstimator(const CellModel& model, const Config& config)
    : model_(model), config_(config) {
  const Result<dsp::ImpedanceEstimator> imp = dsp::ImpedanceEstimator::create(config.impedance);
  if (imp.ok()) {
    impedance_ = imp.value();
  }
}

SocEstimate EkfSocEstimator::estimate() const {
  return {std::clamp(x_[0], 0.0f, 1.0f), std::min(std::sqrt(std::max(p_[0][0], 0.0f)), 1.0f)};
}

void EkfSocEstimator::predict(float dt_s, float i_a) {
  const float dq_soc = stored_charge_ah(model_, i_a, dt_s) / model_.capacity_ah;
  const float tau_s = model_.r1_ohm * model_.c1_f;
  const float a = tau_s > 0.0f ? std::exp(-dt_s / tau_s) : 0.0f;
  x_[0] += x_[2] * dq_soc;
  x_[1] = a * x_[1] + model_.r1_ohm * (1.0f - a) * i_a;
  // F = I except F[0][2] = dq_soc, F[1][1] = a. P' = F P F^T + Q, written out.
  float fp[kN][kN];
  for (int c = 0; c < kN; ++c) {
    fp[0][c] = p_[0][c] + dq_soc * p_[2][c];
    fp[1][c] = a * p_[1][c];
    fp[2][c] = p_[2][c];
    fp[3][c] = p_[3][c];
  }
  for (int r = 0; r < kN; ++r) {
    p_[r][0] = fp[r][0] + fp[r][2] * dq_soc;
    p_[r][1] = fp[r][1] * a;
    p_[r][2] = fp[r][2];
    p_[r][3] = fp[r][3];
  }
  const float hours = dt_s / 3600.0f;
  const float q_soc = config_.sigma_current_a * hours / model_.capacity_ah;
  p_[0][0] += q_soc * q_soc;
  p_[2][2] += config_.capacity_walk_per_h * config_.capacity_walk_per_h * hours;
  p_[3][3] += config_.offset_walk_v_per_h * config_.offset_walk_v_per_h * hours;
}

void EkfSocEstimator::correct(float v_v, float i_a, float t_c) {
  const OcvTable& table = ocv_table(model_.chemistry);
  const Result<dsp::ImpedanceEstimate> r_est = impedance_.estimate();
  const float r_ohm =
      r_est.ok() && r_est.value().r_ohm > 0.0f ? r_est.value().r_ohm : r0_at_ohm(model_, t_c);
  const float soc = std::clamp(x_[0], 0.0f, 1.0f);
  const float h = ocv_at_v(table, soc, t_c) + x_[3] + x_[1] + i_a * r_ohm;
  const float hv[kN] = {std::max(ocv_slope_v(table, soc), kMinSlopeV), 1.0f, 0.0f, 1.0f};
  const float s_v = config_.sigma_v + config_.sigma_model_v;
  float ph[kN];
  for (int r = 0; r < kN; ++r) {
    ph[r] = 0.0f;
    for (int c = 0; c < kN; ++c) {
      ph[r] += p_[r][c] * hv[c];
    }
  }
  float s = s_v * s_v;
  for (int r = 0; r < kN; ++r) {
    s += hv[r] * ph[r];
  }
  const float innovation = v_v - h;
  float k[kN];
  for (int r = 0; r < kN; ++r) {
    k[r] = ph[r] / s;
    x_[r] += k[r] * innovation;
  }
  // P' = P - K (H P) with H P = ph^T (P symmetric); then re-symmetrise against round-off.
  for (int r = 0; r < kN; ++r) {
    for (int c = 0; c < kN; ++c) {
      p_[r][c] -= k[r] * ph[c];
    }
  }
  for (int r = 0; r < kN; ++r) {
    for (int c = r + 1; c < kN; ++c) {
      const float m = 0.5f * (p_[r][c] + p_[c][r]);
      p_[r][c] = m;
      p_[c][r] = m;
    }
  }
  x_[2] = std::clamp(x_[2], 0.5f, 2.0f);
}

void EkfSocEstimator::update(std::uint64_t t_us, float v_v, float i_a, float t_c) {
  if (!std::isfinite(v_v) || !std::isfinite(i_a)) {
    return;
  }
  if (!started_) {
    const OcvTable& table = ocv_table(model_.chemistry);
    const float z = soc_at_ocv(table, v_v - i_a * r0_at_ohm(model_, t_c), t_c);
    const float slope = std::max(ocv_slope_v(table, z), kMinSlopeV);
    const float s_z = std::hypot(config_.sigma_v, config_.sigma_offset_v) / slope;
    x_[0] = z;
    for (auto& row : p_) {
      for (float& v : row) {
        v = 0.0f;
      }
    }
    p_[0][0] = std::min(s_z * s_z, 1.0f);
    p_[1][1] = 1e-6f;
    p_[2][2] = config_.sigma_capacity * config_.sigma_capacity;
    p_[3][3] = config_.sigma_offset_v * config_.sigma_offset_v;
    // The first reading's SOC error is the offset's: they start correlated.
    p_[0][3] = p_[3][0] = -config_.sigma_offset_v * config_.sigma_offset_v / slope;
    started_ = true;
    last_t_us_ = t_us;
    last_v_v_ = v_v;
    last_i_a_ = i_a;
    return;
  }
  if (t_us <= last_t_us_) {
    return;
  }
  const float dt_s = static_cast<float>(t_us - last_t_us_) * 1e-6f;
  // The current held over the interval: the mean of its ends (trapezoid, as the integrator).
  predict(dt_s, 0.5f * (i_a + last_i_a_));
  (void)impedance_.add_pair(i_a - last_i_a_, v_v - last_v_v_);
  last_t_us_ = t_us;
  last_v_v_ = v_v;
  last_i_a_ = i_a;
  since_update_s_ += dt_s;
  if (since_update_s_ >= config_.update_period_s) {
    since_update_s_ = 0.0f;
    correct(v_v, i_a, t_c);
  }
}

}  // namespace powerstack::battery
