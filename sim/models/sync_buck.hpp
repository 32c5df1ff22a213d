// SyncBuck: the synchronous buck converter of seed 000 (a FUGU-class MPPT charger), averaged
// over a switching period. PV panel on the input, battery on the output. Host only, double.
//
//   i_source -> v_in o---+---- HS ----+ sw --- L, DCR --->---+---o v_out -> i_load
//                        |            |        i_l           |
//                  C_in + ESR         LS               C_out + ESR
//                        |            |                      |
//                  ------+------------+----------------------+------
//
// Sign convention: i_source flows into the input node, i_load out of the output node, i_l from
// the switch node to the output (positive: buck direction; negative: reverse, power flows back
// to the input). The state holds the capacitor voltages; the terminal (node) voltages add the
// ESR drop and are what the step result reports.
//
// Per switching period T = 1/f_sw: high side on for duty*T, dead time, low side on, dead time.
// CCM (and forced CCM with the low side enabled, where the current may reverse), DCM (diode
// emulation at light load), and body-diode conduction (dead times, disabled converter) are
// modelled; equations, loss formulas and the integration scheme are in docs/buck-model.md.
// Energy is conserved per step by construction:
//   v_in_avg i_source dt = v_out_avg i_load dt + losses.total_w() dt + delta(stored_energy_j).
// The source and load are either held currents (the caller couples them explicitly) or linear
// port models (a linearised PV string, a Thevenin battery and a DC load) that the step couples
// implicitly, so that a stiff battery needs no short steps; the port step reports the port
// energies that close the same balance.
#pragma once

#include <cstdint>

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

struct SyncBuckParams {
  double c_in_f = 940e-6;
  double esr_in_ohm = 0.0;
  double c_out_f = 940e-6;
  double esr_out_ohm = 0.0;
  double l_h = 33e-6;
  double dcr_ohm = 0.0;
  double rds_on_hs_ohm = 0.0;
  double rds_on_ls_ohm = 0.0;
  double v_f_v = 0.0;        // body-diode forward drop (constant)
  double dead_time_s = 0.0;  // each of the two dead times in a period
  double t_rise_s = 0.0;     // V-I overlap at a hard turn-on
  double t_fall_s = 0.0;     // V-I overlap at a hard turn-off
  double c_oss_f = 0.0;      // switch-node capacitance (both FETs), lost at a hard turn-on
  double q_rr_c = 0.0;       // body-diode reverse-recovery charge
  double q_g_hs_c = 0.0;     // total gate charge at v_drive_v
  double q_g_ls_c = 0.0;
  double v_drive_v = 12.0;  // gate-drive supply (drawn from the input, see the docs)
  double f_sw_hz = 39e3;    // nominal; a control's f_sw_hz > 0 overrides it
  // Core loss, Steinmetz in the ripple: p = ref_w (f/ref_f)^alpha (di_pp/ref_di)^beta.
  double core_loss_ref_w = 0.0;
  double core_ref_f_hz = 39e3;
  double core_ref_ripple_a = 10.0;
  double core_alpha = 1.3;
  double core_beta = 2.2;
};

struct SyncBuckState {
  double v_in_v = 0.0;   // input capacitor voltage
  double i_l_a = 0.0;    // inductor current, period average
  double v_out_v = 0.0;  // output capacitor voltage
};

struct SyncBuckControl {
  double duty = 0.0;             // high-side on-time fraction, clamped to [0, 1]
  bool enabled = false;          // false: both FETs off, only the body diodes conduct
  bool low_side_enabled = true;  // false: diode emulation (low side on only while i_l > 0)
  double f_sw_hz = 0.0;          // <= 0: params' nominal
};

// Average powers over a step (W). All are dissipation, all are >= 0 up to round-off.
struct SyncBuckLosses {
  double hs_conduction_w = 0.0;
  double ls_conduction_w = 0.0;
  double body_diode_w = 0.0;  // dead times and the disabled converter's diode path
  double switching_w = 0.0;   // V-I overlap at hard edges
  double reverse_recovery_w = 0.0;
  double coss_w = 0.0;
  double gate_w = 0.0;
  double inductor_dcr_w = 0.0;  // DC and ripple rms
  double inductor_core_w = 0.0;
  double esr_in_w = 0.0;  // DC and ripple rms
  double esr_out_w = 0.0;

