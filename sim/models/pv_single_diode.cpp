#include "sim/models/pv_single_diode.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/models/units.hpp"

namespace powerstack::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEps = std::numeric_limits<double>::epsilon();
// Above this log(x) W is found from w + ln w = log(x) (x = e^2 ~ 7.4, W ~ 1.56).
constexpr double kLogFormThreshold = 2.0;
constexpr double kTrefK = kStcTemperatureC + kZeroCelsiusK;
constexpr double kEgRefEv = 1.121;
constexpr double kDEgDtPerK = -0.0002677;
constexpr double kBoltzmannEvPerK = kBoltzmannJPerK / kElementaryChargeC;

// Halley's iteration for w e^w = x from a starting value.
double halley_w(double x, double w) {
  for (int it = 0; it < 60; ++it) {
    const double ew = std::exp(w);
    const double f = w * ew - x;
    const double wp1 = w + 1.0;
    if (wp1 == 0.0) {
      break;
    }
    const double dw = f / (ew * wp1 - (w + 2.0) * f / (2.0 * wp1));
    w -= dw;
    if (!(std::fabs(dw) > 4.0 * kEps * (1.0 + std::fabs(w)))) {
      break;
    }
  }
  return w;
}

// Residual of the implicit equation at (v, i) and its derivatives.
struct Residual {
  double f = 0.0;       // IL - I0 expm1(Vd/a) - Vd/Rsh - I
  double g_d = 0.0;     // diode + shunt conductance I0/a exp(Vd/a) + 1/Rsh
  bool finite = false;  // exp did not overflow
};

Residual residual(const SingleDiodeParams& p, double v, double i) {
  const double vd = v + i * p.rs_ohm;
  const double x = vd / p.nnsvth_v;
  Residual r;
  if (x > 700.0) {
    return r;
  }
  r.f = p.il_a - p.i0_a * std::expm1(x) - vd / p.rsh_ohm - i;
  r.g_d = p.i0_a / p.nnsvth_v * std::exp(x) + 1.0 / p.rsh_ohm;
  r.finite = true;
  return r;
}

}  // namespace

double lambert_w0(double x) {
  constexpr double kMinusInvE = -0.36787944117144233;
  if (std::isnan(x) || x < kMinusInvE) {
    return kNaN;
  }
  if (x == 0.0) {
    return 0.0;
  }
  if (std::isinf(x)) {
    return x;
  }
  if (x > 7.0) {
    return lambert_w0_of_exp(std::log(x));
  }
  double w = 0.0;
  if (x < -0.3) {
    // Series about the branch point x = -1/e.
    const double q = std::sqrt(std::max(0.0, 2.0 * (std::exp(1.0) * x + 1.0)));
    if (q == 0.0) {
      return -1.0;
    }
    w = -1.0 + q - q * q / 3.0 + 11.0 / 72.0 * q * q * q;
  } else {
    w = x > 0.0 ? std::log1p(x) * (1.0 - std::log1p(std::log1p(x)) / (2.0 + std::log1p(x)))
                : x * (1.0 - x);
  }
  return halley_w(x, w);
}

double lambert_w0_of_exp(double log_x) {
  if (std::isnan(log_x)) {
    return kNaN;
  }
  if (log_x <= kLogFormThreshold) {
    const double x = std::exp(log_x);
    return x == 0.0 ? 0.0 : halley_w(x, x < 1.0 ? x * (1.0 - x) : std::log1p(x) * 0.7);
  }
  if (std::isinf(log_x)) {
    return log_x;
  }
  // Solve w + ln(w) = L by Newton (h is increasing and concave: the iteration from the
  // asymptotic start converges monotonically).
  double w = log_x - std::log(log_x) + std::log(log_x) / log_x;
  for (int it = 0; it < 60; ++it) {
    const double h = w + std::log(w) - log_x;
    const double dw = h / (1.0 + 1.0 / w);
    w -= dw;
    if (!(std::fabs(dw) > 4.0 * kEps * w)) {
      break;
    }
  }
  return w;
}

bool is_valid(const SingleDiodeParams& p) {
  return std::isfinite(p.il_a) && p.il_a >= 0.0 && std::isfinite(p.i0_a) && p.i0_a > 0.0 &&
         std::isfinite(p.rs_ohm) && p.rs_ohm >= 0.0 && std::isfinite(p.rsh_ohm) &&
         p.rsh_ohm > 0.0 && std::isfinite(p.nnsvth_v) && p.nnsvth_v > 0.0;
}

