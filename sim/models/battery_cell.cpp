#include "sim/models/battery_cell.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

constexpr double kSecondsPerHour = 3600.0;
constexpr double kFastTauS = 10.0;   // ASSUMPTION: RC pair 1 time constant
constexpr double kSlowTauS = 400.0;  // ASSUMPTION: RC pair 2 time constant

// ASSUMPTION: R0 * capacity products (mOhm * Ah) placed inside the ranges of batteries.md
// (100 Ah LiFePO4 0.2-0.5 mOhm; 1 Ah Li-Po 50-200 mOhm); lead-acid ~5 mOhm per 100 Ah block.
double r0_times_capacity_ohm_ah(Chemistry chemistry) {
  switch (chemistry) {
    case Chemistry::kLiFePO4:
      return 0.035;
    case Chemistry::kLiIon:
      return 0.100;
    case Chemistry::kLeadAcid:
      return 0.080;
  }
  return 0.100;
}

}  // namespace

CellParams typical_cell_params(const ChemistryProfile& profile, double capacity_ah) {
  CellParams p;
  p.capacity_ah = capacity_ah;
  p.r0_ohm = r0_times_capacity_ohm_ah(profile.chemistry) / capacity_ah;
  p.r1_ohm = 0.5 * p.r0_ohm;
  p.c1_f = kFastTauS / p.r1_ohm;
  p.r2_ohm = 0.5 * p.r0_ohm;
  p.c2_f = kSlowTauS / p.r2_ohm;
  p.coulombic_efficiency = profile.coulombic_efficiency;
  return p;
}

double rc_pair_step_v(double v_v, double i_a, double r_ohm, double c_f, double dt_s) {
  if (r_ohm <= 0.0) {
    return 0.0;
  }
  const double v_final = i_a * r_ohm;
  if (c_f <= 0.0) {
    return v_final;
  }
  // v(dt) = v_final + (v - v_final) e^(-x) = v + (v_final - v)(1 - e^(-x)); expm1 keeps
  // precision for small x, and e^(-x) -> 0 for large x (no instability at any step).
  const double x = dt_s / (r_ohm * c_f);
  return v_v + (v_final - v_v) * -std::expm1(-x);
}

BatteryCell::BatteryCell(const ChemistryProfile& profile, const CellParams& params,
                         double initial_soc)
    : profile_(&profile), params_(params) {
  reset(initial_soc);
}

void BatteryCell::reset(double soc) {
  soc_ = std::clamp(soc, 0.0, 1.0);
  overrange_soc_ = 0.0;
  v_rc1_v_ = 0.0;
  v_rc2_v_ = 0.0;
}

CellFlags BatteryCell::step(double i_a, double dt_s, double t_c) {
  (void)t_c;  // R1/C1/R2/C2 and capacity are temperature-independent in this model
  CellFlags raised;
  if (!(dt_s > 0.0)) {
    return raised;
  }
  v_rc1_v_ = rc_pair_step_v(v_rc1_v_, i_a, params_.r1_ohm, params_.c1_f, dt_s);
  v_rc2_v_ = rc_pair_step_v(v_rc2_v_, i_a, params_.r2_ohm, params_.c2_f, dt_s);

  // Coulomb counting; the efficiency loses part of the charge going in, none coming out.
  const double i_stored_a = i_a > 0.0 ? params_.coulombic_efficiency * i_a : i_a;
  const double d_soc = i_stored_a * dt_s / (kSecondsPerHour * params_.capacity_ah);
  const double s = (soc_ + overrange_soc_) + d_soc;
  if (s > 1.0) {
    soc_ = 1.0;
    overrange_soc_ = s - 1.0;
    raised.over_charge = true;
  } else if (s < 0.0) {
    soc_ = 0.0;
    overrange_soc_ = s;
    raised.over_discharge = true;
  } else {
    soc_ = s;
    overrange_soc_ = 0.0;
  }
  flags_.over_charge = flags_.over_charge || raised.over_charge;
  flags_.over_discharge = flags_.over_discharge || raised.over_discharge;
  return raised;
}

double BatteryCell::ocv_v(double t_c) const {
  double v = powerstack::sim::ocv_v(*profile_, soc_, t_c);
  if (overrange_soc_ > 0.0) {
    v += overrange_soc_ * profile_->ocv_overcharge_slope_v;
  } else if (overrange_soc_ < 0.0) {
    v += overrange_soc_ * profile_->ocv_overdischarge_slope_v;
  }
  return v;
}

double BatteryCell::r0_ohm(double t_c) const {
  return params_.r0_ohm * r0_temperature_factor(*profile_, t_c);
}

double BatteryCell::terminal_voltage_v(double i_a, double t_c) const {
  return ocv_v(t_c) + i_a * r0_ohm(t_c) + v_rc1_v_ + v_rc2_v_;
}

}  // namespace powerstack::sim
