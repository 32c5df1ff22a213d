#include "sim/models/sync_buck.hpp"

#include <algorithm>
#include <cmath>

#include "sim/models/sync_buck_detail.hpp"

namespace powerstack::sim {

namespace sync_buck_detail {

namespace {

constexpr int kMaxPiecesPerSubstep = 4;

// Port currents, capacitor midpoints and the end state from the midpoint node voltages.
void finish(const SyncBuckParams& p, const SyncBuckState& s, const Ports& ports, double i_end,
            MidpointStep& r) {
  r.i_source_mid_a = ports.source_a(r.v_in_mid_v);
  r.i_bat_mid_a = ports.bat_a(r.v_out_mid_v);
  r.i_load_mid_a = ports.i_extra + r.i_bat_mid_a;
  const double v_cin_mid = r.v_in_mid_v - p.esr_in_ohm * (r.i_source_mid_a - r.i_in_mid_a);
  const double v_cout_mid = r.v_out_mid_v - p.esr_out_ohm * (r.i_l_mid_a - r.i_load_mid_a);
  r.end = {2.0 * v_cin_mid - s.v_in_v, i_end, 2.0 * v_cout_mid - s.v_out_v};
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
// which with the midpoint node relations (ports included) is a quadratic in i1.
MidpointStep dcm_step(const SyncBuckParams& p, const SyncBuckState& s, const Frozen& fz,
                      const SyncBuckLosses& output_side, const Ports& ports, const Impedances& imp,
                      SyncBuckLosses& losses) {
  const double z_in = imp.z_in;
  const double z_out = imp.z_out;
  const double gd = fz.g_d;
  const double i0 = s.i_l_a;
  const double kl = p.l_h / (2.0 * imp.h);
  const double a_in = s.v_in_v + z_in * (ports.source_a(s.v_in_v) - fz.net.i_x_a);
  const double b = s.v_out_v - z_out * (ports.i_extra + ports.bat_a(s.v_out_v));
  // With transfer: v_in = P0 + P1 i1, v_in - v_out = Q0 + Q1 i1 (Q1 < 0).
  const double p0 = (a_in + z_in * gd * b) / (1.0 + z_in * gd);
  const double p1 = z_in * gd * z_out / (1.0 + z_in * gd);
  const double q0 = p0 - b;
  const double q1 = p1 - z_out;
  const double available = (q0 > 0.0 ? gd * p0 * q0 : 0.0) + kl * i0 * i0;
  const double p_out_full = output_side.total_w();
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
  finish(p, s, ports, i1, r);

  losses = fz.input_side;
  losses *= r.v_in_mid_v * fz.inv_v_ref;
  SyncBuckLosses out = output_side;
  out *= p_out_full > 0.0 ? p_out / p_out_full : 0.0;
  losses += out;
  const double di_in = r.i_source_mid_a - r.i_in_mid_a;
  const double di_out = i1 - r.i_load_mid_a;
  losses.esr_in_w += p.esr_in_ohm * di_in * di_in;
  losses.esr_out_w += p.esr_out_ohm * di_out * di_out;
  return r;
}

void dcm_piece(const SyncBuckParams& p, const Period& q, SyncBuckState& s, const Ports& ports,
               const Impedances& imp, CoreLoss& core, Accumulator& acc) {
  SyncBuckLosses out;
  const Frozen fz = dcm_frozen(p, q, s, core, out);
  SyncBuckLosses l;
  const MidpointStep r = dcm_step(p, s, fz, out, ports, imp, l);
  acc.add(r, fz.mode, ports, imp.h);
  l *= imp.h;
  acc.losses += l;
  s = r.end;
}

// Tries a linear family over h from the present state; accepts it when the current does not
// leave the family's sign (or, from zero, actually moves into it).
bool try_linear(const SyncBuckParams& p, const Frozen& fz, SyncBuckState& s, const Ports& ports,
                const Impedances& imp, Accumulator& acc) {
  const MidpointStep r = midpoint_step(p, s, fz.net, ports, imp, false);
  const double i_end = r.end.i_l_a;
  if (fz.sign != 0 && (s.i_l_a == 0.0 ? i_end * fz.sign <= 0.0 : i_end * fz.sign < 0.0)) {
    return false;
  }
  acc.add(r, fz.mode, ports, imp.h);
  add_linear_losses(p, fz, r, imp.h, acc.losses);
  s = r.end;
  return true;
}

// One sub-step (imp.h): pieces split where a blocked current reaches zero.
void advance(const SyncBuckParams& p, const Period& q, const SyncBuckControl& c, SyncBuckState& s,
             const Ports& ports, const Impedances& sub, CoreLoss& core, Accumulator& acc) {
  double remaining = sub.h;
  for (int piece = 0; piece < kMaxPiecesPerSubstep && remaining > 0.0; ++piece) {
    const Impedances imp = remaining == sub.h ? sub : impedances(p, ports, remaining);
    const double i0 = s.i_l_a;
    const bool diode_emulation = c.enabled && !c.low_side_enabled;
    if (c.enabled && c.low_side_enabled) {
      try_linear(p, ccm_frozen(p, q, s, 0, core), s, ports, imp, acc);
      return;
    }
    if (i0 == 0.0) {
      // Start from zero: reverse through the high side (back-feed) if biased, then forward.
      if (try_linear(p, diode_frozen(p, q, c, s, -1), s, ports, imp, acc)) {
        return;
      }
      if (diode_emulation && q.switching) {
        dcm_piece(p, q, s, ports, imp, core, acc);
        return;
      }
      const Frozen fwd = c.enabled ? ccm_frozen(p, q, s, 1, core) : diode_frozen(p, q, c, s, 1);
      if (try_linear(p, fwd, s, ports, imp, acc)) {
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
        dcm_piece(p, q, s, ports, imp, core, acc);
        return;
      }
      fz = ccm_frozen(p, q, s, 1, core);
    }
    if (try_linear(p, fz, s, ports, imp, acc)) {
      return;
    }
    // The current reaches zero within the piece: step to that instant exactly.
    const double t0 = time_to_zero_current(p, s, fz.net, ports, remaining);
    if (t0 > 0.0) {
      const MidpointStep r = midpoint_step(p, s, fz.net, ports, impedances(p, ports, t0), false);
      acc.add(r, fz.mode, ports, t0);
      add_linear_losses(p, fz, r, t0, acc.losses);
      s = r.end;
    }
    s.i_l_a = 0.0;
    remaining -= t0;
  }
  if (remaining > 0.0) {  // inductor open: only the capacitors move
    const Frozen none;
    const MidpointStep r =
        midpoint_step(p, s, none.net, ports, impedances(p, ports, remaining), true);
    acc.add(r, SyncBuckMode::kOff, ports, remaining);
    add_linear_losses(p, none, r, remaining, acc.losses);
    s = r.end;
  }
}

}  // namespace

Ports held_ports(double i_source_a, double i_load_a) {
  Ports ports;
  ports.i_s0 = i_source_a;
  ports.i_extra = i_load_a;
  return ports;
}

Impedances impedances(const SyncBuckParams& p, const Ports& ports, double h) {
  const double z_in = h / (2.0 * p.c_in_f) + p.esr_in_ohm;
  const double z_out = h / (2.0 * p.c_out_f) + p.esr_out_ohm;
  Impedances imp;
  imp.h = h;
  imp.z_in = z_in / (1.0 - z_in * ports.g_s);
  imp.z_out = z_out / (1.0 + z_out * ports.g_b);
  imp.k = 2.0 * p.l_h / h;
  return imp;
}

MidpointStep midpoint_step(const SyncBuckParams& p, const SyncBuckState& s,
                           const LinearSwitchNetwork& net, const Ports& ports,
                           const Impedances& imp, bool zero_current) {
  // Port currents at the capacitors' start voltages, then the node relations:
  // v_in = a - z_in m i_mid with a = a0 - z_in i_x, v_out = b + z_out i_mid.
  const double a0 = s.v_in_v + imp.z_in * ports.source_a(s.v_in_v);
  const double b = s.v_out_v - imp.z_out * (ports.i_extra + ports.bat_a(s.v_out_v));
  const double zm = imp.z_in * net.m;
  const double a = a0 - imp.z_in * net.i_x_a;
  double i = 0.0;
  if (!zero_current) {
    // (2L/h)(i_mid - i0) = m v_in - r_sw i_mid - v_d - dcr i_mid - v_out, all at the midpoint.
    // Written so that the loss current i_x (the last input to be known) enters late.
    const double inv_den = 1.0 / (imp.k + zm * net.m + net.r_sw_ohm + p.dcr_ohm + imp.z_out);
    const double num0 = imp.k * s.i_l_a + net.m * a0 - net.v_d_v - b;
    i = (num0 - zm * net.i_x_a) * inv_den;
  }
  MidpointStep r;
  r.i_l_mid_a = i;
  r.i_in_mid_a = net.m * i + net.i_x_a;
  r.v_in_mid_v = a - zm * i;
  r.v_out_mid_v = b + imp.z_out * i;
  finish(p, s, ports, zero_current ? 0.0 : 2.0 * i - s.i_l_a, r);
  return r;
}

double time_to_zero_current(const SyncBuckParams& p, const SyncBuckState& s,
                            const LinearSwitchNetwork& net, const Ports& ports, double h) {
  const double i0 = s.i_l_a;
  auto same_sign = [&](double t) {
    return midpoint_step(p, s, net, ports, impedances(p, ports, t), false).end.i_l_a * i0 > 0.0;
  };
  if (i0 == 0.0 || same_sign(h)) {
    return h;
  }
  double lo = 0.0;
  double hi = h;
  while (hi - lo > 1e-15 * h) {
    const double mid = 0.5 * (lo + hi);
    (same_sign(mid) ? lo : hi) = mid;
  }
  return lo;
}

void Accumulator::add(const MidpointStep& r, SyncBuckMode m, const Ports& ports, double tau) {
  v_in += tau * r.v_in_mid_v;
  v_out += tau * r.v_out_mid_v;
  i_l += tau * r.i_l_mid_a;
  i_in += tau * r.i_in_mid_a;
  q_src += tau * r.i_source_mid_a;
  q_bat += tau * r.i_bat_mid_a;
  e_src += tau * r.v_in_mid_v * r.i_source_mid_a;
  e_bat += tau * r.v_out_mid_v * r.i_bat_mid_a;
  e_r_b += tau * ports.r_b * r.i_bat_mid_a * r.i_bat_mid_a;
  mode = m;
}

void integrate(const SyncBuckParams& p, const Period& q, const SyncBuckControl& c, SyncBuckState& s,
               const Ports& ports, double h, int n, Accumulator& acc) {
  const Impedances sub = impedances(p, ports, h);
  CoreLoss core(p, q);
  for (int k = 0; k < n; ++k) {
    advance(p, q, c, s, ports, sub, core, acc);
  }
}

}  // namespace sync_buck_detail

namespace {

using sync_buck_detail::Accumulator;
using sync_buck_detail::Ports;

constexpr double kPi = 3.14159265358979323846;
constexpr int kMaxSubsteps = 1000000;
// A connected load port's resistance below this is taken as this.
constexpr double kMinPortResistanceOhm = 1e-9;

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}
bool finite_positive(double x) {
  return std::isfinite(x) && x > 0.0;
}

int substeps_for(double dt_s, double h_max_s) {
  if (dt_s <= h_max_s) {
    return 1;
  }
  const double n_real = std::ceil(dt_s / h_max_s);
  return n_real >= kMaxSubsteps ? kMaxSubsteps : std::max(1, static_cast<int>(n_real));
}

void fill(SyncBuckStepResult& res, const Accumulator& acc, double dt_s, int n) {
  res.v_in_avg_v = acc.v_in / dt_s;
  res.v_out_avg_v = acc.v_out / dt_s;
  res.i_l_avg_a = acc.i_l / dt_s;
  res.i_in_avg_a = acc.i_in / dt_s;
  res.losses = acc.losses;
  res.losses *= 1.0 / dt_s;
  res.mode = acc.mode;
  res.substeps = n;
}

}  // namespace

MidpointStep midpoint_step(const SyncBuckParams& p, const SyncBuckState& s,
                           const LinearSwitchNetwork& net, double i_source_a, double i_load_a,
                           double h_s, bool zero_current) {
  const sync_buck_detail::Ports ports = sync_buck_detail::held_ports(i_source_a, i_load_a);
  return sync_buck_detail::midpoint_step(p, s, net, ports,
                                         sync_buck_detail::impedances(p, ports, h_s), zero_current);
}

double time_to_zero_current(const SyncBuckParams& p, const SyncBuckState& s,
                            const LinearSwitchNetwork& net, double i_source_a, double i_load_a,
                            double h_s) {
  return sync_buck_detail::time_to_zero_current(
      p, s, net, sync_buck_detail::held_ports(i_source_a, i_load_a), h_s);
}

SyncBuck::SyncBuck(const SyncBuckParams& p) : p_(p) {
  const double t_lc_s = 2.0 * kPi * std::sqrt(p.l_h / (1.0 / p.c_in_f + 1.0 / p.c_out_f));
  h_max_s_ = t_lc_s / 20.0;
  h_port_s_ = t_lc_s / 2.0;
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
  const int n = substeps_for(dt_s, h_max_s_);
  Accumulator acc;
  sync_buck_detail::integrate(p_, sync_buck_detail::period_of(p_, control), control, state,
                              sync_buck_detail::held_ports(i_source_a, i_load_a), dt_s / n, n, acc);
  fill(res, acc, dt_s, n);
  return res;
}

SyncBuckPortStepResult SyncBuck::step(SyncBuckState& state, const SyncBuckControl& control,
                                      const SyncBuckSourcePort& source,
                                      const SyncBuckLoadPort& load, double dt_s,
                                      double max_substep_s) const {
  SyncBuckPortStepResult res;
  const double h_limit = max_substep_s > 0.0 ? max_substep_s : h_port_s_;  // NaN: the default
  const int n = dt_s > 0.0 && h_max_s_ > 0.0 ? substeps_for(dt_s, h_limit) : 0;
  const double h = n > 1 ? dt_s / n : dt_s;
  Ports ports;
  ports.i_s0 = source.i0_a;
  ports.g_s = source.g_a_per_v;
  if (ports.g_s > 0.0) {
    // A rising source characteristic (a negative resistance, not a PV panel) is limited so
    // that the coupled input node stays well posed: g z_in <= 1/2.
    const double z_in = h / (2.0 * p_.c_in_f) + p_.esr_in_ohm;
    ports.g_s = std::min(ports.g_s, 0.5 / z_in);
  }
  ports.v_s0 = source.v0_v;
  ports.i_extra = load.i_extra_a;
  ports.v_b = load.v_th_v;
  if (load.connected) {
    ports.r_b = load.r_th_ohm > kMinPortResistanceOhm ? load.r_th_ohm : kMinPortResistanceOhm;
    ports.g_b = 1.0 / ports.r_b;
  }
  if (n == 0) {
    res.v_in_avg_v = state.v_in_v;
    res.v_out_avg_v = state.v_out_v;
    res.i_l_avg_a = state.i_l_a;
    res.i_source_avg_a = ports.source_a(state.v_in_v);
    res.i_bat_avg_a = ports.bat_a(state.v_out_v);
    res.i_load_avg_a = ports.i_extra + res.i_bat_avg_a;
    return res;
  }
  const double e0_j = stored_energy_j(state);
  Accumulator acc;
  sync_buck_detail::integrate(p_, sync_buck_detail::period_of(p_, control), control, state, ports,
                              h, n, acc);
  fill(res, acc, dt_s, n);
  const double inv_dt = 1.0 / dt_s;
  res.i_source_avg_a = acc.q_src * inv_dt;
  res.i_bat_avg_a = acc.q_bat * inv_dt;
  res.i_load_avg_a = ports.i_extra + res.i_bat_avg_a;
  res.e_source_j = acc.e_src;
  res.e_bat_port_j = acc.e_bat;
  res.e_r_th_j = acc.e_r_b;
  res.e_extra_load_j = ports.i_extra * acc.v_out;  // the held current times int v_out dt
  res.e_loss_j = acc.losses.total_w();
  res.stored_delta_j = stored_energy_j(state) - e0_j;
  return res;
}

double SyncBuck::stored_energy_j(const SyncBuckState& s) const {
  return 0.5 * (p_.c_in_f * s.v_in_v * s.v_in_v + p_.l_h * s.i_l_a * s.i_l_a +
                p_.c_out_f * s.v_out_v * s.v_out_v);
}

}  // namespace powerstack::sim