  [[nodiscard]] double total_w() const {
    return fet_w() + gate_w + coil_w() + esr_in_w + esr_out_w;
  }
  // Heat in the two FETs (gate-drive loss is dissipated in the driver and gate resistors).
  [[nodiscard]] double fet_w() const {
    return hs_conduction_w + ls_conduction_w + body_diode_w + switching_w + reverse_recovery_w +
           coss_w;
  }
  [[nodiscard]] double coil_w() const { return inductor_dcr_w + inductor_core_w; }
  SyncBuckLosses& operator+=(const SyncBuckLosses& o) {
    hs_conduction_w += o.hs_conduction_w;
    ls_conduction_w += o.ls_conduction_w;
    body_diode_w += o.body_diode_w;
    switching_w += o.switching_w;
    reverse_recovery_w += o.reverse_recovery_w;
    coss_w += o.coss_w;
    gate_w += o.gate_w;
    inductor_dcr_w += o.inductor_dcr_w;
    inductor_core_w += o.inductor_core_w;
    esr_in_w += o.esr_in_w;
    esr_out_w += o.esr_out_w;
    return *this;
  }
  SyncBuckLosses& operator*=(double k) {
    hs_conduction_w *= k;
    ls_conduction_w *= k;
    body_diode_w *= k;
    switching_w *= k;
    reverse_recovery_w *= k;
    coss_w *= k;
    gate_w *= k;
    inductor_dcr_w *= k;
    inductor_core_w *= k;
    esr_in_w *= k;
    esr_out_w *= k;
    return *this;
  }
};

// kOff: body-diode path (converter disabled, or diode emulation blocking a reverse current);
// kCcm: continuous conduction, including forced CCM with reverse current; kDcm: diode
// emulation with the current back at zero every period.
enum class SyncBuckMode : std::uint8_t { kOff, kCcm, kDcm };

struct SyncBuckStepResult {
  double v_in_avg_v = 0.0;                 // input terminal voltage, time average over the step
  double v_out_avg_v = 0.0;                // output terminal voltage, time average
  double i_l_avg_a = 0.0;                  // inductor current into the output node, time average
  double i_in_avg_a = 0.0;                 // current the power stage draws from the input node
  SyncBuckLosses losses;                   // average powers over the step
  SyncBuckMode mode = SyncBuckMode::kOff;  // mode of the last sub-step
  int substeps = 0;
};

// Linear port models, coupled implicitly into the step (see SyncBuck::step with ports).
// What feeds the input node: i_source = i0_a + g_a_per_v (v_in - v0_v) at the input terminal
// voltage, e.g. a PV string linearised about v0 (g <= 0). A held current is g = 0.
struct SyncBuckSourcePort {
  double i0_a = 0.0;
  double g_a_per_v = 0.0;
  double v0_v = 0.0;
};

// What the output node feeds: a Thevenin branch (a battery behind its ohmic resistance and
// wiring), i_bat = connected ? (v_out - v_th_v) / r_th_ohm : 0 at the output terminal voltage,
// in parallel with a held current i_extra_a (a DC load).
struct SyncBuckLoadPort {
  double v_th_v = 0.0;
  double r_th_ohm = 0.0;  // > 0; below 1 nOhm taken as 1 nOhm
  bool connected = false;
  double i_extra_a = 0.0;
};

// The step's averages plus the port currents and energies, all from the midpoint values that
// moved the state, so that per step, to round-off,
//   e_source_j = e_bat_port_j + e_extra_load_j + e_loss_j + stored_delta_j.
struct SyncBuckPortStepResult : SyncBuckStepResult {
  double i_source_avg_a = 0.0;  // source port current into the input node, time average
  double i_bat_avg_a = 0.0;     // Thevenin branch current (0 when not connected), time average
  double i_load_avg_a = 0.0;    // i_bat + i_extra, time average
  double e_source_j = 0.0;      // integral of v_in i_source (terminal voltage)
  double e_bat_port_j = 0.0;    // integral of v_out i_bat: into the Thevenin branch, r_th included
  double e_r_th_j = 0.0;        // part of e_bat_port_j dissipated in r_th (integral r_th i_bat^2);
                                // the rest, e_bat_port_j - e_r_th_j, is v_th times the charge
  double e_extra_load_j = 0.0;  // integral of v_out i_extra
  double e_loss_j = 0.0;        // losses.total_w() dt
  double stored_delta_j = 0.0;  // change of SyncBuck::stored_energy_j() over the step
};

// Steady-state CCM point with the low side enabled (see ccm_operating_point()).
struct SyncBuckOperatingPoint {
  double duty = 0.0;
  double i_in_a = 0.0;
  double ripple_a = 0.0;  // inductor current, peak to peak
  bool ccm = false;       // valley current >= 0 (otherwise the point is forced CCM)
  SyncBuckLosses losses;
};

class SyncBuck {
 public:
  SyncBuck() = default;
  // Refuses non-finite values, non-positive capacitances, inductance or frequency, and
  // negative resistances, drops, times, charges or core-loss parameters.
  static Result<SyncBuck> create(const SyncBuckParams& params);

