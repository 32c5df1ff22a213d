// Mains transformer + full-wave bridge rectifier + reservoir capacitor, simulated in the time
// domain (instantaneous, not averaged): the ripple comes out of the simulation.
//
//   v_sec(t) = sqrt(2) * V_mains_rms * ratio * sin(2 pi f t)   (open-circuit secondary)
//   bridge conducts when |v_sec| - 2 V_f > v_cap:
//     i_charge = (|v_sec| - 2 V_f - v_cap) / (R_winding + 2 R_diode)
//   C dv_cap/dt = i_charge - i_load
//
// Each step is cut into sub-steps of at most max_substep_s (default 1/(400 f)); each sub-step
// is backward Euler with the conduction decided at its end, so it is stable for any winding
// resistance. The winding resistance is referred to the secondary; magnetising current,
// leakage inductance, core saturation and diode recovery are not modelled. The capacitor is
// not driven below 0 V (a load cannot pull it negative). averaged_estimate() gives the
// textbook closed-form figures for design checks. Sign convention: v_cap_v to ground;
// i_load_a >= 0 out of the capacitor into the load; i_charge_a >= 0 from the bridge into the
// capacitor. Mains time t = 0 is a zero crossing. See docs/other-models.md.
#pragma once

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

struct TransformerRectifierParams {
  double v_mains_rms_v = 230.0;
  double f_mains_hz = 50.0;
  double turns_ratio = 8.0 / 230.0;  // open-circuit secondary / primary voltage
  double r_winding_ohm = 1.0;        // referred to the secondary (> 0)
  double v_diode_forward_v = 0.7;    // each bridge diode (two conduct at a time)
  double r_diode_ohm = 0.0;          // each bridge diode's on-resistance
  double c_reservoir_f = 2200e-6;    // seed 004's bulk capacitor
  double v_cap_initial_v = 0.0;
  double max_substep_s = 0.0;  // 0: 1 / (400 f)
};

// Closed-form full-wave figures (ignore the winding resistance and the conduction time).
struct RectifierEstimate {
  double v_peak_no_load_v = 0.0;  // sqrt(2) V_rms ratio - 2 V_f
  double v_ripple_pp_v = 0.0;     // I / (2 f C)
  double v_average_v = 0.0;       // peak - ripple / 2
};

class TransformerRectifier {
 public:
  TransformerRectifier() = default;
  // Refuses non-positive frequency, ratio, winding resistance or capacitance, and negative or
  // non-finite parts.
  static Result<TransformerRectifier> create(const TransformerRectifierParams& params);

  // Advances by dt_s with i_load_a drawn from the capacitor (constant over the step).
  void step(double dt_s, double i_load_a);
  // Mains RMS from now on: 0 models an outage (e.g. the doorbell's gong relay).
  void set_mains_rms(double v_rms_v) { params_.v_mains_rms_v = v_rms_v > 0.0 ? v_rms_v : 0.0; }

  [[nodiscard]] double v_cap_v() const { return v_cap_v_; }
  [[nodiscard]] double t_s() const { return t_s_; }
  // Bridge current at the end of the last sub-step, and charge delivered since creation.
  [[nodiscard]] double i_charge_a() const { return i_charge_a_; }
  [[nodiscard]] double charge_in_c() const { return charge_in_c_; }
  [[nodiscard]] double v_secondary_peak_v() const;
  [[nodiscard]] RectifierEstimate averaged_estimate(double i_load_a) const;
  [[nodiscard]] const TransformerRectifierParams& params() const { return params_; }

 private:
  explicit TransformerRectifier(const TransformerRectifierParams& p)
      : params_(p), v_cap_v_(p.v_cap_initial_v) {}

  TransformerRectifierParams params_;
  double v_cap_v_ = 0.0;
  double t_s_ = 0.0;
  double i_charge_a_ = 0.0;
  double charge_in_c_ = 0.0;
};

}  // namespace powerstack::sim
