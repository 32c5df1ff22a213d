#include "sim/models/diode.hpp"

#include <cmath>
#include <limits>

#include "sim/models/units.hpp"

namespace powerstack::sim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Beyond this many n*Vt the Rs = 0 exponential continues linearly (no overflow).
constexpr double kMaxExponent = 100.0;

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

}  // namespace

double lambert_w_of_exp(double x) {
  if (std::isnan(x)) {
    return x;
  }
  if (x == kInf) {
    return kInf;
  }
  if (x < -700.0) {
    return std::exp(x);  // W(z) = z - z^2 + ..., and z^2 underflows here
  }
  // Start below the root (x - ln x for large x, z/(1+z) for small) and apply Newton to
  // f(w) = w + ln w - x, which is concave and increasing, so iterates stay positive.
  double w = 0.0;
  if (x > 1.0) {
    w = x - std::log(x);
  } else {
    const double z = std::exp(x);
    w = z / (1.0 + z);
  }
  for (int k = 0; k < 60; ++k) {
    // w - f / f' with f' = 1 + 1/w, written so that a huge w cannot overflow.
    const double next = w - (w + std::log(w) - x) * (w / (1.0 + w));
    const double change = std::fabs(next - w);
    w = next;
    if (change <= 4.0 * std::numeric_limits<double>::epsilon() * w) {
      break;
    }
  }
  return w;
}

double IdealDiode::series_current_a(double v_drive_v, double r_series_ohm) {
  if (!(v_drive_v > 0.0)) {
    return 0.0;
  }
  return r_series_ohm > 0.0 ? v_drive_v / r_series_ohm : kInf;
}

Result<FixedDropDiode> FixedDropDiode::create(const FixedDropDiodeParams& params) {
  if (!finite_non_negative(params.v_forward_v) || !finite_non_negative(params.r_on_ohm)) {
    return Status::kInvalidArgument;
  }
  return FixedDropDiode(params);
}

double FixedDropDiode::voltage_v(double i_a) const {
  const double i_forward_a = i_a > 0.0 ? i_a : 0.0;
  return params_.v_forward_v + params_.r_on_ohm * i_forward_a;
}

double FixedDropDiode::current_a(double v_ak_v) const {
  return series_current_a(v_ak_v, 0.0);
}

double FixedDropDiode::series_current_a(double v_drive_v, double r_series_ohm) const {
  const double excess_v = v_drive_v - params_.v_forward_v;
  if (!(excess_v > 0.0)) {
    return 0.0;
  }
  const double r_ohm = params_.r_on_ohm + (r_series_ohm > 0.0 ? r_series_ohm : 0.0);
  return r_ohm > 0.0 ? excess_v / r_ohm : kInf;
}

ShockleyDiode::ShockleyDiode(const ShockleyDiodeParams& p)
    : params_(p), n_vt_v_(p.n * thermal_voltage_v(p.t_c)) {}

Result<ShockleyDiode> ShockleyDiode::create(const ShockleyDiodeParams& params) {
  const bool ok = std::isfinite(params.is_a) && params.is_a > 0.0 && std::isfinite(params.n) &&
                  params.n > 0.0 && finite_non_negative(params.rs_ohm) &&
                  std::isfinite(params.t_c) && params.t_c > -kZeroCelsiusK;
  if (!ok) {
    return Status::kInvalidArgument;
  }
  return ShockleyDiode(params);
}

Result<ShockleyDiode> ShockleyDiode::from_two_points(double i1_a, double v1_v, double i2_a,
                                                     double v2_v, double rs_ohm, double t_c) {
  if (!(std::isfinite(i1_a) && std::isfinite(i2_a) && std::isfinite(v1_v) && std::isfinite(v2_v) &&
        finite_non_negative(rs_ohm) && std::isfinite(t_c) && t_c > -kZeroCelsiusK && i1_a > 0.0 &&
        i2_a > i1_a)) {
    return Status::kInvalidArgument;
  }
  const double vj1_v = v1_v - i1_a * rs_ohm;  // junction voltages
  const double vj2_v = v2_v - i2_a * rs_ohm;
  if (!(vj1_v > 0.0 && vj2_v > vj1_v)) {
    return Status::kInvalidArgument;
  }
  // n Vt from the slope, then Is from the first point; fixed-point passes make the fit exact
  // for I + Is instead of I (they converge at the rate Is / i1).
  double is_a = 0.0;
  double n_vt_v = 0.0;
  for (int pass = 0; pass < 200; ++pass) {
    n_vt_v = (vj2_v - vj1_v) / std::log((i2_a + is_a) / (i1_a + is_a));
    const double next_is_a = i1_a / std::expm1(vj1_v / n_vt_v);
    const bool converged = std::fabs(next_is_a - is_a) <= 1e-15 * next_is_a;
    is_a = next_is_a;
    if (converged) {
      break;
    }
  }
  const double n = n_vt_v / thermal_voltage_v(t_c);
  if (!(n >= 0.5 && n <= 5.0)) {
    return Status::kInvalidArgument;
  }
  return create(ShockleyDiodeParams{is_a, n, rs_ohm, t_c});
}

double ShockleyDiode::solve_current_a(double v_v, double r_total_ohm) const {
  const double is_a = params_.is_a;
  if (std::isnan(v_v)) {
    return v_v;
  }
  if (r_total_ohm > 0.0) {
    // I = (n Vt / R) W((Is R / n Vt) exp((V + Is R) / n Vt)) - Is, argument in the log domain.
    const double x = std::log(is_a * r_total_ohm / n_vt_v_) + (v_v + is_a * r_total_ohm) / n_vt_v_;
    return n_vt_v_ / r_total_ohm * lambert_w_of_exp(x) - is_a;
  }
  const double x = v_v / n_vt_v_;
  if (x <= kMaxExponent) {
    return is_a * std::expm1(x);
  }
  return is_a * std::exp(kMaxExponent) * (1.0 + (x - kMaxExponent)) - is_a;
}

double ShockleyDiode::current_a(double v_ak_v) const {
  return solve_current_a(v_ak_v, params_.rs_ohm);
}

double ShockleyDiode::series_current_a(double v_drive_v, double r_series_ohm) const {
  return solve_current_a(v_drive_v, params_.rs_ohm + (r_series_ohm > 0.0 ? r_series_ohm : 0.0));
}

double ShockleyDiode::voltage_v(double i_a) const {
  if (std::isnan(i_a)) {
    return i_a;
  }
  if (i_a <= -params_.is_a) {
    return -kInf;
  }
  return n_vt_v_ * std::log1p(i_a / params_.is_a) + i_a * params_.rs_ohm;
}

double ShockleyDiode::conductance_s(double v_ak_v) const {
  if (params_.rs_ohm == 0.0 && v_ak_v / n_vt_v_ > kMaxExponent) {
    return params_.is_a * std::exp(kMaxExponent) / n_vt_v_;  // slope of the linear extension
  }
  const double i_a = current_a(v_ak_v);
  // dV/dI = n Vt / (I + Is) + Rs.
  return 1.0 / (n_vt_v_ / (i_a + params_.is_a) + params_.rs_ohm);
}

}  // namespace powerstack::sim
