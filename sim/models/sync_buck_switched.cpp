#include "sim/models/sync_buck_switched.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

// Edges closer than this fraction of a period are taken as reached.
constexpr double kSnap = 1e-12;

struct Timing {
  double f_hz = 0.0;
  double t_s = 0.0;
  double duty = 0.0;
  bool switching = false;
  double ends[4] = {0.0, 0.0, 0.0, 0.0};  // end time of each segment
};

Timing timing_of(const SyncBuckParams& p, const SyncBuckControl& c) {
  Timing t;
  t.f_hz = c.f_sw_hz > 0.0 && std::isfinite(c.f_sw_hz) ? c.f_sw_hz : p.f_sw_hz;
  t.t_s = 1.0 / t.f_hz;
  t.duty = c.duty > 0.0 ? std::min(c.duty, 1.0) : 0.0;
  t.switching = c.enabled && t.duty > 0.0 && t.duty < 1.0;
  const double td = t.switching ? std::min(p.dead_time_s, 0.5 * (1.0 - t.duty) * t.t_s) : 0.0;
  const double t_on = c.enabled ? t.duty * t.t_s : 0.0;
  t.ends[0] = t_on;
  t.ends[1] = t_on + td;
  t.ends[2] = t.t_s - td;
  t.ends[3] = t.t_s;
  return t;
}

struct Sums {
  double v_in = 0.0, v_out = 0.0, i_l = 0.0, q_in = 0.0;
};

// Takes energy e_j from the input capacitor as charge e / v (an edge loss).
void draw(const SyncBuckParams& p, SyncBuckState& s, double e_j, Sums& sums) {
  if (e_j <= 0.0) {
    return;
  }
  const double q = e_j / std::max(s.v_in_v, 1.0);
  s.v_in_v -= q / p.c_in_f;
  sums.q_in += q;
}

void integrate(const SyncBuckParams& p, SyncBuckState& s, const LinearSwitchNetwork& net,
               double i_s, double i_ld, double h, bool zero_current, Sums& sums) {
  const MidpointStep r = midpoint_step(p, s, net, i_s, i_ld, h, zero_current);
  sums.v_in += h * r.v_in_mid_v;
  sums.v_out += h * r.v_out_mid_v;
  sums.i_l += h * r.i_l_mid_a;
  sums.q_in += h * r.i_in_mid_a;
  s = r.end;
}

// Advances h through a network that may not carry current of the sign opposite to `sign`
// (0: any). Returns true if the current reached zero (then clamped) within h.
bool blocked_step(const SyncBuckParams& p, SyncBuckState& s, const LinearSwitchNetwork& net,
                  int sign, double i_s, double i_ld, double h, Sums& sums) {
  const double i0 = s.i_l_a;
  const MidpointStep r = midpoint_step(p, s, net, i_s, i_ld, h);
  if (sign == 0 || r.end.i_l_a * sign >= 0.0) {
    integrate(p, s, net, i_s, i_ld, h, false, sums);
    return false;
  }
  const double t0 = i0 == 0.0 ? 0.0 : time_to_zero_current(p, s, net, i_s, i_ld, h);
  if (t0 > 0.0) {
    integrate(p, s, net, i_s, i_ld, t0, false, sums);
  }
  s.i_l_a = 0.0;
  if (h - t0 > 0.0) {
    integrate(p, s, LinearSwitchNetwork{}, i_s, i_ld, h - t0, true, sums);
  }
  return true;
}

// Both FETs off: the body diodes decide (low side's for i > 0, high side's for i < 0).
void diode_step(const SyncBuckParams& p, SyncBuckState& s, double i_s, double i_ld, double h,
                Sums& sums) {
  const LinearSwitchNetwork ls_diode{0.0, 0.0, p.v_f_v, 0.0};
  const LinearSwitchNetwork hs_diode{1.0, 0.0, -p.v_f_v, 0.0};
  if (s.i_l_a > 0.0) {
    blocked_step(p, s, ls_diode, 1, i_s, i_ld, h, sums);
  } else if (s.i_l_a < 0.0) {
    blocked_step(p, s, hs_diode, -1, i_s, i_ld, h, sums);
  } else if (midpoint_step(p, s, hs_diode, i_s, i_ld, h).end.i_l_a < 0.0) {
    blocked_step(p, s, hs_diode, -1, i_s, i_ld, h, sums);
  } else if (midpoint_step(p, s, ls_diode, i_s, i_ld, h).end.i_l_a > 0.0) {
    blocked_step(p, s, ls_diode, 1, i_s, i_ld, h, sums);
  } else {
    integrate(p, s, LinearSwitchNetwork{}, i_s, i_ld, h, true, sums);
  }
}

}  // namespace

