#include "sim/models/bus_source.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

}  // namespace

Result<BusSource> BusSource::create(const BusSourceParams& params) {
  const bool ok = finite_non_negative(params.v_bus_v) && finite_non_negative(params.r_series_ohm) &&
                  std::isfinite(params.i_limit_a) && params.i_limit_a > 0.0 &&
                  finite_non_negative(params.v_foldback_knee_v) &&
                  finite_non_negative(params.i_foldback_a) &&
                  params.i_foldback_a <= params.i_limit_a;
  if (!ok) {
    return Status::kInvalidArgument;
  }
  return BusSource(params);
}

double BusSource::limit_a(double v_out_v) const {
  const BusSourceParams& p = params_;
  if (!(p.v_foldback_knee_v > 0.0) || v_out_v >= p.v_foldback_knee_v) {
    return p.i_limit_a;
  }
  const double fraction = std::max(v_out_v, 0.0) / p.v_foldback_knee_v;
  return p.i_foldback_a + (p.i_limit_a - p.i_foldback_a) * fraction;
}

double BusSource::current_a(double v_out_v) const {
  const double headroom_v = params_.v_bus_v - v_out_v;
  if (!(headroom_v > 0.0)) {
    return 0.0;
  }
  const double limit = limit_a(v_out_v);
  if (!(params_.r_series_ohm > 0.0)) {
    return limit;
  }
  return std::min(headroom_v / params_.r_series_ohm, limit);
}

BusOperatingPoint BusSource::with_resistive_load(double r_load_ohm) const {
  const BusSourceParams& p = params_;
  if (!(r_load_ohm >= 0.0)) {
    return BusOperatingPoint{};
  }
  if (r_load_ohm == 0.0) {
    return BusOperatingPoint{0.0, p.v_bus_v > 0.0 ? limit_a(0.0) : 0.0, p.v_bus_v > 0.0};
  }
  // 1. Not limited: the divider.
  const double i_free_a = p.v_bus_v / (p.r_series_ohm + r_load_ohm);
  if (i_free_a <= limit_a(i_free_a * r_load_ohm)) {
    return BusOperatingPoint{i_free_a * r_load_ohm, i_free_a, false};
  }
  // 2. On the flat limit (at or above the foldback knee).
  const double v_flat_v = p.i_limit_a * r_load_ohm;
  if (!(p.v_foldback_knee_v > 0.0) || v_flat_v >= p.v_foldback_knee_v) {
    return BusOperatingPoint{v_flat_v, p.i_limit_a, true};
  }
  // 3. On the foldback line: v / R = i_fb + s v with s = (i_lim - i_fb) / v_knee.
  const double slope_s = (p.i_limit_a - p.i_foldback_a) / p.v_foldback_knee_v;
  const double denominator = 1.0 / r_load_ohm - slope_s;
  if (denominator > 0.0) {
    const double v_v = p.i_foldback_a / denominator;
    if (v_v < p.v_foldback_knee_v) {
      return BusOperatingPoint{v_v, v_v / r_load_ohm, true};
    }
  }
  // 4. No crossing below the knee: latched at the foldback current.
  return BusOperatingPoint{p.i_foldback_a * r_load_ohm, p.i_foldback_a, true};
}

BusSourceParams knx_ncn5130_params() {
  BusSourceParams p;
  p.v_bus_v = 29.0;
  p.i_limit_a = 0.040;
  return p;
}

BusSourceParams knx_device_params(double i_limit_a) {
  BusSourceParams p;
  p.v_bus_v = 29.0;
  p.i_limit_a = i_limit_a;
  return p;
}

}  // namespace powerstack::sim
