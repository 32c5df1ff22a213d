#include "sim/models/sync_buck.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Frozen loss powers are drawn from the input as currents p / max(v_in, this).
constexpr double kMinFrozenVoltageV = 1.0;
constexpr int kMaxSubsteps = 1000000;
constexpr int kMaxPiecesPerSubstep = 4;

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}
bool finite_positive(double x) {
  return std::isfinite(x) && x > 0.0;
}

// The period structure a control asks for.
struct Period {
  double f_hz = 0.0;
  double t_s = 0.0;
  double duty = 0.0;
  bool switching = false;  // enabled with 0 < duty < 1: two edges a period
  double d_dead = 0.0;     // fraction of the period of one dead time
  double d_ls = 0.0;       // low-side on fraction
};

Period period_of(const SyncBuckParams& p, const SyncBuckControl& c) {
  Period q;
  q.f_hz = c.f_sw_hz > 0.0 && std::isfinite(c.f_sw_hz) ? c.f_sw_hz : p.f_sw_hz;
  q.t_s = 1.0 / q.f_hz;
  q.duty = c.duty > 0.0 ? std::min(c.duty, 1.0) : 0.0;  // NaN -> 0
  q.switching = c.enabled && q.duty > 0.0 && q.duty < 1.0;
  q.d_dead = q.switching ? std::min(p.dead_time_s * q.f_hz, 0.5 * (1.0 - q.duty)) : 0.0;
  q.d_ls = c.enabled ? 1.0 - q.duty - 2.0 * q.d_dead : 0.0;
  return q;
}

// Everything frozen at the start of a piece of a sub-step.
struct Frozen {
  SyncBuckMode mode = SyncBuckMode::kOff;
  LinearSwitchNetwork net;
  int sign = 0;  // linear: the current stops at zero instead of leaving this sign (0: free)
  double r_hs = 0.0, r_ls = 0.0, r_ac = 0.0;  // parts of net.r_sw_ohm
  SyncBuckLosses input_side;                  // drawn from the input as net.i_x_a = total / v_ref
  SyncBuckLosses output_side;                 // DCM: taken out of the transferred energy
  double v_ref = kMinFrozenVoltageV;
  double g_d = 0.0;  // DCM input conductance duty^2 T / (2 L)
  double ripple_a = 0.0;
};

void draw_from_input(Frozen& fz, double v_in_v) {
  fz.v_ref = std::max(v_in_v, kMinFrozenVoltageV);
  fz.net.i_x_a = fz.input_side.total_w() / fz.v_ref;
}

double gate_w(const SyncBuckParams& p, const Period& q) {
  return q.switching ? (p.q_g_hs_c + p.q_g_ls_c) * p.v_drive_v * q.f_hz : 0.0;
}

// Signed ripple of the CCM current: its rise while the high side is on.
double ccm_ripple_a(const SyncBuckParams& p, const Period& q, const SyncBuckState& s) {
  if (!q.switching) {
    return 0.0;
  }
  return (s.v_in_v - s.v_out_v - (p.rds_on_hs_ohm + p.dcr_ohm) * s.i_l_a) * q.duty * q.t_s / p.l_h;
}

