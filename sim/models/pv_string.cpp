#include "sim/models/pv_string.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace powerstack::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxBracketDoublings = 200;

}  // namespace

PvString::PvString(std::vector<PvSubstring> substrings)
    : subs_(std::move(substrings)),
      valid_(!subs_.empty() && std::all_of(subs_.begin(), subs_.end(), [](const PvSubstring& s) {
        return is_valid(s.pv) && std::isfinite(s.bypass.is_a) && s.bypass.is_a >= 0.0 &&
               std::isfinite(s.bypass.n_vt_v) && s.bypass.n_vt_v > 0.0;
      })) {
  isc_.reserve(subs_.size());
  for (const PvSubstring& s : subs_) {
    isc_.push_back(pv_isc_a(s.pv));
  }
}

double PvString::max_substring_isc_a() const {
  double m = 0.0;
  for (double i : isc_) {
    m = std::max(m, i);
  }
  return m;
}

PvString::Solution PvString::solve_substring(std::size_t k, double i_a) const {
  const PvSubstring& s = subs_[k];
  const double v_pv = pv_voltage_v(s.pv, i_a);
  if (s.bypass.is_a == 0.0) {
    return {v_pv, 1.0 / pv_slope_a_per_v(s.pv, v_pv, i_a)};
  }
  const double is = s.bypass.is_a;
  const double nvt = s.bypass.n_vt_v;
  // Total current out of the substring + bypass pair, minus i_a: decreasing in v.
  const auto fdf = [&](double v) {
    const double i_pv = pv_current_a(s.pv, v);
    const double e = std::exp(-v / nvt);
    return pv_numeric::ValueSlope{i_pv + is * (e - 1.0) - i_a,
                                  pv_slope_a_per_v(s.pv, v, i_pv) - is / nvt * e};
  };
  double lo = 0.0;
  double hi = 0.0;
  double v0 = 0.0;
  if (v_pv >= 0.0) {
    hi = v_pv;  // I <= Isc: the bypass only leaks, so the root is just below V_pv(I)
    v0 = v_pv;
  } else {
    // I > Isc: the bypass carries at most I - Isc (the PV part takes the rest).
    lo = std::max(v_pv, -nvt * std::log1p(std::max(0.0, i_a - isc_[k]) / is));
    v0 = lo;
  }
  const double v = lo == hi ? lo : pv_numeric::newton_decreasing(fdf, lo, hi, v0, 1e-13);
  return {v, 1.0 / fdf(v).df};
}

PvString::Solution PvString::solve(double i_a) const {
  Solution total{0.0, 0.0};
  for (std::size_t k = 0; k < subs_.size(); ++k) {
    const Solution s = solve_substring(k, i_a);
    total.v_v += s.v_v;
    total.dv_di_ohm += s.dv_di_ohm;
  }
  return total;
}

double PvString::substring_voltage_v(std::size_t k, double i_a) const {
  if (k >= subs_.size() || !valid_ || std::isnan(i_a)) {
    return kNaN;
  }
  return solve_substring(k, i_a).v_v;
}

double PvString::voltage_v(double i_a) const {
  if (!valid_ || std::isnan(i_a)) {
    return kNaN;
  }
  return solve(i_a).v_v;
}

double PvString::current_a(double v_v, double i_hint_a) const {
  if (!valid_ || std::isnan(v_v)) {
    return kNaN;
  }
  const double scale = std::max(max_substring_isc_a(), 1e-3);
  const auto f = [&](double i) { return solve(i).v_v - v_v; };  // decreasing in i
  double lo = 0.0;
  double hi = 0.0;
  if (f(0.0) >= 0.0) {
    hi = scale * 1.001;
    for (int n = 0; n < kMaxBracketDoublings && f(hi) > 0.0; ++n) {
      lo = hi;
      hi *= 2.0;
    }
  } else {
    lo = -scale;
    for (int n = 0; n < kMaxBracketDoublings && f(lo) < 0.0; ++n) {
      hi = lo;
      lo *= 2.0;
    }
  }
  const auto fdf = [&](double i) {
    const Solution s = solve(i);
    return pv_numeric::ValueSlope{s.v_v - v_v, s.dv_di_ohm};
  };
  const double x0 = std::isfinite(i_hint_a) ? i_hint_a : hi;
  return pv_numeric::newton_decreasing(fdf, lo, hi, x0, 1e-13 * scale);
}

std::vector<PvMpp> PvString::local_maxima() const {
  std::vector<PvMpp> out;
  const double i_max = max_substring_isc_a();
  if (!valid() || !(i_max > 0.0)) {
    return out;
  }
  const int n = std::max(400, 150 * static_cast<int>(subs_.size()));
  std::vector<double> cur(static_cast<std::size_t>(n));
  std::vector<double> pw(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) {
    const double i = i_max * static_cast<double>(j) / static_cast<double>(n - 1);
    cur[static_cast<std::size_t>(j)] = i;
    pw[static_cast<std::size_t>(j)] = i * voltage_v(i);
  }
  const auto neg_p = [this](double i) { return -i * voltage_v(i); };
  for (std::size_t j = 1; j + 1 < cur.size(); ++j) {
    if (!(pw[j] > pw[j - 1] && pw[j] >= pw[j + 1] && pw[j] > 0.0)) {
      continue;
    }
    const double i = pv_numeric::brent_min(neg_p, cur[j - 1], cur[j + 1], 1e-12 * i_max);
    const double v = voltage_v(i);
    if (!out.empty() && std::fabs(out.back().i_a - i) <= 1e-9 * i_max) {
      continue;
    }
    out.push_back({v, i, v * i});
  }
  std::reverse(out.begin(), out.end());  // scanned by rising current = falling voltage
  return out;
}

PvMpp PvString::global_mpp() const {
  PvMpp best;
  for (const PvMpp& m : local_maxima()) {
    if (m.p_w > best.p_w) {
      best = m;
    }
  }
  return best;
}

std::vector<PvPoint> PvString::curve(int n_points) const {
  std::vector<PvPoint> out;
  if (n_points < 2 || !valid()) {
    return out;
  }
  const double voc = std::max(0.0, voc_v());
  out.reserve(static_cast<std::size_t>(n_points));
  for (int k = 0; k < n_points; ++k) {
    const double v = voc * static_cast<double>(k) / static_cast<double>(n_points - 1);
    out.push_back({v, current_a(v)});
  }
  return out;
}

PvString make_pv_string(const PvModuleFit& fit, int substrings_per_module,
                        std::span<const PvConditions> conditions, BypassDiode bypass) {
  std::vector<PvSubstring> subs;
  if (!fit.ok || substrings_per_module < 1) {
    return PvString(std::move(subs));
  }
  const auto m = static_cast<double>(substrings_per_module);
  subs.reserve(conditions.size());
  for (const PvConditions& c : conditions) {
    SingleDiodeParams p = module_params_at(fit, c.g_w_m2, c.t_c);
    p.rs_ohm /= m;
    p.rsh_ohm /= m;
    p.nnsvth_v /= m;
    subs.push_back({p, bypass});
  }
  return PvString(std::move(subs));
}

}  // namespace powerstack::sim
