// Diodes of the plant: ideal, fixed drop (with optional on-resistance), Shockley/Schottky.
//
// Sign convention: v_ak_v is the anode-to-cathode voltage and i_a the current from anode to
// cathode through the diode (passive: positive current enters the anode). Forward bias is
// v_ak_v > 0. "Drive" functions take the voltage across a diode in series with a resistance
// (source minus sink) and return the current of that branch, which is what an OR-ing diode,
// a rectifier or a charge path needs. No breakdown is modelled. See docs/other-models.md.
#pragma once

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

// Zero drop when conducting; blocks any reverse voltage; no leakage.
class IdealDiode {
 public:
  [[nodiscard]] static constexpr bool conducts(double v_ak_v) { return v_ak_v > 0.0; }
  // The drop at any forward current: zero.
  [[nodiscard]] static constexpr double voltage_v(double /*i_a*/) { return 0.0; }
  // Branch current for v_drive_v across the diode plus r_series_ohm: v/r when forward, 0
  // otherwise (+infinity if r_series_ohm <= 0 and forward).
  [[nodiscard]] static double series_current_a(double v_drive_v, double r_series_ohm);
};

struct FixedDropDiodeParams {
  double v_forward_v = 0.7;  // drop once conducting (threshold)
  double r_on_ohm = 0.0;     // slope above the threshold; 0 is a pure fixed drop
};

// Piecewise linear: no current up to v_forward_v, then v = v_forward_v + r_on_ohm * i.
class FixedDropDiode {
 public:
  FixedDropDiode() = default;
  // Refuses a non-finite or negative drop or resistance.
  static Result<FixedDropDiode> create(const FixedDropDiodeParams& params);

  [[nodiscard]] bool conducts(double v_ak_v) const { return v_ak_v > params_.v_forward_v; }
  // Drop at forward current i_a; a reverse current cannot flow and is taken as zero, so the
  // result is the threshold v_forward_v (the edge of conduction).
  [[nodiscard]] double voltage_v(double i_a) const;
  // Current at v_ak_v: 0 up to the threshold, then (v - v_f) / r_on (+infinity if r_on = 0).
  [[nodiscard]] double current_a(double v_ak_v) const;
  // Branch current: max(0, v_drive - v_f) / (r_on + r_series) (+infinity for a zero total
  // resistance with the drive above the threshold).
  [[nodiscard]] double series_current_a(double v_drive_v, double r_series_ohm) const;
  [[nodiscard]] const FixedDropDiodeParams& params() const { return params_; }

 private:
  explicit FixedDropDiode(const FixedDropDiodeParams& p) : params_(p) {}
  FixedDropDiodeParams params_;
};

struct ShockleyDiodeParams {
  double is_a = 1e-14;  // saturation current at t_c
  double n = 1.0;       // ideality factor (emission coefficient)
  double rs_ohm = 0.0;  // series (bulk) resistance
  double t_c = 25.0;    // junction temperature: sets the thermal voltage only (Is is as given)
};

// I = Is (exp((V - I Rs) / (n Vt)) - 1). Silicon pn: Is ~ 1e-14..1e-9 A, n ~ 1..2;
// Schottky: Is ~ 1e-8..1e-5 A, n ~ 1..1.1 (fit them with from_two_points()).
class ShockleyDiode {
 public:
  ShockleyDiode() = default;
  // Refuses Is <= 0, n <= 0, Rs < 0, a temperature at or below 0 K, or non-finite values.
  static Result<ShockleyDiode> create(const ShockleyDiodeParams& params);
  // Fits Is and n through two forward points of a datasheet curve (0 < i1 < i2, v1 < v2 after
  // removing the given Rs drop). Refuses points that give a non-physical n (outside 0.5..5).
  static Result<ShockleyDiode> from_two_points(double i1_a, double v1_v, double i2_a, double v2_v,
                                               double rs_ohm = 0.0, double t_c = 25.0);

  // I(V), exact with Rs (Lambert W, computed in the log domain, never overflows: ~V/Rs for a
  // large V). With Rs = 0 the exponential continues linearly beyond V = 100 n Vt
  // (SPICE-style limiting), which stays finite up to |V| ~ 1e250 V.
  [[nodiscard]] double current_a(double v_ak_v) const;
  // V(I) = n Vt ln(1 + I/Is) + I Rs; -infinity for I <= -Is (more reverse current than the
  // saturation current cannot flow without breakdown).
  [[nodiscard]] double voltage_v(double i_a) const;
  // Branch current with r_series_ohm (>= 0) added to Rs, for v_drive_v across the branch.
  [[nodiscard]] double series_current_a(double v_drive_v, double r_series_ohm) const;
  // dI/dV at v_ak_v (including Rs), for Newton solvers of larger circuits.
  [[nodiscard]] double conductance_s(double v_ak_v) const;
  [[nodiscard]] double n_vt_v() const { return n_vt_v_; }
  [[nodiscard]] const ShockleyDiodeParams& params() const { return params_; }

 private:
  explicit ShockleyDiode(const ShockleyDiodeParams& p);
  // Current of the diode in series with a total resistance r_total_ohm.
  [[nodiscard]] double solve_current_a(double v_v, double r_total_ohm) const;

  ShockleyDiodeParams params_;
  double n_vt_v_ = 0.025693;
};

// W(e^x): the principal Lambert W of e^x, for any finite x, without forming e^x (exposed for
// tests). W(z) solves w e^w = z.
double lambert_w_of_exp(double x);

}  // namespace powerstack::sim