// CCM, also forced CCM with a reversing current. Each dead time's body diode is chosen by the
// current at its edge (i_a at the high side's turn-off, i_b at its turn-on).
Frozen ccm_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckState& s, int sign) {
  Frozen fz;
  fz.mode = SyncBuckMode::kCcm;
  fz.sign = sign;
  const double i0 = s.i_l_a;
  const double delta = ccm_ripple_a(p, q, s);
  const double i_a = i0 + 0.5 * delta;
  const double i_b = i0 - 0.5 * delta;
  const bool hs_diode_a = q.d_dead > 0.0 && i_a < 0.0;
  const bool hs_diode_b = q.d_dead > 0.0 && i_b < 0.0;
  fz.net.m = q.duty + q.d_dead * ((hs_diode_a ? 1.0 : 0.0) + (hs_diode_b ? 1.0 : 0.0));
  fz.net.v_d_v = p.v_f_v * q.d_dead * ((hs_diode_a ? -1.0 : 1.0) + (hs_diode_b ? -1.0 : 1.0));
  fz.r_hs = q.duty * p.rds_on_hs_ohm;
  fz.r_ls = q.d_ls * p.rds_on_ls_ohm;
  fz.r_ac = fz.net.m * (1.0 - fz.net.m) * p.esr_in_ohm;
  fz.net.r_sw_ohm = fz.r_hs + fz.r_ls + fz.r_ac;
  fz.ripple_a = std::abs(delta);

  SyncBuckLosses& in = fz.input_side;
  const double ripple_sq = delta * delta / 12.0;
  in.hs_conduction_w = fz.r_hs * ripple_sq;
  in.ls_conduction_w = fz.r_ls * ripple_sq;
  in.inductor_dcr_w = p.dcr_ohm * ripple_sq;
  in.esr_in_w = p.esr_in_ohm * q.duty * ripple_sq;
  in.esr_out_w = p.esr_out_ohm * ripple_sq;
  // The linear term v_d i uses the mean current; the diodes carry the edge currents.
  in.body_diode_w =
      std::max(0.0, p.v_f_v * q.d_dead * (std::abs(i_a) + std::abs(i_b)) - fz.net.v_d_v * i0);
  if (q.switching) {
    const double v = std::max(s.v_in_v, 0.0);
    // An edge is a hard turn-off (t_fall) when the current commutates into the other FET's
    // body diode, else a hard turn-on (t_rise) after the own body diode conducted.
    const double q_a = i_a >= 0.0 ? i_a * p.t_fall_s : -i_a * p.t_rise_s;
    const double q_b = i_b <= 0.0 ? -i_b * p.t_fall_s : i_b * p.t_rise_s;
    in.switching_w = 0.5 * v * (q_a + q_b) * q.f_hz;
    const double hard_on = (i_a < 0.0 ? 1.0 : 0.0) + (i_b > 0.0 ? 1.0 : 0.0);
    in.reverse_recovery_w = q.d_dead > 0.0 ? hard_on * p.q_rr_c * v * q.f_hz : 0.0;
    in.coss_w = hard_on * 0.5 * p.c_oss_f * v * v * q.f_hz;
    in.gate_w = gate_w(p, q);
    in.inductor_core_w = core_loss_w(p, fz.ripple_a, q.f_hz);
  }
  draw_from_input(fz, s.v_in_v);
  return fz;
}

// Body-diode path. sign > 0: the low side's diode. sign < 0: the high side's diode, and its
// channel while it is on (diode emulation blocks only the low side).
Frozen diode_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckControl& c,
                    const SyncBuckState& s, int sign) {
  Frozen fz;
  fz.mode = SyncBuckMode::kOff;
  fz.sign = sign;
  if (sign > 0) {
    fz.net.v_d_v = p.v_f_v;
  } else {
    const double d_on = c.enabled ? q.duty : 0.0;
    fz.net.m = 1.0;
    fz.net.v_d_v = -(1.0 - d_on) * p.v_f_v;
    fz.r_hs = d_on * p.rds_on_hs_ohm;
    fz.net.r_sw_ohm = fz.r_hs;
    fz.input_side.gate_w = gate_w(p, q);
  }
  draw_from_input(fz, s.v_in_v);
  return fz;
}

// DCM in diode emulation: the current starts from zero every period; losses from the
// triangle of peak i_pk = (v_in - v_out) duty T / L.
Frozen dcm_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckState& s) {
  Frozen fz;
  fz.mode = SyncBuckMode::kDcm;
  const double dv = std::max(0.0, s.v_in_v - s.v_out_v);
  const double d1 = q.duty;
  const double i_pk = dv * d1 * q.t_s / p.l_h;
  const double d2 = s.v_out_v > 0.0 ? std::min(1.0 - d1, dv * d1 / s.v_out_v) : 1.0 - d1;
  const double d_a = std::min(q.d_dead, d2);
  const double pk_sq3 = i_pk * i_pk / 3.0;
  fz.g_d = d1 * d1 * q.t_s / (2.0 * p.l_h);
  fz.ripple_a = i_pk;
  SyncBuckLosses& out = fz.output_side;
  out.hs_conduction_w = p.rds_on_hs_ohm * d1 * pk_sq3;
  out.ls_conduction_w = p.rds_on_ls_ohm * (d2 - d_a) * pk_sq3;
  out.body_diode_w = p.v_f_v * d_a * i_pk;
  out.inductor_dcr_w = p.dcr_ohm * (d1 + d2) * pk_sq3;
  SyncBuckLosses& in = fz.input_side;
  const double v = std::max(s.v_in_v, 0.0);
  in.switching_w = 0.5 * v * i_pk * p.t_fall_s * q.f_hz;  // turn-on at zero current
  in.coss_w = 0.5 * p.c_oss_f * dv * dv * q.f_hz;         // the node rings about v_out before
  in.gate_w = gate_w(p, q);
  in.inductor_core_w = core_loss_w(p, i_pk, q.f_hz);
  const double mean_in = d1 * i_pk / 2.0;
  const double mean_l = (d1 + d2) * i_pk / 2.0;
  in.esr_in_w = p.esr_in_ohm * std::max(0.0, d1 * pk_sq3 - mean_in * mean_in);
  in.esr_out_w = p.esr_out_ohm * std::max(0.0, (d1 + d2) * pk_sq3 - mean_l * mean_l);
  draw_from_input(fz, s.v_in_v);
  return fz;
}