  // Advances the state by dt_s with the control and the external currents held. Internally
  // sub-steps at max_substep_s() (implicit midpoint, see the docs); any dt_s is stable.
  SyncBuckStepResult step(SyncBuckState& state, const SyncBuckControl& control, double i_source_a,
                          double i_load_a, double dt_s) const;
  // Advances the state by dt_s with the control held and the source and load port models
  // coupled implicitly in every sub-step (node voltages and port currents solved together,
  // closed form). Sub-steps are at most max_substep_s, by default (<= 0) port_max_substep_s().
  // Any dt_s and sub-step are stable, also with a stiff battery (r_th C_out << sub-step).
  SyncBuckPortStepResult step(SyncBuckState& state, const SyncBuckControl& control,
                              const SyncBuckSourcePort& source, const SyncBuckLoadPort& load,
                              double dt_s, double max_substep_s = 0.0) const;

  // 1/2 C_in v_in^2 + 1/2 L i_l^2 + 1/2 C_out v_out^2.
  [[nodiscard]] double stored_energy_j(const SyncBuckState& state) const;
  // A twentieth of the shortest LC period, 2 pi sqrt(L / (1/C_in + 1/C_out)).
  [[nodiscard]] double max_substep_s() const { return h_max_s_; }
  // The port step's default longest sub-step: half that LC period (391 us for the FUGU values,
  // so 3 sub-steps a 1 ms step). Accuracy figures in the docs.
  [[nodiscard]] double port_max_substep_s() const { return h_port_s_; }
  // Duty, input current and losses of the steady CCM point (low side enabled) with terminal
  // voltages v_in_v, v_out_v and output current i_out_a; the same loss formulas as step().
  [[nodiscard]] SyncBuckOperatingPoint ccm_operating_point(double v_in_v, double v_out_v,
                                                           double i_out_a,
                                                           double f_sw_hz = 0.0) const;
  [[nodiscard]] const SyncBuckParams& params() const { return p_; }

 private:
  explicit SyncBuck(const SyncBuckParams& p);
  SyncBuckParams p_;
  double h_max_s_ = 0.0;
  double h_port_s_ = 0.0;
};

// FUGU-class component values (assumptions, see docs/buck-model.md): 33 uH / 8 mOhm coil,
// CSD19505-class FETs (3.2 mOhm hot), IR2104-class driver (520 ns dead time), 39 kHz,
// 2 x 470 uF on each side.
SyncBuckParams fugu_class_buck_params();

// --- Shared with the switched reference model (sync_buck_switched.hpp) ---------------------

// A switch network frozen over an interval, linear in the averaged quantities:
//   v_sw = m v_in - r_sw_ohm i_l - v_d_v,   i_sw_in = m i_l + i_x_a.
struct LinearSwitchNetwork {
  double m = 0.0;
  double r_sw_ohm = 0.0;
  double v_d_v = 0.0;
  double i_x_a = 0.0;
};

// Midpoint values and end state of one implicit-midpoint step.
struct MidpointStep {
  SyncBuckState end;
  double v_in_mid_v = 0.0;  // input terminal voltage at the midpoint
  double i_l_mid_a = 0.0;
  double v_out_mid_v = 0.0;
  double i_in_mid_a = 0.0;      // switch-network input current at the midpoint
  double i_source_mid_a = 0.0;  // source current into the input node at the midpoint
  double i_load_mid_a = 0.0;    // total current out of the output node at the midpoint
  double i_bat_mid_a = 0.0;     // its Thevenin-branch part (0 with held currents)
};

// One implicit-midpoint step of length h_s of the converter with a linear switch network
// (closed form). With zero_current the inductor is open (i_l stays 0) and only the
// capacitors move.
MidpointStep midpoint_step(const SyncBuckParams& p, const SyncBuckState& s,
                           const LinearSwitchNetwork& net, double i_source_a, double i_load_a,
                           double h_s, bool zero_current = false);
// The longest step in [0, h_s] after which the midpoint solution's inductor current still has
// its starting sign (bisection to ~1e-15 h_s): where it reaches zero. h_s if it does not
// change sign within h_s (or starts at zero).
double time_to_zero_current(const SyncBuckParams& p, const SyncBuckState& s,
                            const LinearSwitchNetwork& net, double i_source_a, double i_load_a,
                            double h_s);
// Steinmetz core loss for a ripple (peak to peak) at f_sw_hz.
double core_loss_w(const SyncBuckParams& p, double ripple_a, double f_sw_hz);

}  // namespace powerstack::sim
