// The averaged buck's switch networks, frozen over a piece of a sub-step, their loss formulas
// (docs/buck-model.md, "The averaged switch network" and "Loss formulas"), the steady CCM
// operating point that uses them, and the FUGU-class component values.
#include <algorithm>
#include <cmath>

#include "sim/models/sync_buck.hpp"
#include "sim/models/sync_buck_detail.hpp"

namespace powerstack::sim {

namespace sync_buck_detail {

namespace {

void draw_from_input(Frozen& fz, double v_in_v) {
  fz.inv_v_ref = 1.0 / std::max(v_in_v, kMinFrozenVoltageV);
  // The core loss (a pow) is added last so that the rest of the sum need not wait for it.
  const SyncBuckLosses& in = fz.input_side;
  const double rest = in.fet_w() + in.gate_w + in.inductor_dcr_w + in.esr_in_w + in.esr_out_w;
  fz.net.i_x_a = (rest + in.inductor_core_w) * fz.inv_v_ref;
}

double gate_w(const SyncBuckParams& p, const Period& q) {
  return q.switching ? (p.q_g_hs_c + p.q_g_ls_c) * p.v_drive_v * q.f_hz : 0.0;
}

// Where the expansion of (r / r0)^beta replaces pow.
constexpr double kCoreExpansionRange = 0.05;

}  // namespace

Period period_of(const SyncBuckParams& p, const SyncBuckControl& c) {
  Period q;
  q.f_hz = c.f_sw_hz > 0.0 && std::isfinite(c.f_sw_hz) ? c.f_sw_hz : p.f_sw_hz;
  q.t_s = 1.0 / q.f_hz;
  q.duty = c.duty > 0.0 ? std::min(c.duty, 1.0) : 0.0;  // NaN -> 0
  q.switching = c.enabled && q.duty > 0.0 && q.duty < 1.0;
  q.d_dead = q.switching ? std::min(p.dead_time_s * q.f_hz, 0.5 * (1.0 - q.duty)) : 0.0;
  q.d_ls = c.enabled ? 1.0 - q.duty - 2.0 * q.d_dead : 0.0;
  q.ripple_per_v = q.switching ? q.duty * q.t_s / p.l_h : 0.0;
  q.core_inv_ripple = 1.0 / p.core_ref_ripple_a;
  if (q.switching && p.core_loss_ref_w > 0.0) {
    q.core_f_factor = q.f_hz == p.core_ref_f_hz
                          ? p.core_loss_ref_w
                          : p.core_loss_ref_w * std::pow(q.f_hz / p.core_ref_f_hz, p.core_alpha);
  }
  return q;
}

CoreLoss::CoreLoss(const SyncBuckParams& p, const Period& q)
    : factor_(q.core_f_factor),
      inv_ref_(q.core_inv_ripple),
      beta_(p.core_beta),
      c2_(0.5 * p.core_beta * (p.core_beta - 1.0)),
      c3_(c2_ * (p.core_beta - 2.0) / 3.0) {}

double CoreLoss::w(double ripple_a) {
  if (factor_ <= 0.0 || ripple_a <= 0.0) {
    return 0.0;
  }
  const double eps = (ripple_a - r0_) * inv_r0_;
  if (r0_ > 0.0 && std::abs(eps) <= kCoreExpansionRange) {
    return w0_ * (1.0 + eps * (beta_ + eps * (c2_ + eps * c3_)));
  }
  r0_ = ripple_a;
  inv_r0_ = 1.0 / ripple_a;
  w0_ = factor_ * std::pow(ripple_a * inv_ref_, beta_);
  return w0_;
}

double ccm_ripple_a(const SyncBuckParams& p, const Period& q, const SyncBuckState& s) {
  if (!q.switching) {
    return 0.0;
  }
  return (s.v_in_v - s.v_out_v - (p.rds_on_hs_ohm + p.dcr_ohm) * s.i_l_a) * q.ripple_per_v;
}

// Each dead time's body diode is chosen by the current at its edge (i_a at the high side's
// turn-off, i_b at its turn-on).
Frozen ccm_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckState& s, int sign,
                  CoreLoss& core) {
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
  const double ripple_sq = delta * delta * (1.0 / 12.0);
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
    in.inductor_core_w = core.w(fz.ripple_a);
  }
  draw_from_input(fz, s.v_in_v);
  return fz;
}

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