// Losses of a linear piece at the midpoint values (average powers over the piece).
SyncBuckLosses linear_losses(const SyncBuckParams& p, const Frozen& fz, const MidpointStep& r,
                             double i_source_a, double i_load_a) {
  SyncBuckLosses l = fz.input_side;
  l *= r.v_in_mid_v / fz.v_ref;
  const double i = r.i_l_mid_a;
  const double i2 = i * i;
  const double di_in = i_source_a - r.i_in_mid_a;
  const double di_out = i - i_load_a;
  l.hs_conduction_w += fz.r_hs * i2;
  l.ls_conduction_w += fz.r_ls * i2;
  l.body_diode_w += fz.net.v_d_v * i;
  l.inductor_dcr_w += p.dcr_ohm * i2;
  l.esr_in_w += fz.r_ac * i2 + p.esr_in_ohm * di_in * di_in;
  l.esr_out_w += p.esr_out_ohm * di_out * di_out;
  return l;
}

// Nonnegative root of a2 x^2 + a1 x + a0 with a2 < 0 <= a0 (stable for either sign of a1).
double nonnegative_root(double a2, double a1, double a0) {
  const double sq = std::sqrt(std::max(0.0, a1 * a1 - 4.0 * a2 * a0));
  if (a1 > 0.0) {
    return (a1 + sq) / (-2.0 * a2);
  }
  const double den = sq - a1;
  return den > 0.0 ? 2.0 * a0 / den : 0.0;
}

// DCM piece. The current is quasi-static: the input draws g_d (v_in - v_out) + i_x (the DCM
// input current), and the energy balance of the stage gives the end current i1:
//   v_in i_in - v_in i_x = v_out i1 + L (i1^2 - i0^2) / (2 h) + p_out,
// which with the midpoint capacitor relations is a quadratic in i1 (closed form).
MidpointStep dcm_step(const SyncBuckParams& p, const SyncBuckState& s, const Frozen& fz, double i_s,
                      double i_ld, double h, SyncBuckLosses& losses) {
  const double z_in = h / (2.0 * p.c_in_f) + p.esr_in_ohm;
  const double z_out = h / (2.0 * p.c_out_f) + p.esr_out_ohm;
  const double gd = fz.g_d;
  const double i0 = s.i_l_a;
  const double kl = p.l_h / (2.0 * h);
  const double a_in = s.v_in_v + z_in * (i_s - fz.net.i_x_a);
  const double b = s.v_out_v - z_out * i_ld;
  // With transfer: v_in = P0 + P1 i1, v_in - v_out = Q0 + Q1 i1 (Q1 < 0).
  const double p0 = (a_in + z_in * gd * b) / (1.0 + z_in * gd);
  const double p1 = z_in * gd * z_out / (1.0 + z_in * gd);
  const double q0 = p0 - b;
  const double q1 = p1 - z_out;
  const double available = (q0 > 0.0 ? gd * p0 * q0 : 0.0) + kl * i0 * i0;
  const double p_out_full = fz.output_side.total_w();
  const double p_out = std::min(p_out_full, std::max(0.0, available));
  bool transfer = q0 > 0.0;
  double i1 = 0.0;
  if (transfer) {
    i1 = nonnegative_root(gd * p1 * q1 - z_out - kl, gd * (p0 * q1 + p1 * q0) - b,
                          gd * p0 * q0 + kl * i0 * i0 - p_out);
    transfer = q0 + q1 * i1 > 0.0;
  }
  if (!transfer) {
    i1 = nonnegative_root(-z_out - kl, -b, kl * i0 * i0 - p_out);
  }
  MidpointStep r;
  r.v_out_mid_v = b + z_out * i1;
  r.v_in_mid_v = transfer ? p0 + p1 * i1 : a_in;
  r.i_in_mid_a = (transfer ? gd * (r.v_in_mid_v - r.v_out_mid_v) : 0.0) + fz.net.i_x_a;
  r.i_l_mid_a = i1;
  const double v_cin_mid = r.v_in_mid_v - p.esr_in_ohm * (i_s - r.i_in_mid_a);
  const double v_cout_mid = r.v_out_mid_v - p.esr_out_ohm * (i1 - i_ld);
  r.end = {2.0 * v_cin_mid - s.v_in_v, i1, 2.0 * v_cout_mid - s.v_out_v};

  losses = fz.input_side;
  losses *= r.v_in_mid_v / fz.v_ref;
  SyncBuckLosses out = fz.output_side;
  out *= p_out_full > 0.0 ? p_out / p_out_full : 0.0;
  losses += out;
  const double di_in = i_s - r.i_in_mid_a;
  const double di_out = i1 - i_ld;
  losses.esr_in_w += p.esr_in_ohm * di_in * di_in;
  losses.esr_out_w += p.esr_out_ohm * di_out * di_out;
  return r;
}

