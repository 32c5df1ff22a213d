// Internal to the averaged synchronous buck (sync_buck.cpp, sync_buck_losses.cpp): the switch
// network frozen over a piece of a sub-step, its losses, and the linear port models. Not part
// of the model's interface; include sim/models/sync_buck.hpp instead.
#pragma once

#include "sim/models/sync_buck.hpp"

namespace powerstack::sim::sync_buck_detail {

// Frozen loss powers are drawn from the input as currents p / max(v_in, this).
inline constexpr double kMinFrozenVoltageV = 1.0;

// The period structure a control asks for.
struct Period {
  double f_hz = 0.0;
  double t_s = 0.0;
  double duty = 0.0;
  bool switching = false;        // enabled with 0 < duty < 1: two edges a period
  double d_dead = 0.0;           // fraction of the period of one dead time
  double d_ls = 0.0;             // low-side on fraction
  double ripple_per_v = 0.0;     // CCM ripple per volt across the coil: duty T / L
  double core_f_factor = 0.0;    // core_loss_ref_w (f / f_ref)^alpha
  double core_inv_ripple = 0.0;  // 1 / core_ref_ripple_a
};

Period period_of(const SyncBuckParams& p, const SyncBuckControl& c);

// The Steinmetz core loss F r^beta of the pieces of one step() call. pow is evaluated at an
// anchor ripple r0; within 5 % of it the third-order expansion of (r / r0)^beta is used
// instead (relative error below 1e-5 for beta <= 4, 3e-7 for beta <= 3), which spares the pow
// in most sub-steps. Deterministic: it depends only on the call's inputs.
class CoreLoss {
 public:
  CoreLoss(const SyncBuckParams& p, const Period& q);
  double w(double ripple_a);

 private:
  double factor_ = 0.0;  // Period::core_f_factor
  double inv_ref_ = 0.0;
  double beta_ = 0.0;
  double c2_ = 0.0;  // beta (beta - 1) / 2
  double c3_ = 0.0;  // beta (beta - 1) (beta - 2) / 6
  double r0_ = 0.0;
  double inv_r0_ = 0.0;
  double w0_ = 0.0;
};

// Everything frozen at the start of a piece of a sub-step.
struct Frozen {
  SyncBuckMode mode = SyncBuckMode::kOff;
  LinearSwitchNetwork net;
  int sign = 0;  // linear: the current stops at zero instead of leaving this sign (0: free)
  double r_hs = 0.0, r_ls = 0.0, r_ac = 0.0;    // parts of net.r_sw_ohm
  SyncBuckLosses input_side;                    // drawn from the input as net.i_x_a = total / v_ref
  double inv_v_ref = 1.0 / kMinFrozenVoltageV;  // v_ref = max(v_in, kMinFrozenVoltageV)
  double g_d = 0.0;                             // DCM input conductance duty^2 T / (2 L)
  double ripple_a = 0.0;
};

// Signed ripple of the CCM current: its rise while the high side is on.
double ccm_ripple_a(const SyncBuckParams& p, const Period& q, const SyncBuckState& s);
// CCM, also forced CCM with a reversing current.
Frozen ccm_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckState& s, int sign,
                  CoreLoss& core);
// Body-diode path. sign > 0: the low side's diode. sign < 0: the high side's diode, and its
// channel while it is on (diode emulation blocks only the low side).
Frozen diode_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckControl& c,
                    const SyncBuckState& s, int sign);
// DCM in diode emulation (losses from the triangle of the period). output_side: the losses
// taken out of the transferred energy.
Frozen dcm_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckState& s, CoreLoss& core,
                  SyncBuckLosses& output_side);
// Losses of a linear piece at the midpoint values (average powers over the piece); the ESR
// terms use the midpoint's source and load currents.
SyncBuckLosses linear_losses(const SyncBuckParams& p, const Frozen& fz, const MidpointStep& r);
// sum += tau * linear_losses(p, fz, r) (energies of a piece of length tau).
void add_linear_losses(const SyncBuckParams& p, const Frozen& fz, const MidpointStep& r, double tau,
                       SyncBuckLosses& sum);

// Linear models of what is connected to the two nodes, evaluated at the terminal voltages:
//   i_source = i_s0 + g_s (v_in - v_s0)           (into the input node)
//   i_load   = i_extra + g_b (v_out - v_b)        (out of the output node; i_bat = g_b (...))
// Held currents are g_s = g_b = 0.
struct Ports {
  double i_s0 = 0.0;
  double g_s = 0.0;
  double v_s0 = 0.0;
  double i_extra = 0.0;
  double g_b = 0.0;
  double v_b = 0.0;
  double r_b = 0.0;  // 1 / g_b when g_b > 0 (for the energy in it)

  [[nodiscard]] double source_a(double v_in) const { return i_s0 + g_s * (v_in - v_s0); }
  [[nodiscard]] double bat_a(double v_out) const { return g_b * (v_out - v_b); }
};

Ports held_ports(double i_source_a, double i_load_a);

// The midpoint relations of a piece of length h with the ports folded in: with a port current
// linear in its node voltage, v_node = v_c0 + z (i_port(v_c0) - i_switch) at the input and
// v_node = v_c0 + z (i_switch - i_port(v_c0)) at the output hold with the effective impedances
// z_in / (1 - z_in g_s) and z_out / (1 + z_out g_b) (z = h / 2C + ESR). Independent of the
// state, so computed once per sub-step length.
struct Impedances {
  double h = 0.0;
  double z_in = 0.0;
  double z_out = 0.0;
  double k = 0.0;  // 2 L / h
};

Impedances impedances(const SyncBuckParams& p, const Ports& ports, double h);

// One implicit-midpoint step of length imp.h with the ports coupled implicitly (closed form).
MidpointStep midpoint_step(const SyncBuckParams& p, const SyncBuckState& s,
                           const LinearSwitchNetwork& net, const Ports& ports,
                           const Impedances& imp, bool zero_current);
double time_to_zero_current(const SyncBuckParams& p, const SyncBuckState& s,
                            const LinearSwitchNetwork& net, const Ports& ports, double h);

// Time integrals over a step (each midpoint value times its piece length).
struct Accumulator {
  double v_in = 0.0, v_out = 0.0, i_l = 0.0, i_in = 0.0;
  double q_src = 0.0, q_bat = 0.0;
  double e_src = 0.0, e_bat = 0.0, e_r_b = 0.0;
  SyncBuckLosses losses;
  SyncBuckMode mode = SyncBuckMode::kOff;

  // The midpoint values of a piece of length tau (its losses are added by the caller).
  void add(const MidpointStep& r, SyncBuckMode m, const Ports& ports, double tau);
};

// Advances the state by n sub-steps of h (pieces split at zero crossings, see the docs).
void integrate(const SyncBuckParams& p, const Period& q, const SyncBuckControl& c, SyncBuckState& s,
               const Ports& ports, double h, int n, Accumulator& acc);

}  // namespace powerstack::sim::sync_buck_detail
