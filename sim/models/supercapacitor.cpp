#include "sim/models/supercapacitor.hpp"

#include <cmath>

namespace powerstack::sim {

SupercapParams capacitor_tank_params(double c_f, double esr_ohm) {
  SupercapParams p;
  p.c_f = c_f;
  p.esr_ohm = esr_ohm;
  return p;
}

double capacitor_energy_j(double c_f, double v_v) {
  return 0.5 * c_f * v_v * v_v;
}

double capacitor_energy_between_j(double c_f, double v_high_v, double v_low_v) {
  return 0.5 * c_f * (v_high_v * v_high_v - v_low_v * v_low_v);
}

double capacitor_voltage_after_energy_v(double c_f, double v_start_v, double e_j) {
  const double v_sq = v_start_v * v_start_v - 2.0 * e_j / c_f;
  return v_sq > 0.0 ? std::sqrt(v_sq) : 0.0;
}

double Supercapacitor::leakage_current_a() const {
  double i = 0.0;
  if (std::isfinite(params_.r_leak_ohm) && params_.r_leak_ohm > 0.0) {
    i += v_c_v_ / params_.r_leak_ohm;
  }
  if (v_c_v_ > 0.0) {
    i += params_.i_leak_a;
  }
  return i;
}

void Supercapacitor::step(double i_a, double dt_s) {
  if (!(dt_s > 0.0)) {
    return;
  }
  const double v0 = v_c_v_;
  const double i_leak = params_.i_leak_a;
  // The constant leakage source: on above 0 V; at exactly 0 V it holds the capacitor there
  // unless the charging current exceeds it; off below 0 V.
  double i_leak_eff = 0.0;
  if (v0 > 0.0) {
    i_leak_eff = i_leak;
  } else if (v0 == 0.0 && i_a >= 0.0) {
    if (i_a <= i_leak) {
      return;  // leakage absorbs the charging current, v stays at 0
    }
    i_leak_eff = i_leak;
  }
  const double i_net = i_a - i_leak_eff;
  double v = 0.0;
  if (std::isfinite(params_.r_leak_ohm) && params_.r_leak_ohm > 0.0) {
    // Exact: v(dt) = v_inf + (v0 - v_inf) e^(-dt/tau), tau = R_leak C, v_inf = R_leak i_net.
    const double v_inf = params_.r_leak_ohm * i_net;
    const double x = dt_s / (params_.r_leak_ohm * params_.c_f);
    v = v0 + (v_inf - v0) * -std::expm1(-x);
  } else {
    v = v0 + i_net * dt_s / params_.c_f;
  }
  // Self-discharge by the constant leakage current ends at 0 V.
  if (v0 >= 0.0 && i_a >= 0.0 && v < 0.0) {
    v = 0.0;
  }
  v_c_v_ = v;
}

}  // namespace powerstack::sim