struct Accumulator {
  double v_in = 0.0, v_out = 0.0, i_l = 0.0, i_in = 0.0;
  SyncBuckLosses losses;
  SyncBuckMode mode = SyncBuckMode::kOff;

  void add(const MidpointStep& r, SyncBuckLosses l, SyncBuckMode m, double tau) {
    v_in += tau * r.v_in_mid_v;
    v_out += tau * r.v_out_mid_v;
    i_l += tau * r.i_l_mid_a;
    i_in += tau * r.i_in_mid_a;
    l *= tau;
    losses += l;
    mode = m;
  }
};

// Tries a linear family over h from the present state; accepts it when the current does not
// leave the family's sign (or, from zero, actually moves into it).
bool try_linear(const SyncBuckParams& p, const Frozen& fz, SyncBuckState& s, double i_s,
                double i_ld, double h, Accumulator& acc) {
  const MidpointStep r = midpoint_step(p, s, fz.net, i_s, i_ld, h);
  const double i_end = r.end.i_l_a;
  if (fz.sign != 0 && (s.i_l_a == 0.0 ? i_end * fz.sign <= 0.0 : i_end * fz.sign < 0.0)) {
    return false;
  }
  acc.add(r, linear_losses(p, fz, r, i_s, i_ld), fz.mode, h);
  s = r.end;
  return true;
}

