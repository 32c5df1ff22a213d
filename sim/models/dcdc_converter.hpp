// Generic DC/DC converter (buck, boost or buck-boost behaviour abstracted, averaged: no
// switching ripple, no loop dynamics). Output setpoint; efficiency from a table over output
// current and, optionally, input voltage (bilinear interpolation, clamped at the table's
// edges); input under-voltage lockout with hysteresis; input power
//   P_in = P_out / eta(i_out, v_in) + v_in * i_quiescent,   i_in = P_in / v_in.
// Out of regulation: a buck at 100 % duty passes the input through r_dropout_ohm
// (v_out = v_in - r_dropout * i_out); a boost whose input exceeds the setpoint passes it through
// its rectifier (v_out = v_in - v_bypass_drop). A buck-boost always regulates.
//
// Sign convention: voltages to ground; i_in_a >= 0 into the input, i_out_a >= 0 out of the
// output into the load. State: the UVLO latch only. See docs/other-models.md.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

enum class DcDcTopology : std::uint8_t { kBuck, kBoost, kBuckBoost };

struct DcDcParams {
  DcDcTopology topology = DcDcTopology::kBuck;
  double v_set_v = 3.3;
  // Efficiency table: efficiency[k_vin * i_out_points_a.size() + k_iout], each in (0, 1].
  // i_out_points_a strictly increasing, at least one point; v_in_points_v strictly increasing
  // or empty (efficiency independent of the input voltage, one row).
  std::vector<double> i_out_points_a = {0.0};
  std::vector<double> v_in_points_v;
  std::vector<double> efficiency = {0.9};
  double i_quiescent_a = 0.0;    // input current while enabled, on top of P_out / eta
  double i_shutdown_a = 0.0;     // input current while locked out
  double v_uvlo_on_v = 0.0;      // starts when the input rises to this
  double v_uvlo_off_v = 0.0;     // stops when the input falls below this (<= v_uvlo_on_v)
  double r_dropout_ohm = 0.0;    // buck: input-to-output path at 100 % duty
  double v_bypass_drop_v = 0.0;  // boost: input-to-output drop when v_in > v_set
  double i_out_limit_a = std::numeric_limits<double>::infinity();
};

struct DcDcOperatingPoint {
  bool enabled = false;
  bool regulating = false;  // v_out at the setpoint
  bool current_limited = false;
  double v_out_v = 0.0;
  double i_out_a = 0.0;
  double i_in_a = 0.0;
  double p_out_w = 0.0;
  double p_in_w = 0.0;
  double efficiency = 0.0;  // eta from the table at this point (excludes the quiescent term)
};

class DcDcConverter {
 public:
  DcDcConverter() = default;
  // Refuses malformed tables, efficiencies outside (0, 1], thresholds with off > on,
  // non-positive setpoint or limit, and negative or non-finite parts.
  static Result<DcDcConverter> create(const DcDcParams& params);

  // Efficiency table lookup (clamped bilinear interpolation).
  [[nodiscard]] double efficiency(double i_out_a, double v_in_v) const;
  // Moves the UVLO latch with the input voltage: on at >= v_uvlo_on_v, off below v_uvlo_off_v.
  bool update_uvlo(double v_in_v);
  [[nodiscard]] bool enabled() const { return enabled_; }
  // Operating point for a load drawing i_out_a, with the present latch. A demand above the
  // current limit is cut to the limit with the output reported collapsed to 0 V (no DC
  // operating point). A locked-out converter (or v_in <= 0) outputs 0 V and draws
  // i_shutdown_a.
  [[nodiscard]] DcDcOperatingPoint evaluate(double v_in_v, double i_out_a) const;
  // update_uvlo() then evaluate().
  DcDcOperatingPoint step(double v_in_v, double i_out_a);
  [[nodiscard]] const DcDcParams& params() const { return params_; }

 private:
  explicit DcDcConverter(DcDcParams p) : params_(std::move(p)) {}

  DcDcParams params_;
  bool enabled_ = false;
};

// A table with one efficiency everywhere.
DcDcParams flat_efficiency_params(DcDcTopology topology, double v_set_v, double efficiency);

}  // namespace powerstack::sim