// The current starts from zero every period; the triangle's peak is
// i_pk = (v_in - v_out) duty T / L.
Frozen dcm_frozen(const SyncBuckParams& p, const Period& q, const SyncBuckState& s, CoreLoss& core,
                  SyncBuckLosses& output_side) {
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
  SyncBuckLosses& out = output_side;
  out = SyncBuckLosses{};
  out.hs_conduction_w = p.rds_on_hs_ohm * d1 * pk_sq3;
  out.ls_conduction_w = p.rds_on_ls_ohm * (d2 - d_a) * pk_sq3;
  out.body_diode_w = p.v_f_v * d_a * i_pk;
  out.inductor_dcr_w = p.dcr_ohm * (d1 + d2) * pk_sq3;
  SyncBuckLosses& in = fz.input_side;
  const double v = std::max(s.v_in_v, 0.0);
  in.switching_w = 0.5 * v * i_pk * p.t_fall_s * q.f_hz;  // turn-on at zero current
  in.coss_w = 0.5 * p.c_oss_f * dv * dv * q.f_hz;         // the node rings about v_out before
  in.gate_w = gate_w(p, q);
  in.inductor_core_w = core.w(i_pk);
  const double mean_in = d1 * i_pk / 2.0;
  const double mean_l = (d1 + d2) * i_pk / 2.0;
  in.esr_in_w = p.esr_in_ohm * std::max(0.0, d1 * pk_sq3 - mean_in * mean_in);
  in.esr_out_w = p.esr_out_ohm * std::max(0.0, (d1 + d2) * pk_sq3 - mean_l * mean_l);
  draw_from_input(fz, s.v_in_v);
  return fz;
}

void add_linear_losses(const SyncBuckParams& p, const Frozen& fz, const MidpointStep& r, double tau,
                       SyncBuckLosses& sum) {
  const SyncBuckLosses& in = fz.input_side;
  const double k = tau * (r.v_in_mid_v * fz.inv_v_ref);  // the frozen part, drawn as i_x
  const double i = r.i_l_mid_a;
  const double ti2 = tau * (i * i);
  const double di_in = r.i_source_mid_a - r.i_in_mid_a;
  const double di_out = i - r.i_load_mid_a;
  sum.hs_conduction_w += k * in.hs_conduction_w + fz.r_hs * ti2;
  sum.ls_conduction_w += k * in.ls_conduction_w + fz.r_ls * ti2;
  sum.body_diode_w += k * in.body_diode_w + tau * (fz.net.v_d_v * i);
  sum.switching_w += k * in.switching_w;
  sum.reverse_recovery_w += k * in.reverse_recovery_w;
  sum.coss_w += k * in.coss_w;
  sum.gate_w += k * in.gate_w;
  sum.inductor_dcr_w += k * in.inductor_dcr_w + p.dcr_ohm * ti2;
  sum.inductor_core_w += k * in.inductor_core_w;
  sum.esr_in_w += k * in.esr_in_w + fz.r_ac * ti2 + tau * (p.esr_in_ohm * di_in * di_in);
  sum.esr_out_w += k * in.esr_out_w + tau * (p.esr_out_ohm * di_out * di_out);
}

SyncBuckLosses linear_losses(const SyncBuckParams& p, const Frozen& fz, const MidpointStep& r) {
  SyncBuckLosses l;
  add_linear_losses(p, fz, r, 1.0, l);
  return l;
}

}  // namespace sync_buck_detail

double core_loss_w(const SyncBuckParams& p, double ripple_a, double f_sw_hz) {
  if (p.core_loss_ref_w <= 0.0 || ripple_a <= 0.0 || f_sw_hz <= 0.0) {
    return 0.0;
  }
  return p.core_loss_ref_w * std::pow(f_sw_hz / p.core_ref_f_hz, p.core_alpha) *
         std::pow(ripple_a / p.core_ref_ripple_a, p.core_beta);
}

using sync_buck_detail::ccm_frozen;
using sync_buck_detail::Frozen;
using sync_buck_detail::linear_losses;
using sync_buck_detail::Period;
using sync_buck_detail::period_of;

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
  sync_buck_detail::CoreLoss core(p_, q);
  const Frozen fz = ccm_frozen(p_, q, s, 0, core);
  // At the steady point the averages are constant: i_mid = i, i_source = i_in, i_load = i.
  MidpointStep r;
  r.v_in_mid_v = v_in_v;
  r.i_l_mid_a = i;
  r.i_in_mid_a = fz.net.m * i + fz.net.i_x_a;
  r.i_source_mid_a = r.i_in_mid_a;
  r.i_load_mid_a = i;
  SyncBuckOperatingPoint op;
  op.duty = q.duty;
  op.i_in_a = r.i_in_mid_a;
  op.ripple_a = fz.ripple_a;
  op.ccm = i - 0.5 * fz.ripple_a >= 0.0;
  op.losses = linear_losses(p_, fz, r);
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