// One sub-step of length h: pieces split where a blocked current reaches zero.
void advance(const SyncBuckParams& p, const Period& q, const SyncBuckControl& c, SyncBuckState& s,
             double i_s, double i_ld, double h, Accumulator& acc) {
  double remaining = h;
  for (int piece = 0; piece < kMaxPiecesPerSubstep && remaining > 0.0; ++piece) {
    const double i0 = s.i_l_a;
    const bool diode_emulation = c.enabled && !c.low_side_enabled;
    if (c.enabled && c.low_side_enabled) {
      try_linear(p, ccm_frozen(p, q, s, 0), s, i_s, i_ld, remaining, acc);
      return;
    }
    if (i0 == 0.0) {
      // Start from zero: reverse through the high side (back-feed) if biased, then forward.
      if (try_linear(p, diode_frozen(p, q, c, s, -1), s, i_s, i_ld, remaining, acc)) {
        return;
      }
      if (diode_emulation && q.switching) {
        SyncBuckLosses l;
        const Frozen fz = dcm_frozen(p, q, s);
        const MidpointStep r = dcm_step(p, s, fz, i_s, i_ld, remaining, l);
        acc.add(r, l, fz.mode, remaining);
        s = r.end;
        return;
      }
      const Frozen fwd = c.enabled ? ccm_frozen(p, q, s, 1) : diode_frozen(p, q, c, s, 1);
      if (try_linear(p, fwd, s, i_s, i_ld, remaining, acc)) {
        return;
      }
      break;  // stays at zero
    }
    Frozen fz;
    if (!c.enabled || i0 < 0.0) {
      fz = diode_frozen(p, q, c, s, i0 > 0.0 ? 1 : -1);
    } else {
      const double delta = ccm_ripple_a(p, q, s);
      if (q.switching && i0 - 0.5 * std::abs(delta) < 0.0) {
        SyncBuckLosses l;
        fz = dcm_frozen(p, q, s);
        const MidpointStep r = dcm_step(p, s, fz, i_s, i_ld, remaining, l);
        acc.add(r, l, fz.mode, remaining);
        s = r.end;
        return;
      }
      fz = ccm_frozen(p, q, s, 1);
    }
    if (try_linear(p, fz, s, i_s, i_ld, remaining, acc)) {
      return;
    }
    // The current reaches zero within the piece: step to that instant exactly.
    const double t0 = time_to_zero_current(p, s, fz.net, i_s, i_ld, remaining);
    if (t0 > 0.0) {
      const MidpointStep r = midpoint_step(p, s, fz.net, i_s, i_ld, t0);
      acc.add(r, linear_losses(p, fz, r, i_s, i_ld), fz.mode, t0);
      s = r.end;
    }
    s.i_l_a = 0.0;
    remaining -= t0;
  }
  if (remaining > 0.0) {  // inductor open: only the capacitors move
    const Frozen none;
    const MidpointStep r = midpoint_step(p, s, none.net, i_s, i_ld, remaining, true);
    acc.add(r, linear_losses(p, none, r, i_s, i_ld), SyncBuckMode::kOff, remaining);
    s = r.end;
  }
}

}  // namespace

double SyncBuckLosses::total_w() const {
  return fet_w() + gate_w + coil_w() + esr_in_w + esr_out_w;
}

double SyncBuckLosses::fet_w() const {
  return hs_conduction_w + ls_conduction_w + body_diode_w + switching_w + reverse_recovery_w +
         coss_w;
}

// Every field, for the element-wise operators.
constexpr double SyncBuckLosses::*kLossFields[] = {&SyncBuckLosses::hs_conduction_w,
                                                   &SyncBuckLosses::ls_conduction_w,
                                                   &SyncBuckLosses::body_diode_w,
                                                   &SyncBuckLosses::switching_w,
                                                   &SyncBuckLosses::reverse_recovery_w,
                                                   &SyncBuckLosses::coss_w,
                                                   &SyncBuckLosses::gate_w,
                                                   &SyncBuckLosses::inductor_dcr_w,
                                                   &SyncBuckLosses::inductor_core_w,
                                                   &SyncBuckLosses::esr_in_w,
                                                   &SyncBuckLosses::esr_out_w};

SyncBuckLosses& SyncBuckLosses::operator+=(const SyncBuckLosses& o) {
  for (double SyncBuckLosses::*f : kLossFields) {
    this->*f += o.*f;
  }
  return *this;
}

SyncBuckLosses& SyncBuckLosses::operator*=(double k) {
  for (double SyncBuckLosses::*f : kLossFields) {
    this->*f *= k;
  }
  return *this;
}

double core_loss_w(const SyncBuckParams& p, double ripple_a, double f_sw_hz) {
  if (p.core_loss_ref_w <= 0.0 || ripple_a <= 0.0 || f_sw_hz <= 0.0) {
    return 0.0;
  }
  return p.core_loss_ref_w * std::pow(f_sw_hz / p.core_ref_f_hz, p.core_alpha) *
         std::pow(ripple_a / p.core_ref_ripple_a, p.core_beta);
}

