#include "sim/models/ldo.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

}  // namespace

Result<Ldo> Ldo::create(const LdoParams& params) {
  const bool ok = std::isfinite(params.v_set_v) && params.v_set_v > 0.0 &&
                  finite_non_negative(params.v_dropout_v) &&
                  finite_non_negative(params.r_dropout_ohm) &&
                  finite_non_negative(params.i_quiescent_a) &&
                  finite_non_negative(params.ground_current_ratio) &&
                  !std::isnan(params.i_limit_a) && params.i_limit_a > 0.0;
  if (!ok) {
    return Status::kInvalidArgument;
  }
  return Ldo(params);
}

double Ldo::dropout_v(double i_out_a) const {
  return params_.v_dropout_v + params_.r_dropout_ohm * std::max(i_out_a, 0.0);
}

LdoOperatingPoint Ldo::finish(double v_in_v, double v_out_v, double i_out_a) const {
  LdoOperatingPoint op;
  op.v_out_v = v_out_v;
  op.i_out_a = i_out_a;
  op.i_gnd_a = params_.i_quiescent_a + params_.ground_current_ratio * i_out_a;
  op.i_in_a = op.i_out_a + op.i_gnd_a;
  op.p_loss_w = v_in_v * op.i_in_a - v_out_v * i_out_a;
  op.in_dropout = v_out_v < params_.v_set_v;
  return op;
}

LdoOperatingPoint Ldo::at_load_current(double v_in_v, double i_out_a) const {
  if (!(v_in_v > 0.0)) {
    return LdoOperatingPoint{};
  }
  const double demand_a = std::max(i_out_a, 0.0);
  if (demand_a > params_.i_limit_a) {
    LdoOperatingPoint op = finish(v_in_v, 0.0, params_.i_limit_a);
    op.current_limited = true;
    return op;
  }
  const double v_out_v = std::clamp(v_in_v - dropout_v(demand_a), 0.0, params_.v_set_v);
  return finish(v_in_v, v_out_v, demand_a);
}

LdoOperatingPoint Ldo::at_load_resistance(double v_in_v, double r_load_ohm) const {
  if (!(v_in_v > 0.0) || !(r_load_ohm >= 0.0)) {
    return LdoOperatingPoint{};
  }
  if (r_load_ohm == 0.0) {  // a short: the limit flows at 0 V (all zero without a limit set)
    const double i_a = std::isfinite(params_.i_limit_a) ? params_.i_limit_a : 0.0;
    LdoOperatingPoint op = finish(v_in_v, 0.0, i_a);
    op.current_limited = std::isfinite(params_.i_limit_a);
    return op;
  }
  double v_out_v = params_.v_set_v;
  if (v_in_v - dropout_v(v_out_v / r_load_ohm) < params_.v_set_v) {
    // Dropout: v = v_in - v_do0 - r_do * v / R.
    v_out_v = (v_in_v - params_.v_dropout_v) / (1.0 + params_.r_dropout_ohm / r_load_ohm);
    v_out_v = std::clamp(v_out_v, 0.0, params_.v_set_v);
  }
  if (v_out_v / r_load_ohm > params_.i_limit_a) {
    LdoOperatingPoint op = finish(v_in_v, params_.i_limit_a * r_load_ohm, params_.i_limit_a);
    op.current_limited = true;
    return op;
  }
  return finish(v_in_v, v_out_v, v_out_v / r_load_ohm);
}

}  // namespace powerstack::sim
