#include "powerstack/battery/combined_soc.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::battery {

namespace {

constexpr float kLoadAverageTauS = 60.0f;
// Floor on the OCV slope: on a flat table segment a reading carries little SOC information,
// and must not be treated as an exact one either.
constexpr float kMinSlopeV = 0.02f;

}  // namespace

CombinedSocEstimator::CombinedSocEstimator(const CellModel& model, const Config& config)
    : model_(model),
      config_(config),
      coulomb_(model, config.coulomb, SocEstimate{0.5f, 1.0f}),
      capacity_ah_(model.capacity_ah) {
  const Result<dsp::ImpedanceEstimator> imp = dsp::ImpedanceEstimator::create(config.impedance);
  if (imp.ok()) {
    impedance_ = imp.value();
  }
}

float CombinedSocEstimator::r_ohm(float t_c) const {
  const Result<dsp::ImpedanceEstimate> r = impedance_.estimate();
  return r.ok() && r.value().r_ohm > 0.0f ? r.value().r_ohm : r0_at_ohm(model_, t_c);
}

SocEstimate CombinedSocEstimator::estimate() const {
  return {coulomb_.estimate().soc, std::min(std::sqrt(std::max(p_[0][0], 0.0f)), 1.0f)};
}

void CombinedSocEstimator::correct(float v_ocv_v, float s_v, float t_c) {
  // Kalman update of [soc, offset] from one OCV reading: v_ocv = OCV(soc) + offset + noise.
  const OcvTable& table = ocv_table(model_.chemistry);
  const float soc = coulomb_.estimate().soc;
  const float slope = std::max(ocv_slope_v(table, soc), kMinSlopeV);
  const float innovation = v_ocv_v - (ocv_at_v(table, soc, t_c) + offset_v_);
  const float ph0 = p_[0][0] * slope + p_[0][1];
  const float ph1 = p_[1][0] * slope + p_[1][1];
  const float s = slope * ph0 + ph1 + s_v * s_v;
  const float k0 = ph0 / s;
  const float k1 = ph1 / s;
  offset_v_ += k1 * innovation;
  p_[0][0] -= k0 * ph0;
  p_[0][1] -= k0 * ph1;
  p_[1][1] -= k1 * ph1;
  p_[1][0] = p_[0][1];
  coulomb_.rebase({soc + k0 * innovation, std::sqrt(std::max(p_[0][0], 0.0f))});
  since_update_s_ = 0.0f;
}

void CombinedSocEstimator::learn(float z, float s_z) {
  if (!config_.learn_capacity) {
    return;
  }
  const double q_ah = coulomb_.net_stored_ah();
  // The anchor is the first reading certain enough; later readings are fitted against it by
  // weighted least squares through the anchor: charge = capacity x SOC change.
  if (!have_anchor_) {
    if (s_z <= config_.learn_max_sigma) {
      have_anchor_ = true;
      anchor_soc_ = z;
      anchor_q_ah_ = q_ah;
    }
    return;
  }
  const double ds = static_cast<double>(z) - static_cast<double>(anchor_soc_);
  const double w = 1.0 / (static_cast<double>(s_z) * static_cast<double>(s_z));
  fit_qs_ += w * ds * (q_ah - anchor_q_ah_);
  fit_ss_ += w * ds * ds;
  // Relative 1-sigma error of the fitted capacity is 1 / sqrt(fit_ss).
  if (fit_ss_ < 1.0 / (static_cast<double>(config_.learn_max_error) *
                       static_cast<double>(config_.learn_max_error))) {
    return;
  }
  const auto measured = static_cast<float>(fit_qs_ / fit_ss_);
  // Plausible range only: a bad fit must not wreck the count.
  if (measured > 0.5f * model_.capacity_ah && measured < 1.2f * model_.capacity_ah) {
    capacity_ah_ = measured;
    coulomb_.rebase(coulomb_.estimate());
    coulomb_.set_capacity_ah(capacity_ah_);
  }
}

void CombinedSocEstimator::update(std::uint64_t t_us, float v_v, float i_a, float t_c) {
  if (!std::isfinite(v_v) || !std::isfinite(i_a)) {
    return;
  }
  const OcvTable& table = ocv_table(model_.chemistry);
  if (!started_) {
    const float z = soc_at_ocv(table, v_v - i_a * r0_at_ohm(model_, t_c), t_c);
    const float slope = std::max(ocv_slope_v(table, z), kMinSlopeV);
    const float var_b = config_.sigma_ocv_v * config_.sigma_ocv_v;
    // The first reading's SOC error is mostly the offset's: they start correlated.
    p_[0][0] = std::min((config_.sigma_v * config_.sigma_v + var_b) / (slope * slope), 1.0f);
    p_[1][1] = var_b;
    p_[0][1] = p_[1][0] = -var_b / slope;
    const float s_z = config_.sigma_v / slope;
    coulomb_.rebase({z, std::sqrt(p_[0][0])});
    (void)coulomb_.update(t_us, v_v, i_a);
    started_ = true;
    last_t_us_ = t_us;
    last_v_v_ = v_v;
    last_i_a_ = i_a;
    learn(z, s_z);
    return;
  }
  if (t_us <= last_t_us_) {
    return;
  }
  const float dt_s = static_cast<float>(t_us - last_t_us_) * 1e-6f;
  (void)coulomb_.update(t_us, v_v, i_a);
  (void)impedance_.add_pair(i_a - last_i_a_, v_v - last_v_v_);
  last_t_us_ = t_us;
  last_v_v_ = v_v;
  last_i_a_ = i_a;
  since_update_s_ += dt_s;

  // Counting errors are systematic (offset, gain, capacity); as a random walk in charge and
  // time they neither vanish after a correction nor grow without bound between them.
  const float i_abs = std::fabs(i_a);
  const float moved = i_abs * dt_s / 3600.0f / capacity_ah_;
  const float hours = dt_s / 3600.0f;
  const float off = config_.coulomb.sigma_offset_a / capacity_ah_;
  p_[0][0] += config_.walk_per_soc * moved + off * off * hours * config_.offset_memory_h;

  if (i_abs <= config_.i_rest_a) {
    rest_s_ += dt_s;
  } else {
    rest_s_ = 0.0f;
    i_load_a_ += -std::expm1(-dt_s / kLoadAverageTauS) * (i_abs - i_load_a_);
  }

  const bool rest_due =
      rest_s_ >= config_.min_rest_s && since_update_s_ >= config_.rest_update_period_s;
  const bool load_due =
      config_.load_updates && rest_s_ <= 0.0f && since_update_s_ >= config_.load_update_period_s;
  if (!rest_due && !load_due) {
    return;
  }
  const float v_ocv = v_v - i_a * r_ohm(t_c);
  const float z = soc_at_ocv(table, v_ocv - offset_v_, t_c);
  const float slope = std::max(ocv_slope_v(table, z), kMinSlopeV);
  const float tau1_s = model_.r1_ohm * model_.c1_f;
  // Polarisation still on the cell: after a rest, what the last load left; under load, the
  // whole RC drop of the nominal model (not compensated here) and the R estimate's error.
  const float pol_v = rest_due ? i_load_a_ * model_.r1_ohm * std::exp(-rest_s_ / tau1_s)
                               : i_abs * (model_.r1_ohm + 0.2f * model_.r0_ohm);
  const float s_v = std::sqrt(config_.sigma_v * config_.sigma_v + pol_v * pol_v);
  const float s_z = std::min(s_v / slope, 1.0f);
  correct(v_ocv, s_v, t_c);
  if (rest_due) {
    learn(z, s_z);
  }
}

}  // namespace powerstack::battery
