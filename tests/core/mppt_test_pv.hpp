// A test bench for the trackers: an analytic PV string behind an ideal buck (v_pv = v_bat /
// duty, clipped at V_oc; a paused converter leaves the input at V_oc) and references found
// independently of the trackers (bisection on the curves, a dense scan for the global MPP).
#pragma once

#include <cmath>
#include <cstdint>

#include "powerstack/mppt/tracker.hpp"

namespace mppt_test {

// Substring: the EN 50530 c-Si shape, I(V) = Isc (1 - c1 (exp(V / (c2 Voc)) - 1)), with a
// bypass diode that clamps its voltage at -0.5 V when the string current exceeds its Isc.
struct Substring {
  float isc_a = 10.0f;
  float voc_v = 25.0f;
};

constexpr float kC2 = -0.2f / -2.302585093f;  // (FF_U - 1) / ln(1 - FF_I), FF 0.8 / 0.9
constexpr float kC1 = 1.0e-5f;                // (1 - FF_I)^(1 / (1 - FF_U))

inline float substring_v(const Substring& s, float i_a) {
  if (s.isc_a <= 0.0f || i_a >= s.isc_a) {
    return -0.5f;  // bypassed
  }
  return kC2 * s.voc_v * std::log(1.0f + (1.0f - i_a / s.isc_a) / kC1);
}

struct PvString {
  Substring sub[3];
  int n = 1;

  [[nodiscard]] float voltage_v(float i_a) const {
    float v = 0.0f;
    for (int k = 0; k < n; ++k) {
      v += substring_v(sub[k], i_a);
    }
    return v;
  }
  [[nodiscard]] float isc_max_a() const {
    float m = 0.0f;
    for (int k = 0; k < n; ++k) {
      m = sub[k].isc_a > m ? sub[k].isc_a : m;
    }
    return m;
  }
  [[nodiscard]] float voc_v() const { return voltage_v(0.0f); }
  // I(V) by bisection on the decreasing V(I).
  [[nodiscard]] float current_a(float v_v) const {
    float lo = 0.0f;
    float hi = isc_max_a();
    if (v_v >= voltage_v(0.0f)) {
      return 0.0f;
    }
    for (int it = 0; it < 60; ++it) {
      const float mid = 0.5f * (lo + hi);
      (voltage_v(mid) > v_v ? lo : hi) = mid;
    }
    return 0.5f * (lo + hi);
  }
  // Global maximum of P by a dense scan over the current.
  [[nodiscard]] float p_max_w(float* v_at = nullptr) const {
    float best = 0.0f;
    const int kPoints = 4000;
    for (int k = 0; k <= kPoints; ++k) {
      const float i = isc_max_a() * static_cast<float>(k) / kPoints;
      const float p = i * voltage_v(i);
      if (p > best) {
        best = p;
        if (v_at != nullptr) {
          *v_at = voltage_v(i);
        }
      }
    }
    return best;
  }
};

inline PvString uniform_string(float isc_a, float voc_v) {
  PvString s;
  s.n = 1;
  s.sub[0] = {isc_a, voc_v};
  return s;
}

// Runs a tracker on the string for duration_s at period_s; returns the mean power of the
// last `tail_s` and leaves the last command and sample in *last (when given).
struct Run {
  float p_tail_w = 0.0f;
  float v_last_v = 0.0f;
  float duty_last = 0.0f;
  int paused_ticks = 0;
};

class Bench {
 public:
  Bench(powerstack::mppt::Tracker& t, float v_bat_v, float period_s)
      : t_(t), v_bat_v_(v_bat_v), period_s_(period_s) {}

  Run run(const PvString& pv, float duration_s, float tail_s) {
    Run r;
    const int n = static_cast<int>(duration_s / period_s_ + 0.5f);
    const int n_tail = static_cast<int>(tail_s / period_s_ + 0.5f);
    double tail_j = 0.0;
    for (int k = 0; k < n; ++k) {
      float v = pv.voc_v();
      if (!cmd_.pause_converter && cmd_.duty > 0.0f) {
        v = v_bat_v_ / cmd_.duty;
        v = v > pv.voc_v() ? pv.voc_v() : v;
      }
      const float i = cmd_.pause_converter ? 0.0f : pv.current_a(v);
      if (k >= n - n_tail) {
        tail_j += static_cast<double>(v * i);
      }
      const powerstack::mppt::PvSample s{v + noise_v_v_ * gauss(), i + noise_i_a_ * gauss(),
                                         v_bat_v_, period_s_};
      const float applied = cmd_.pause_converter ? 0.0f : cmd_.duty;
      cmd_ = t_.step(s, applied);
      r.paused_ticks += cmd_.pause_converter ? 1 : 0;
      r.v_last_v = v;
    }
    r.p_tail_w = static_cast<float>(tail_j / (n_tail > 0 ? n_tail : 1));
    r.duty_last = cmd_.duty;
    return r;
  }
  // Sensor noise on the samples the tracker sees (Gaussian, from a fixed-seed generator).
  void set_noise(float v_sigma_v, float i_sigma_a) {
    noise_v_v_ = v_sigma_v;
    noise_i_a_ = i_sigma_a;
  }
  void start(float duty) {
    t_.reset(duty);
    cmd_ = {duty, false};
  }
  [[nodiscard]] const powerstack::mppt::TrackerCommand& command() const { return cmd_; }

 private:
  powerstack::mppt::Tracker& t_;
  float v_bat_v_;
  float period_s_;
  powerstack::mppt::TrackerCommand cmd_{};
  float noise_v_v_ = 0.0f;
  float noise_i_a_ = 0.0f;
  std::uint32_t rng_ = 12345U;
  // Approximately standard normal: the sum of 12 uniforms minus 6 (Irwin-Hall).
  float gauss() {
    if (noise_v_v_ == 0.0f && noise_i_a_ == 0.0f) {
      return 0.0f;
    }
    float sum = 0.0f;
    for (int k = 0; k < 12; ++k) {
      rng_ = rng_ * 1664525U + 1013904223U;
      sum += static_cast<float>(rng_ >> 8U) / 16777216.0f;
    }
    return sum - 6.0f;
  }
};

}  // namespace mppt_test
