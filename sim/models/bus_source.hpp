// Current-limited bus source: a DC bus (KNX TP1: nominally 30 V, 21-32 V at a device) behind
// a series resistance and the bus coupler's current limit, with optional linear foldback.
//
//   i(v_out) = min((v_bus - v_out) / r_series, i_limit(v_out)),  never negative,
//   i_limit(v) = i_foldback + (i_limit - i_foldback) * min(v / v_knee, 1)   (v_knee > 0),
//
// Sign convention: v_out_v is the device-side node (e.g. the coupler's filter/tank capacitor)
// to ground; i_a >= 0 flows out of the source into that node. The coupler does not take
// current back from the node (no reverse current). Static: the coupler's current slew-rate
// limit and the bus's data pulses are not modelled. See docs/other-models.md.
#pragma once

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

struct BusSourceParams {
  double v_bus_v = 29.0;           // open-circuit bus voltage at the device
  double r_series_ohm = 10.0;      // cable + choke + coupler path (ASSUMED default, see the doc)
  double i_limit_a = 0.040;        // coupler limit (NCN5130: up to 40 mA)
  double v_foldback_knee_v = 0.0;  // 0 disables foldback
  double i_foldback_a = 0.0;       // limit at 0 V with foldback (<= i_limit_a)
};

struct BusOperatingPoint {
  double v_out_v = 0.0;
  double i_a = 0.0;
  bool limited = false;  // on the current-limit (or foldback) curve
};

class BusSource {
 public:
  BusSource() = default;
  // Refuses non-finite or negative parts, a non-positive limit, i_foldback > i_limit.
  static Result<BusSource> create(const BusSourceParams& params);

  // Limit at an output voltage (the foldback curve, or the flat limit).
  [[nodiscard]] double limit_a(double v_out_v) const;
  // Current into a node held at v_out_v (the tank capacitor's voltage in a time step).
  [[nodiscard]] double current_a(double v_out_v) const;
  // Power delivered into that node.
  [[nodiscard]] double power_w(double v_out_v) const { return v_out_v * current_a(v_out_v); }
  // DC operating point into a resistance (0 is a short circuit).
  [[nodiscard]] BusOperatingPoint with_resistive_load(double r_load_ohm) const;
  // The bus voltage changes (21-32 V range, or 0 for a disconnected bus).
  void set_bus_voltage(double v_bus_v) { params_.v_bus_v = v_bus_v > 0.0 ? v_bus_v : 0.0; }
  [[nodiscard]] const BusSourceParams& params() const { return params_; }

 private:
  explicit BusSource(const BusSourceParams& p) : params_(p) {}
  BusSourceParams params_;
};

// KNX TP1 through an onsemi NCN5130 transceiver (seed 003: "at most 40 mA at ~29 V"):
// 29 V, 40 mA (the NCN5130 supports up to 40 mA bus current; NCN512x: 20 mA).
BusSourceParams knx_ncn5130_params();
// An ordinary KNX bus device: 29 V with a 10 mA draw (typical datasheet class, 5-20 mA).
BusSourceParams knx_device_params(double i_limit_a = 0.010);

}  // namespace powerstack::sim