double pv_current_a(const SingleDiodeParams& p, double v_v) {
  if (!is_valid(p) || std::isnan(v_v)) {
    return kNaN;
  }
  const double a = p.nnsvth_v;
  const double gsh = 1.0 / p.rsh_ohm;
  if (p.rs_ohm == 0.0) {
    return p.il_a - p.i0_a * std::expm1(v_v / a) - v_v * gsh;
  }
  const double k = 1.0 + p.rs_ohm * gsh;
  const double log_c = std::log(p.rs_ohm * p.i0_a / (a * k));
  const double log_theta = log_c + (p.rs_ohm * (p.il_a + p.i0_a) + v_v) / (a * k);
  const double w = lambert_w0_of_exp(log_theta);
  // Where W is large, W = log_theta - ln W cancels the two large terms analytically and
  // leaves I = (Vd - V) / Rs with the diode voltage Vd = a (ln W - log_c).
  double i = log_theta <= kLogFormThreshold ? (p.il_a + p.i0_a - v_v * gsh) / k - a / p.rs_ohm * w
                                            : (a * (std::log(w) - log_c) - v_v) / p.rs_ohm;
  const Residual r0 = residual(p, v_v, i);
  if (r0.finite) {
    const double i1 = i + r0.f / (1.0 + p.rs_ohm * r0.g_d);
    const Residual r1 = residual(p, v_v, i1);
    if (r1.finite && std::fabs(r1.f) < std::fabs(r0.f)) {
      i = i1;
    }
  }
  return i;
}

double pv_voltage_v(const SingleDiodeParams& p, double i_a) {
  if (!is_valid(p) || std::isnan(i_a)) {
    return kNaN;
  }
  const double a = p.nnsvth_v;
  const double log_c = std::log(p.i0_a * p.rsh_ohm / a);
  const double log_psi = log_c + p.rsh_ohm * (p.il_a + p.i0_a - i_a) / a;
  const double w = lambert_w0_of_exp(log_psi);
  double v = log_psi <= kLogFormThreshold
                 ? (p.il_a + p.i0_a - i_a) * p.rsh_ohm - i_a * p.rs_ohm - a * w
                 : a * (std::log(w) - log_c) - i_a * p.rs_ohm;
  const Residual r0 = residual(p, v, i_a);
  if (r0.finite && r0.g_d > 0.0) {
    const double v1 = v + r0.f / r0.g_d;
    const Residual r1 = residual(p, v1, i_a);
    if (r1.finite && std::fabs(r1.f) < std::fabs(r0.f)) {
      v = v1;
    }
  }
  return v;
}

double pv_isc_a(const SingleDiodeParams& p) {
  return pv_current_a(p, 0.0);
}

double pv_voc_v(const SingleDiodeParams& p) {
  return pv_voltage_v(p, 0.0);
}

double pv_slope_a_per_v(const SingleDiodeParams& p, double v_v) {
  return pv_slope_a_per_v(p, v_v, pv_current_a(p, v_v));
}

double pv_slope_a_per_v(const SingleDiodeParams& p, double v_v, double i) {
  const double x = (v_v + i * p.rs_ohm) / p.nnsvth_v;
  const double g_d = p.i0_a / p.nnsvth_v * std::exp(std::min(x, 700.0)) + 1.0 / p.rsh_ohm;
  return -g_d / (1.0 + p.rs_ohm * g_d);
}

PvMpp pv_mpp(const SingleDiodeParams& p) {
  if (!is_valid(p)) {
    return {kNaN, kNaN, kNaN};
  }
  const double voc = pv_voc_v(p);
  const double isc = pv_isc_a(p);
  if (!(voc > 0.0) || !(isc > 0.0)) {
    return {};
  }
  const auto dp_dv = [&p](double v) {
    const double i = pv_current_a(p, v);
    return i + v * pv_slope_a_per_v(p, v, i);
  };
  const double v = pv_numeric::brent_root(dp_dv, 0.0, voc, isc, dp_dv(voc), 1e-14 * voc);
  const double i = pv_current_a(p, v);
  return {v, i, v * i};
}

PvSummary pv_summary(const SingleDiodeParams& p) {
  const PvMpp m = pv_mpp(p);
  return {pv_isc_a(p), pv_voc_v(p), m.i_a, m.v_v, m.p_w};
}

