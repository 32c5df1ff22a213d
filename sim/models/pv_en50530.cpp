#include "sim/models/pv_en50530.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace powerstack::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// ln(1e-15): the V(I) floor at and beyond the current asymptote.
constexpr double kLogFloor = -34.538776394910684;

}  // namespace

En50530Constants en50530_constants(En50530Technology tech) {
  if (tech == En50530Technology::kThinFilm) {
    return {0.72, 0.8, 0.0002, -0.002, 1.252e-3, 8.419e-2, 1.476e-4};
  }
  return {0.8, 0.9, 0.0004, -0.004, 2.514e-3, 8.593e-2, 1.088e-4};
}

En50530Curve::En50530Curve(En50530Technology tech, double vmp_stc_v, double imp_stc_a)
    : k_(en50530_constants(tech)),
      vmp_stc_v_(vmp_stc_v),
      imp_stc_a_(imp_stc_a),
      // C_AQ1 = (1 - FF_I) exp(-FF_U / C_AQ2), C_AQ2 = (FF_U - 1) / ln(1 - FF_I).
      c_aq1_((1.0 - k_.ff_i) * std::exp(-k_.ff_u * std::log(1.0 - k_.ff_i) / (k_.ff_u - 1.0))),
      c_aq2_((k_.ff_u - 1.0) / std::log(1.0 - k_.ff_i)),
      valid_(std::isfinite(vmp_stc_v) && vmp_stc_v > 0.0 && std::isfinite(imp_stc_a) &&
             imp_stc_a > 0.0) {
  set_conditions(kStcIrradianceWPerM2, kStcTemperatureC);
}

void En50530Curve::set_conditions(double g_w_m2, double t_c) {
  g_w_m2_ = g_w_m2;
  t_c_ = t_c;
  if (!valid_ || !std::isfinite(g_w_m2) || !std::isfinite(t_c) || g_w_m2 <= 0.0) {
    isc_a_ = 0.0;
    voc_v_ = 0.0;
    return;
  }
  const double dt = t_c - kStcTemperatureC;
  isc_a_ = std::max(0.0, isc_stc_a() * g_w_m2 / kStcIrradianceWPerM2 * (1.0 + k_.alpha_per_k * dt));
  const double bracket =
      std::max(0.0, k_.c_v * std::log(g_w_m2 / k_.c_g_w_per_m2 + 1.0) - k_.c_r_m2_per_w * g_w_m2);
  voc_v_ = std::max(0.0, voc_stc_v() * (1.0 + k_.beta_per_k * dt) * bracket);
}

double En50530Curve::current_a(double v_v) const {
  if (!valid_ || std::isnan(v_v)) {
    return kNaN;
  }
  if (isc_a_ <= 0.0 || voc_v_ <= 0.0) {
    return 0.0;
  }
  // exp overflows only some 60 V_OC beyond V_OC; hold the argument there.
  const double x = std::min(v_v / (c_aq2_ * voc_v_), 700.0);
  return isc_a_ * (1.0 - c_aq1_ * std::expm1(x));
}

double En50530Curve::current_slope_a_per_v(double v_v) const {
  if (!valid_ || std::isnan(v_v)) {
    return kNaN;
  }
  if (isc_a_ <= 0.0 || voc_v_ <= 0.0) {
    return 0.0;
  }
  const double scale = c_aq2_ * voc_v_;
  return -isc_a_ * c_aq1_ * std::exp(std::min(v_v / scale, 700.0)) / scale;
}

double En50530Curve::voltage_v(double i_a) const {
  if (!valid_ || std::isnan(i_a)) {
    return kNaN;
  }
  if (isc_a_ <= 0.0 || voc_v_ <= 0.0) {
    return 0.0;
  }
  const double u = (1.0 - i_a / isc_a_) / c_aq1_;  // exp(V / (C_AQ2 V_OC)) - 1
  const double log_term = u > -1.0 ? std::max(std::log1p(u), kLogFloor) : kLogFloor;
  return c_aq2_ * voc_v_ * log_term;
}

PvMpp En50530Curve::mpp() const {
  if (!valid_) {
    return {kNaN, kNaN, kNaN};
  }
  if (isc_a_ <= 0.0 || voc_v_ <= 0.0) {
    return {};
  }
  const double scale = c_aq2_ * voc_v_;
  // dP/dV = I + V dI/dV, dI/dV = -I_SC C_AQ1 exp(V / scale) / scale: decreasing in V.
  const auto dp_dv = [&](double v) {
    return current_a(v) - v * isc_a_ * c_aq1_ * std::exp(v / scale) / scale;
  };
  const double v =
      pv_numeric::brent_root(dp_dv, 0.0, voc_v_, dp_dv(0.0), dp_dv(voc_v_), 1e-14 * voc_v_);
  const double i = current_a(v);
  return {v, i, v * i};
}

}  // namespace powerstack::sim
