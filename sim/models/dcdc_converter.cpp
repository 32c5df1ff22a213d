#include "sim/models/dcdc_converter.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace powerstack::sim {

namespace {

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

bool strictly_increasing_finite(const std::vector<double>& xs) {
  for (std::size_t k = 0; k < xs.size(); ++k) {
    if (!std::isfinite(xs[k]) || (k > 0 && !(xs[k] > xs[k - 1]))) {
      return false;
    }
  }
  return true;
}

// Index k and weight f so that x ~ xs[k] * (1 - f) + xs[k + 1] * f, clamped to the ends.
struct Bracket {
  std::size_t k = 0;
  double f = 0.0;
};

Bracket bracket(const std::vector<double>& xs, double x) {
  if (xs.size() < 2 || !(x > xs.front())) {
    return Bracket{};
  }
  if (x >= xs.back()) {
    return Bracket{xs.size() - 2, 1.0};
  }
  const auto it = std::upper_bound(xs.begin(), xs.end(), x);
  const auto k = static_cast<std::size_t>(it - xs.begin()) - 1;
  return Bracket{k, (x - xs[k]) / (xs[k + 1] - xs[k])};
}

}  // namespace

DcDcParams flat_efficiency_params(DcDcTopology topology, double v_set_v, double efficiency) {
  DcDcParams p;
  p.topology = topology;
  p.v_set_v = v_set_v;
  p.i_out_points_a = {0.0};
  p.v_in_points_v.clear();
  p.efficiency = {efficiency};
  return p;
}

Result<DcDcConverter> DcDcConverter::create(const DcDcParams& params) {
  const std::size_t n_i = params.i_out_points_a.size();
  const std::size_t n_v = params.v_in_points_v.empty() ? 1 : params.v_in_points_v.size();
  bool ok = n_i >= 1 && params.efficiency.size() == n_i * n_v &&
            strictly_increasing_finite(params.i_out_points_a) &&
            strictly_increasing_finite(params.v_in_points_v);
  for (const double eta : params.efficiency) {
    ok = ok && std::isfinite(eta) && eta > 0.0 && eta <= 1.0;
  }
  ok = ok && std::isfinite(params.v_set_v) && params.v_set_v > 0.0 &&
       finite_non_negative(params.i_quiescent_a) && finite_non_negative(params.i_shutdown_a) &&
       finite_non_negative(params.v_uvlo_on_v) && finite_non_negative(params.v_uvlo_off_v) &&
       params.v_uvlo_off_v <= params.v_uvlo_on_v && finite_non_negative(params.r_dropout_ohm) &&
       finite_non_negative(params.v_bypass_drop_v) && !std::isnan(params.i_out_limit_a) &&
       params.i_out_limit_a > 0.0;
  if (!ok) {
    return Status::kInvalidArgument;
  }
  return DcDcConverter(params);
}

double DcDcConverter::efficiency(double i_out_a, double v_in_v) const {
  const std::size_t n_i = params_.i_out_points_a.size();
  const Bracket bi = bracket(params_.i_out_points_a, i_out_a);
  const Bracket bv = bracket(params_.v_in_points_v, v_in_v);
  const auto at = [&](std::size_t kv, std::size_t ki) {
    return params_.efficiency[kv * n_i + std::min(ki, n_i - 1)];
  };
  const auto row = [&](std::size_t kv) {
    return at(kv, bi.k) * (1.0 - bi.f) + (bi.f > 0.0 ? at(kv, bi.k + 1) * bi.f : 0.0);
  };
  if (params_.v_in_points_v.size() < 2) {
    return row(0);
  }
  return row(bv.k) * (1.0 - bv.f) + (bv.f > 0.0 ? row(bv.k + 1) * bv.f : 0.0);
}

bool DcDcConverter::update_uvlo(double v_in_v) {
  if (!enabled_ && v_in_v >= params_.v_uvlo_on_v && v_in_v > 0.0) {
    enabled_ = true;
  } else if (enabled_ && (v_in_v < params_.v_uvlo_off_v || !(v_in_v > 0.0))) {
    enabled_ = false;
  }
  return enabled_;
}

DcDcOperatingPoint DcDcConverter::evaluate(double v_in_v, double i_out_a) const {
  DcDcOperatingPoint op;
  if (!enabled_ || !(v_in_v > 0.0)) {
    op.i_in_a = v_in_v > 0.0 ? params_.i_shutdown_a : 0.0;
    op.p_in_w = op.i_in_a * v_in_v;
    return op;
  }
  op.enabled = true;
  double i_a = std::max(i_out_a, 0.0);
  double v_out_v = params_.v_set_v;
  if (i_a > params_.i_out_limit_a) {
    i_a = params_.i_out_limit_a;
    v_out_v = 0.0;
    op.current_limited = true;
  } else if (params_.topology == DcDcTopology::kBuck) {
    v_out_v = std::clamp(v_in_v - params_.r_dropout_ohm * i_a, 0.0, params_.v_set_v);
  } else if (params_.topology == DcDcTopology::kBoost) {
    v_out_v = std::max(params_.v_set_v, v_in_v - params_.v_bypass_drop_v);
  }
  op.regulating = v_out_v == params_.v_set_v;
  op.v_out_v = v_out_v;
  op.i_out_a = i_a;
  op.efficiency = efficiency(i_a, v_in_v);
  op.p_out_w = v_out_v * i_a;
  op.p_in_w = op.p_out_w / op.efficiency + v_in_v * params_.i_quiescent_a;
  op.i_in_a = op.p_in_w / v_in_v;
  return op;
}

DcDcOperatingPoint DcDcConverter::step(double v_in_v, double i_out_a) {
  update_uvlo(v_in_v);
  return evaluate(v_in_v, i_out_a);
}

}  // namespace powerstack::sim