std::vector<PvPoint> pv_curve(const SingleDiodeParams& p, int n_points) {
  std::vector<PvPoint> out;
  if (n_points < 2) {
    return out;
  }
  const double voc = std::max(0.0, pv_voc_v(p));
  out.reserve(static_cast<std::size_t>(n_points));
  for (int k = 0; k < n_points; ++k) {
    const double v = voc * static_cast<double>(k) / static_cast<double>(n_points - 1);
    out.push_back({v, pv_current_a(p, v)});
  }
  return out;
}

SingleDiodeParams desoto_params(const SingleDiodeParams& stc, double alpha_isc_per_k, double g_w_m2,
                                double t_c) {
  const double g = std::max(0.0, g_w_m2);
  const double t_k = t_c + kZeroCelsiusK;
  const double dt = t_k - kTrefK;
  const double eg_ev = kEgRefEv * (1.0 + kDEgDtPerK * dt);
  SingleDiodeParams p;
  p.il_a = std::max(0.0, stc.il_a * g / kStcIrradianceWPerM2 * (1.0 + alpha_isc_per_k * dt));
  p.i0_a = stc.i0_a * std::pow(t_k / kTrefK, 3) *
           std::exp(kEgRefEv / (kBoltzmannEvPerK * kTrefK) - eg_ev / (kBoltzmannEvPerK * t_k));
  p.rs_ohm = stc.rs_ohm;
  p.rsh_ohm = stc.rsh_ohm * kStcIrradianceWPerM2 / std::max(g, 1e-6);
  p.nnsvth_v = stc.nnsvth_v * t_k / kTrefK;
  return p;
}

namespace {

// For a given Rs and a = nNsVth: Gsh from the MPP point, then I0 and IL from (0, Isc) and
// (Voc, 0), and the residual of dP/dV = 0 at the MPP (increasing in Rs).
struct FitTerms {
  bool ok = false;
  double gsh = 0.0;
  double i0 = 0.0;
  double il = 0.0;
  double r = 0.0;
};

FitTerms fit_terms(const PvModuleParams& ds, double a, double rs) {
  FitTerms t;
  const double vd_mp = ds.vmp_v + ds.imp_a * rs;
  const double em_sc = std::expm1((ds.isc_a * rs - ds.voc_v) / a);  // -(1 - e^(..)) < 0
  const double em_mp = std::expm1((vd_mp - ds.voc_v) / a);
  if (!(em_sc < 0.0) || !(em_mp < 0.0)) {
    return t;
  }
  const double ed = em_mp / em_sc;  // (e^(Voc/a) - e^(Vd_mp/a)) / (e^(Voc/a) - e^(Isc Rs/a))
  const double den = (ds.isc_a * rs - ds.voc_v) * ed + ds.voc_v - vd_mp;
  if (den == 0.0) {
    return t;
  }
  t.gsh = (ds.imp_a - ds.isc_a * ed) / den;
  const double num = ds.isc_a + t.gsh * (ds.isc_a * rs - ds.voc_v);  // I0 (e^(Voc/a) - ..)
  t.i0 = num * std::exp(-ds.voc_v / a) / -em_sc;
  t.il = num * -std::expm1(-ds.voc_v / a) / -em_sc + ds.voc_v * t.gsh;
  const double g_d = num / a * std::exp((vd_mp - ds.voc_v) / a) / -em_sc + t.gsh;
  t.r = g_d * (ds.vmp_v - ds.imp_a * rs) - ds.imp_a;
  t.ok = std::isfinite(t.r) && std::isfinite(t.i0) && std::isfinite(t.il);
  return t;
}

struct FitAtN {
  bool ok = false;
  SingleDiodeParams p;
};

FitAtN fit_at_n(const PvModuleParams& ds, double n) {
  FitAtN out;
  const double a = n * ds.cells_in_series * thermal_voltage_v(kStcTemperatureC);
  const double rs_max =
      std::min({(ds.voc_v - ds.vmp_v) / ds.imp_a, ds.vmp_v / ds.imp_a, ds.voc_v / ds.isc_a}) *
      (1.0 - 1e-9);
  const FitTerms lo = fit_terms(ds, a, 0.0);
  const FitTerms hi = fit_terms(ds, a, rs_max);
  if (!lo.ok || !hi.ok || lo.r > 0.0 || hi.r <= 0.0) {
    return out;
  }
  const auto r = [&](double rs) {
    const FitTerms t = fit_terms(ds, a, rs);
    return t.ok ? t.r : 1.0;  // only near rs_max, where r > 0 anyway
  };
  const double rs = pv_numeric::brent_root(r, 0.0, rs_max, lo.r, hi.r, 1e-15 * rs_max);
  const FitTerms t = fit_terms(ds, a, rs);
  const double gsh_min = 1e-6 * ds.isc_a / ds.voc_v;  // Rsh <= 1e6 Voc/Isc
  if (!t.ok || t.gsh < gsh_min || !(t.i0 > 0.0) || !(t.il > 0.0)) {
    return out;
  }
  out.p = {t.il, t.i0, rs, 1.0 / t.gsh, a};
  out.ok = is_valid(out.p);
  return out;
}

double model_beta_per_k(const PvModuleParams& ds, const SingleDiodeParams& stc) {
  constexpr double kHalfStepK = 0.5;
  const double hot = pv_voc_v(
      desoto_params(stc, ds.alpha_isc_per_k, kStcIrradianceWPerM2, kStcTemperatureC + kHalfStepK));
  const double cold = pv_voc_v(
      desoto_params(stc, ds.alpha_isc_per_k, kStcIrradianceWPerM2, kStcTemperatureC - kHalfStepK));
  return (hot - cold) / (2.0 * kHalfStepK * ds.voc_v);
}

}  // namespace