Result<SyncBuckSwitched> SyncBuckSwitched::create(const SyncBuckParams& params,
                                                  int substeps_per_period) {
  if (!SyncBuck::create(params).ok() || substeps_per_period < 20) {
    return Status::kInvalidArgument;
  }
  return SyncBuckSwitched(params, substeps_per_period);
}

SyncBuckSwitchedResult SyncBuckSwitched::step(SyncBuckSwitchedState& st,
                                              const SyncBuckControl& control, double i_s,
                                              double i_ld, double dt_s) const {
  SyncBuckSwitchedResult res;
  SyncBuckState& s = st.circuit;
  if (!(dt_s > 0.0)) {
    return res;
  }
  Sums sums;
  double t = 0.0;
  Timing tm = timing_of(p_, st.latched);
  const double rr = p_.dead_time_s > 0.0 ? p_.q_rr_c : 0.0;  // only after a diode conducted
  auto begin_period = [&]() {
    if (st.started) {  // core loss of the period that ends
      draw(p_, s, core_loss_w(p_, st.i_max_a - st.i_min_a, tm.f_hz) * tm.t_s, sums);
    }
    const double i_prev = s.i_l_a;
    st.started = true;
    st.latched = control;
    tm = timing_of(p_, control);
    st.segment = 0;
    st.t_in_period_s = 0.0;
    st.ls_off = false;
    st.i_min_a = st.i_max_a = s.i_l_a;
    if (!tm.switching) {
      return;
    }
    const double v = std::max(s.v_in_v, 0.0);
    draw(p_, s, (p_.q_g_hs_c + p_.q_g_ls_c) * p_.v_drive_v, sums);
    if (i_prev > 0.0) {  // high side turns on against the low side's diode
      draw(p_, s, 0.5 * v * i_prev * p_.t_rise_s + rr * v + 0.5 * p_.c_oss_f * v * v, sums);
    } else if (i_prev == 0.0) {  // DCM: the node rings about v_out
      const double dv = v - s.v_out_v;
      draw(p_, s, 0.5 * p_.c_oss_f * dv * dv, sums);
    }
  };
  auto edge_into = [&](int seg) {  // edge losses on entering segment seg (1..3)
    if (!tm.switching) {
      return;
    }
    const double v = std::max(s.v_in_v, 0.0);
    const double i = s.i_l_a;
    if (seg == 1 && i > 0.0) {  // high side turns off hard
      draw(p_, s, 0.5 * v * i * p_.t_fall_s, sums);
    } else if (seg == 2) {
      if (!st.latched.low_side_enabled && i <= 0.0) {
        st.ls_off = true;
      } else if (i < 0.0) {  // low side turns on against the high side's diode
        draw(p_, s, 0.5 * v * -i * p_.t_rise_s + rr * v + 0.5 * p_.c_oss_f * v * v, sums);
      }
    } else if (seg == 3 && i < 0.0 && st.latched.low_side_enabled) {  // LS off, hard
      draw(p_, s, 0.5 * v * -i * p_.t_fall_s, sums);
    }
  };
  if (!st.started) {
    begin_period();
  }
  while (dt_s - t > kSnap * tm.t_s) {
    const double seg_end = tm.ends[st.segment];
    if (seg_end - st.t_in_period_s <= kSnap * tm.t_s) {
      st.t_in_period_s = seg_end;
      if (st.segment == 3) {
        begin_period();
      } else {
        ++st.segment;
        edge_into(st.segment);
      }
      continue;
    }
    const double h = std::min({tm.t_s / substeps_, seg_end - st.t_in_period_s, dt_s - t});
    const bool enabled = st.latched.enabled;
    if (enabled && st.segment == 0) {
      blocked_step(p_, s, {1.0, p_.rds_on_hs_ohm, 0.0, 0.0}, 0, i_s, i_ld, h, sums);
    } else if (enabled && st.segment == 2 &&
               (st.latched.low_side_enabled || (!st.ls_off && s.i_l_a > 0.0))) {
      const int sign = st.latched.low_side_enabled ? 0 : 1;
      if (blocked_step(p_, s, {0.0, p_.rds_on_ls_ohm, 0.0, 0.0}, sign, i_s, i_ld, h, sums)) {
        st.ls_off = true;
      }
    } else {
      diode_step(p_, s, i_s, i_ld, h, sums);
    }
    st.i_min_a = std::min(st.i_min_a, s.i_l_a);
    st.i_max_a = std::max(st.i_max_a, s.i_l_a);
    st.t_in_period_s += h;
    t += h;
  }
  res.v_in_avg_v = sums.v_in / dt_s;
  res.v_out_avg_v = sums.v_out / dt_s;
  res.i_l_avg_a = sums.i_l / dt_s;
  res.i_in_avg_a = sums.q_in / dt_s;
  return res;
}

}  // namespace powerstack::sim