MidpointStep midpoint_step(const SyncBuckParams& p, const SyncBuckState& s,
                           const LinearSwitchNetwork& net, double i_source_a, double i_load_a,
                           double h_s, bool zero_current) {
  // Midpoint capacitor relations: v_c,mid = v_c0 + h/(2C) i_c, node = v_c,mid + ESR i_c.
  const double z_in = h_s / (2.0 * p.c_in_f) + p.esr_in_ohm;
  const double z_out = h_s / (2.0 * p.c_out_f) + p.esr_out_ohm;
  const double a = s.v_in_v + z_in * (i_source_a - net.i_x_a);
  const double b = s.v_out_v - z_out * i_load_a;
  double i = 0.0;
  if (!zero_current) {
    // (2L/h)(i_mid - i0) = m v_in - r_sw i_mid - v_d - dcr i_mid - v_out, all at the midpoint.
    const double k = 2.0 * p.l_h / h_s;
    i = (k * s.i_l_a + net.m * a - net.v_d_v - b) /
        (k + z_in * net.m * net.m + net.r_sw_ohm + p.dcr_ohm + z_out);
  }
  MidpointStep r;
  r.i_l_mid_a = i;
  r.i_in_mid_a = net.m * i + net.i_x_a;
  r.v_in_mid_v = a - z_in * net.m * i;
  r.v_out_mid_v = b + z_out * i;
  const double v_cin_mid = r.v_in_mid_v - p.esr_in_ohm * (i_source_a - r.i_in_mid_a);
  const double v_cout_mid = r.v_out_mid_v - p.esr_out_ohm * (i - i_load_a);
  r.end = {2.0 * v_cin_mid - s.v_in_v, zero_current ? 0.0 : 2.0 * i - s.i_l_a,
           2.0 * v_cout_mid - s.v_out_v};
  return r;
}

double time_to_zero_current(const SyncBuckParams& p, const SyncBuckState& s,
                            const LinearSwitchNetwork& net, double i_source_a, double i_load_a,
                            double h_s) {
  const double i0 = s.i_l_a;
  auto same_sign = [&](double t) {
    return midpoint_step(p, s, net, i_source_a, i_load_a, t).end.i_l_a * i0 > 0.0;
  };
  if (i0 == 0.0 || same_sign(h_s)) {
    return h_s;
  }
  double lo = 0.0;
  double hi = h_s;
  while (hi - lo > 1e-15 * h_s) {
    const double mid = 0.5 * (lo + hi);
    (same_sign(mid) ? lo : hi) = mid;
  }
  return lo;
}

SyncBuck::SyncBuck(const SyncBuckParams& p) : p_(p) {
  const double t_lc_s = 2.0 * kPi * std::sqrt(p.l_h / (1.0 / p.c_in_f + 1.0 / p.c_out_f));
  h_max_s_ = t_lc_s / 20.0;
}

Result<SyncBuck> SyncBuck::create(const SyncBuckParams& p) {
  for (double x : {p.c_in_f, p.c_out_f, p.l_h, p.f_sw_hz, p.core_ref_f_hz, p.core_ref_ripple_a}) {
    if (!finite_positive(x)) {
      return Status::kInvalidArgument;
    }
  }
  for (double x : {p.esr_in_ohm, p.esr_out_ohm, p.dcr_ohm, p.rds_on_hs_ohm, p.rds_on_ls_ohm,
                   p.v_f_v, p.dead_time_s, p.t_rise_s, p.t_fall_s, p.c_oss_f, p.q_rr_c, p.q_g_hs_c,
                   p.q_g_ls_c, p.v_drive_v, p.core_loss_ref_w, p.core_alpha, p.core_beta}) {
    if (!finite_non_negative(x)) {
      return Status::kInvalidArgument;
    }
  }
  return SyncBuck(p);
}

SyncBuckStepResult SyncBuck::step(SyncBuckState& state, const SyncBuckControl& control,
                                  double i_source_a, double i_load_a, double dt_s) const {
  SyncBuckStepResult res;
  if (!(dt_s > 0.0) || h_max_s_ <= 0.0) {
    res.v_in_avg_v = state.v_in_v;
    res.v_out_avg_v = state.v_out_v;
    res.i_l_avg_a = state.i_l_a;
    return res;
  }
  const Period q = period_of(p_, control);
  const double n_real = std::ceil(dt_s / h_max_s_);
  const int n = n_real >= kMaxSubsteps ? kMaxSubsteps : std::max(1, static_cast<int>(n_real));
  const double h = dt_s / n;
  Accumulator acc;
  for (int k = 0; k < n; ++k) {
    advance(p_, q, control, state, i_source_a, i_load_a, h, acc);
  }
  res.v_in_avg_v = acc.v_in / dt_s;
  res.v_out_avg_v = acc.v_out / dt_s;
  res.i_l_avg_a = acc.i_l / dt_s;
  res.i_in_avg_a = acc.i_in / dt_s;
  res.losses = acc.losses;
  res.losses *= 1.0 / dt_s;
  res.mode = acc.mode;
  res.substeps = n;
  return res;
}

