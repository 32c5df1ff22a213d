// Supercapacitor and plain capacitor tank: ideal capacitance C in series with an ESR, with
// self-discharge either through a parallel leakage resistance, as a constant leakage
// current, or both (a plain tank has neither).
//
// Sign convention: current i_a is positive INTO the capacitor (charging). Terminal voltage
// v_term = v_c + i * ESR, where v_c is the voltage on the ideal capacitance and obeys
//   C dv_c/dt = i - v_c / R_leak - I_leak.
// step() is exact for i constant over dt (exponential solution when R_leak is finite, linear
// when it is infinite), so any step size is stable.
//
// The constant leakage current flows only while v_c > 0: self-discharge stops at 0 V (with
// 0 <= i <= I_leak the capacitor stays at 0 V). At v_c < 0 only R_leak acts; a step that
// crosses from negative to positive ignores I_leak for its whole length (an error of at most
// I_leak * dt / C volts, negligible for realistic leakage).
#pragma once

#include <limits>

namespace powerstack::sim {

inline constexpr double kNoLeakResistance = std::numeric_limits<double>::infinity();

struct SupercapParams {
  double c_f = 1.0;
  double esr_ohm = 0.0;
  double r_leak_ohm = kNoLeakResistance;  // parallel leakage resistance; infinity = none
  double i_leak_a = 0.0;                  // constant leakage current (>= 0); 0 = none
};

// A plain capacitor tank (e.g. bulk electrolytic or polymer capacitors): no leakage.
SupercapParams capacitor_tank_params(double c_f, double esr_ohm);

// Energy stored in a capacitance: E = 1/2 C V^2.
double capacitor_energy_j(double c_f, double v_v);
// Energy released going from v_high_v down to v_low_v: 1/2 C (v_high^2 - v_low^2).
double capacitor_energy_between_j(double c_f, double v_high_v, double v_low_v);
// Voltage left after drawing e_j from a capacitance at v_start_v (0 if e_j exceeds the
// energy stored; a negative e_j adds energy).
double capacitor_voltage_after_energy_v(double c_f, double v_start_v, double e_j);

class Supercapacitor {
 public:
  explicit Supercapacitor(const SupercapParams& params, double v_initial_v = 0.0)
      : params_(params), v_c_v_(v_initial_v) {}

  // Advances by dt_s with current i_a constant over the step. dt_s <= 0 does nothing.
  void step(double i_a, double dt_s);

  // Voltage on the ideal capacitance (what a voltmeter reads at rest).
  [[nodiscard]] double v_cap_v() const { return v_c_v_; }
  [[nodiscard]] double terminal_voltage_v(double i_a) const {
    return v_c_v_ + i_a * params_.esr_ohm;
  }
  // Current leaving the capacitance internally (R_leak and I_leak) at the present voltage.
  [[nodiscard]] double leakage_current_a() const;
  [[nodiscard]] double energy_j() const { return capacitor_energy_j(params_.c_f, v_c_v_); }
  // Power lost in the ESR while i_a flows.
  [[nodiscard]] double esr_loss_w(double i_a) const { return i_a * i_a * params_.esr_ohm; }

  void set_voltage(double v_v) { v_c_v_ = v_v; }
  [[nodiscard]] const SupercapParams& params() const { return params_; }

 private:
  SupercapParams params_;
  double v_c_v_;
};

}  // namespace powerstack::sim
