#include "sim/models/transformer_rectifier.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace powerstack::sim {

namespace {

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}
bool finite_positive(double x) {
  return std::isfinite(x) && x > 0.0;
}

}  // namespace

Result<TransformerRectifier> TransformerRectifier::create(const TransformerRectifierParams& p) {
  const bool ok = finite_non_negative(p.v_mains_rms_v) && finite_positive(p.f_mains_hz) &&
                  finite_positive(p.turns_ratio) && finite_positive(p.r_winding_ohm) &&
                  finite_non_negative(p.v_diode_forward_v) && finite_non_negative(p.r_diode_ohm) &&
                  finite_positive(p.c_reservoir_f) && finite_non_negative(p.v_cap_initial_v) &&
                  finite_non_negative(p.max_substep_s);
  if (!ok) {
    return Status::kInvalidArgument;
  }
  return TransformerRectifier(p);
}

double TransformerRectifier::v_secondary_peak_v() const {
  return std::numbers::sqrt2 * params_.v_mains_rms_v * params_.turns_ratio;
}

RectifierEstimate TransformerRectifier::averaged_estimate(double i_load_a) const {
  RectifierEstimate e;
  e.v_peak_no_load_v = std::max(v_secondary_peak_v() - 2.0 * params_.v_diode_forward_v, 0.0);
  e.v_ripple_pp_v = std::max(i_load_a, 0.0) / (2.0 * params_.f_mains_hz * params_.c_reservoir_f);
  e.v_average_v = e.v_peak_no_load_v - 0.5 * e.v_ripple_pp_v;
  return e;
}

void TransformerRectifier::step(double dt_s, double i_load_a) {
  if (!(dt_s > 0.0) || !std::isfinite(dt_s)) {
    return;
  }
  const TransformerRectifierParams& p = params_;
  const double max_h_s = p.max_substep_s > 0.0 ? p.max_substep_s : 1.0 / (400.0 * p.f_mains_hz);
  const double n = std::ceil(dt_s / max_h_s);
  const auto substeps = static_cast<long>(n);
  const double h_s = dt_s / n;
  const double v_peak_v = v_secondary_peak_v();
  const double r_ohm = p.r_winding_ohm + 2.0 * p.r_diode_ohm;
  const double c_f = p.c_reservoir_f;
  const double omega = 2.0 * std::numbers::pi * p.f_mains_hz;
  const double t0_s = t_s_;
  for (long k = 1; k <= substeps; ++k) {
    // Time from the step's start (not accumulated) so that long runs do not drift.
    const double t_next_s = t0_s + h_s * static_cast<double>(k);
    const double v_src_v =
        std::fabs(v_peak_v * std::sin(omega * t_next_s)) - 2.0 * p.v_diode_forward_v;
    const double v_discharged_v = v_cap_v_ - h_s * i_load_a / c_f;
    // Backward Euler with the bridge conducting: C (v' - v) / h = (v_src - v') / R - i_load.
    const double a = h_s / (r_ohm * c_f);
    const double v_conducting_v = (v_discharged_v + a * v_src_v) / (1.0 + a);
    const double i_a = (v_src_v - v_conducting_v) / r_ohm;
    if (i_a > 0.0) {
      v_cap_v_ = v_conducting_v;
      i_charge_a_ = i_a;
      charge_in_c_ += i_a * h_s;
    } else {
      v_cap_v_ = v_discharged_v;
      i_charge_a_ = 0.0;
    }
    v_cap_v_ = std::max(v_cap_v_, 0.0);
  }
  t_s_ = t0_s + dt_s;
}

}  // namespace powerstack::sim