double SyncBuck::stored_energy_j(const SyncBuckState& s) const {
  return 0.5 * (p_.c_in_f * s.v_in_v * s.v_in_v + p_.l_h * s.i_l_a * s.i_l_a +
                p_.c_out_f * s.v_out_v * s.v_out_v);
}

SyncBuckOperatingPoint SyncBuck::ccm_operating_point(double v_in_v, double v_out_v, double i_out_a,
                                                     double f_sw_hz) const {
  SyncBuckControl c{0.5, true, true, f_sw_hz};
  const double f = period_of(p_, c).f_hz;
  const double dd = 2.0 * p_.dead_time_s * f;
  const double i = i_out_a;
  // Both dead times on the low side's diode:
  //   D v_in - (D r_hs + (1 - D - dd) r_ls + D (1 - D) esr_in + dcr) i - dd v_f = v_out,
  // a quadratic a D^2 + b D - k = 0 with a >= 0.
  const double a = p_.esr_in_ohm * i;
  const double b = v_in_v - (p_.rds_on_hs_ohm - p_.rds_on_ls_ohm + p_.esr_in_ohm) * i;
  const double k = v_out_v + ((1.0 - dd) * p_.rds_on_ls_ohm + p_.dcr_ohm) * i + dd * p_.v_f_v;
  c.duty = 2.0 * k / (b + std::sqrt(std::max(0.0, b * b + 4.0 * a * k)));
  const Period q = period_of(p_, c);
  const SyncBuckState s{v_in_v, i, v_out_v};
  const Frozen fz = ccm_frozen(p_, q, s, 0);
  // At the steady point the averages are constant: i_mid = i, i_source = i_in, i_load = i.
  MidpointStep r;
  r.v_in_mid_v = v_in_v;
  r.i_l_mid_a = i;
  r.i_in_mid_a = fz.net.m * i + fz.net.i_x_a;
  SyncBuckOperatingPoint op;
  op.duty = q.duty;
  op.i_in_a = r.i_in_mid_a;
  op.ripple_a = fz.ripple_a;
  op.ccm = i - 0.5 * fz.ripple_a >= 0.0;
  op.losses = linear_losses(p_, fz, r, r.i_in_mid_a, i);
  return op;
}

SyncBuckParams fugu_class_buck_params() {
  SyncBuckParams p;
  p.c_in_f = 940e-6;  // 2 x 470 uF / 100 V electrolytic
  p.esr_in_ohm = 0.0165;
  p.c_out_f = 940e-6;
  p.esr_out_ohm = 0.0165;
  p.l_h = 33e-6;
  p.dcr_ohm = 0.008;         // hot (~80 C)
  p.rds_on_hs_ohm = 3.2e-3;  // CSD19505: 2.6 mOhm typ at 25 C, ~60 C junction, leads
  p.rds_on_ls_ohm = 3.2e-3;
  p.v_f_v = 0.8;
  p.dead_time_s = 520e-9;  // IR2104 internal dead time (typ)
  p.t_rise_s = 120e-9;     // ~16 nC switching charge at the driver's 0.13 A source
  p.t_fall_s = 60e-9;      // ... and 0.27 A sink
  p.c_oss_f = 3.2e-9;      // 2 x 1.6 nF at 40 V
  p.q_rr_c = 200e-9;
  p.q_g_hs_c = 85e-9;  // at 12 V
  p.q_g_ls_c = 85e-9;
  p.v_drive_v = 12.0;
  p.f_sw_hz = 39e3;
  p.core_loss_ref_w = 1.5;  // at 39 kHz and 10 A peak to peak (powder core)
  p.core_ref_f_hz = 39e3;
  p.core_ref_ripple_a = 10.0;
  p.core_alpha = 1.3;
  p.core_beta = 2.2;
  return p;
}

}  // namespace powerstack::sim
