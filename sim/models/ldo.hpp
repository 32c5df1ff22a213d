// Linear (LDO) regulator: a setpoint, a dropout voltage that may rise with load current, a
// ground (quiescent) current that may rise with load current, and an output current limit.
//
// Sign convention: voltages are to ground; i_out_a >= 0 flows out of the output pin into the
// load, i_in_a >= 0 into the input pin, i_gnd_a >= 0 out of the ground pin, so
// i_in = i_out + i_gnd. In regulation v_out = v_set; in dropout the output follows the input
// minus the dropout voltage, v_out = v_in - (v_do0 + r_do * i_out). Static model (no loop
// dynamics, no PSRR); reverse current (v_out > v_in) is not modelled. See
// docs/other-models.md.
#pragma once

#include <limits>

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

struct LdoParams {
  double v_set_v = 3.3;
  double v_dropout_v = 0.2;           // dropout at zero load
  double r_dropout_ohm = 0.0;         // dropout rise per ampere of load (pass-element resistance)
  double i_quiescent_a = 50e-6;       // ground current at zero load
  double ground_current_ratio = 0.0;  // extra ground current per ampere of load (PNP LDOs ~0.01)
  double i_limit_a = std::numeric_limits<double>::infinity();  // output current limit
};

struct LdoOperatingPoint {
  double v_out_v = 0.0;
  double i_out_a = 0.0;
  double i_in_a = 0.0;
  double i_gnd_a = 0.0;
  double p_loss_w = 0.0;  // v_in * i_in - v_out * i_out
  bool in_dropout = false;
  bool current_limited = false;
};

class Ldo {
 public:
  Ldo() = default;
  // Refuses a non-positive setpoint or current limit and negative or non-finite parts.
  static Result<Ldo> create(const LdoParams& params);

  // Dropout voltage at an output current.
  [[nodiscard]] double dropout_v(double i_out_a) const;
  // Output for a load that draws i_out_a whatever the voltage (a constant-current load). A
  // demand above the current limit has no DC operating point: the limit is delivered and the
  // output is reported collapsed to 0 V (an output capacitor would discharge at the deficit).
  // v_in_v <= 0 gives an all-zero point.
  [[nodiscard]] LdoOperatingPoint at_load_current(double v_in_v, double i_out_a) const;
  // Output into a resistance (closed form in dropout: v_out = (v_in - v_do0) / (1 + r_do / R)).
  [[nodiscard]] LdoOperatingPoint at_load_resistance(double v_in_v, double r_load_ohm) const;
  [[nodiscard]] const LdoParams& params() const { return params_; }

 private:
  explicit Ldo(const LdoParams& p) : params_(p) {}
  [[nodiscard]] LdoOperatingPoint finish(double v_in_v, double v_out_v, double i_out_a) const;

  LdoParams params_;
};

}  // namespace powerstack::sim
