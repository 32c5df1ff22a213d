// SyncBuckSwitched: the synchronous buck of sync_buck.hpp switched edge by edge, a reference
// for short runs that checks the averaged model. Same parameters, state and sign convention.
//
// Each period T = 1/f_sw: high side on [0, D T), dead time, low side on until T - t_dead, dead
// time. Inside an interval the circuit is linear and is integrated with implicit midpoint
// sub-steps of T / substeps_per_period that land exactly on the edges; a body diode or the
// diode-emulated low side stops the current exactly at zero (bisection on the step length).
// The loss events that have no waveform here are energies drawn from the input capacitor at
// the edge where they occur: V-I overlap (t_rise at a hard turn-on, t_fall at a hard
// turn-off), reverse recovery and C_oss at a hard turn-on, the gate charge once a period and
// the core loss (Steinmetz, from the period's measured ripple) at the period's end. The
// control is latched at each period start, like a PWM shadow register.
#pragma once

#include "powerstack/common/status.hpp"
#include "sim/models/sync_buck.hpp"

namespace powerstack::sim {

struct SyncBuckSwitchedState {
  SyncBuckState circuit;
  bool started = false;
  int segment = 0;  // 0 high side, 1 dead time, 2 low side, 3 dead time
  double t_in_period_s = 0.0;
  SyncBuckControl latched;  // the control of the running period
  bool ls_off = false;      // diode emulation: the low side turned off at zero current
  double i_min_a = 0.0;     // current extremes of the running period (core loss)
  double i_max_a = 0.0;
};

struct SyncBuckSwitchedResult {
  double v_in_avg_v = 0.0;   // input terminal voltage, time average
  double v_out_avg_v = 0.0;  // output terminal voltage, time average
  double i_l_avg_a = 0.0;
  double i_in_avg_a = 0.0;  // switch current plus the charge of the edge losses, average
};

class SyncBuckSwitched {
 public:
  SyncBuckSwitched() = default;
  // Refuses what SyncBuck::create refuses and fewer than 20 sub-steps a period.
  static Result<SyncBuckSwitched> create(const SyncBuckParams& params,
                                         int substeps_per_period = 1000);

  SyncBuckSwitchedResult step(SyncBuckSwitchedState& state, const SyncBuckControl& control,
                              double i_source_a, double i_load_a, double dt_s) const;
  [[nodiscard]] const SyncBuckParams& params() const { return p_; }

 private:
  SyncBuckSwitched(const SyncBuckParams& p, int n) : p_(p), substeps_(n) {}
  SyncBuckParams p_;
  int substeps_ = 1000;
};

}  // namespace powerstack::sim
