// A PV string: substrings in series, each a single-diode block with its own irradiance and
// temperature and a bypass diode across it. Partial shading makes P(V) multi-peaked.
//
// Sign convention (generator, as pv_single_diode.hpp): I is the string current delivered at
// the positive terminal, positive when generating; V is the string terminal voltage. Every
// substring carries the same string current I; its voltage V_k(I) is clamped by its bypass
// diode, and V(I) = sum_k V_k(I).
//
// Bypass diode model: a Shockley diode, anode on the substring's negative terminal, so it
// conducts when the substring voltage goes negative:
//   I = I_pv,k(V_k) + Is * (exp(-V_k / nVt) - 1)
// (with its reverse leakage -Is when the substring is generating). The defaults, Is = 1 uA
// and nVt = 26 mV, give about 0.36 V at 1 A and 0.42 V at 10 A, typical of the Schottky
// bypass diodes of c-Si modules at 25 C. The diode is smooth, so P(V) is smooth and V(I) is
// strictly decreasing everywhere. Is = 0 removes the bypass diode.
//
// Methods. V_k(I) is a root of the monotonic substring equation by safeguarded Newton
// (bisection whenever a step leaves the bracket [0, V_pv(I)] when I <= Isc,k, else
// [max(V_pv(I), -nVt ln(1 + (I - Isc,k)/Is)), 0]). I(V) is the same safeguarded Newton on
// the strictly decreasing V(I) - V, with dV/dI = sum_k dV_k/dI, in a bracket found by
// expansion (bounded; a voltage no current reaches returns the end of the last bracket).
// MPPs: P is sampled densely along the curve, parametrised by the current (so no nested
// root finding is needed; V(I) is a bijection, so local maxima in I are local maxima in
// V), every sampled local maximum with P > 0 is refined with Brent's minimiser on -P, and
// the global MPP is the largest of them.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "sim/models/pv_single_diode.hpp"

namespace powerstack::sim {

struct BypassDiode {
  double is_a = 1e-6;     // saturation current; 0 = no bypass diode
  double n_vt_v = 0.026;  // emission voltage n kT/q
};

struct PvSubstring {
  SingleDiodeParams pv;
  BypassDiode bypass;
};

// Operating conditions of one substring.
struct PvConditions {
  double g_w_m2 = kStcIrradianceWPerM2;
  double t_c = kStcTemperatureC;
};

class PvString {
 public:
  explicit PvString(std::vector<PvSubstring> substrings);

  // Every substring has valid single-diode parameters and a sane bypass diode.
  [[nodiscard]] bool valid() const { return valid_; }
  [[nodiscard]] std::size_t size() const { return subs_.size(); }
  [[nodiscard]] const PvSubstring& substring(std::size_t k) const { return subs_[k]; }

  // Voltage of substring k (bypass diode included) at string current i_a.
  [[nodiscard]] double substring_voltage_v(std::size_t k, double i_a) const;
  // String voltage at string current i_a.
  [[nodiscard]] double voltage_v(double i_a) const;
  // String current at string voltage v_v. A hint (e.g. the previous time step's current)
  // only speeds up the search; the result is the same to ~1e-13 relative.
  [[nodiscard]] double current_a(double v_v,
                                 double i_hint_a = std::numeric_limits<double>::quiet_NaN()) const;
  [[nodiscard]] double voc_v() const { return voltage_v(0.0); }
  [[nodiscard]] double isc_a() const { return current_a(0.0); }

  // Local maxima of P(V) with P > 0, ordered by voltage (ascending).
  [[nodiscard]] std::vector<PvMpp> local_maxima() const;
  // The largest local maximum; all zero when the string produces no power.
  [[nodiscard]] PvMpp global_mpp() const;
  // n_points >= 2 points evenly spaced in V from 0 to Voc.
  [[nodiscard]] std::vector<PvPoint> curve(int n_points) const;

 private:
  struct Solution {
    double v_v = 0.0;
    double dv_di_ohm = 0.0;
  };
  [[nodiscard]] Solution solve_substring(std::size_t k, double i_a) const;
  [[nodiscard]] Solution solve(double i_a) const;
  [[nodiscard]] double max_substring_isc_a() const;

  std::vector<PvSubstring> subs_;
  bool valid_ = false;
  std::vector<double> isc_;  // per-substring short-circuit current of the PV part
};

// A string of modules built from one datasheet fit: each module has `substrings_per_module`
// equal groups of its cells (Ns, Rs, Rsh and nNsVth divided among them), and
// conditions[k] sets the irradiance and temperature of substring k, so conditions.size()
// substrings in all (modules = conditions.size() / substrings_per_module).
PvString make_pv_string(const PvModuleFit& fit, int substrings_per_module,
                        std::span<const PvConditions> conditions, BypassDiode bypass = {});

}  // namespace powerstack::sim