const char* check_module_params(const PvModuleParams& ds) {
  for (double x : {ds.isc_a, ds.voc_v, ds.imp_a, ds.vmp_v, ds.alpha_isc_per_k, ds.beta_voc_per_k}) {
    if (!std::isfinite(x)) {
      return "datasheet values must be finite numbers";
    }
  }
  if (!(ds.isc_a > 0.0) || !(ds.voc_v > 0.0) || !(ds.imp_a > 0.0) || !(ds.vmp_v > 0.0)) {
    return "Isc, Voc, Imp and Vmp must be positive";
  }
  if (ds.cells_in_series < 1) {
    return "cells in series must be at least 1";
  }
  if (!(ds.imp_a < ds.isc_a) || !(ds.vmp_v < ds.voc_v)) {
    return "need Imp < Isc and Vmp < Voc";
  }
  if (!(std::fabs(ds.alpha_isc_per_k) <= 0.01)) {
    return "alpha_isc is relative per kelvin (0.0005 = 0.05 %/K); |alpha| must be <= 0.01";
  }
  if (!(ds.beta_voc_per_k < 0.0) || !(ds.beta_voc_per_k >= -0.01)) {
    return "beta_voc is relative per kelvin (-0.0029 = -0.29 %/K); need -0.01 <= beta < 0";
  }
  return "";
}

PvModuleFit fit_pv_module(const PvModuleParams& ds) {
  PvModuleFit fit;
  fit.alpha_isc_per_k = ds.alpha_isc_per_k;
  fit.cells_in_series = ds.cells_in_series;
  fit.error = check_module_params(ds);
  if (fit.error[0] != '\0') {
    return fit;
  }
  constexpr double kNMin = 0.5;
  constexpr double kNMax = 4.0;
  if (!fit_at_n(ds, kNMin).ok) {
    fit.error = "no single-diode curve with Rs >= 0 and Rsh > 0 fits these values";
    return fit;
  }
  // Largest feasible n (feasibility ends where the shunt would have to vanish).
  double n_hi = kNMax;
  if (!fit_at_n(ds, kNMax).ok) {
    double lo = kNMin;
    double hi = kNMax;
    for (int it = 0; it < 60; ++it) {
      const double mid = 0.5 * (lo + hi);
      (fit_at_n(ds, mid).ok ? lo : hi) = mid;
    }
    n_hi = lo;
  }
  const auto beta_error = [&](double n) {
    const FitAtN f = fit_at_n(ds, n);
    return f.ok ? model_beta_per_k(ds, f.p) - ds.beta_voc_per_k : kNaN;
  };
  const double e_lo = beta_error(kNMin);
  const double e_hi = beta_error(n_hi);
  double n = 0.0;
  if (!(e_lo > 0.0)) {
    n = kNMin;  // the datasheet beta is shallower than any feasible n gives
  } else if (!(e_hi < 0.0)) {
    n = n_hi;  // steeper than any feasible n gives
  } else {
    n = pv_numeric::brent_root(beta_error, kNMin, n_hi, e_lo, e_hi, 1e-13);
    fit.beta_matched = true;
  }
  const FitAtN f = fit_at_n(ds, n);
  if (!f.ok) {
    fit.error = "the single-diode fit did not converge";
    return fit;
  }
  fit.ok = true;
  fit.stc = f.p;
  fit.ideality = n;
  fit.beta_voc_model_per_k = model_beta_per_k(ds, f.p);
  return fit;
}

}  // namespace powerstack::sim
