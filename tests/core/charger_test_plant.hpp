// Test doubles for the charger tests (host and Cortex-M3): a quasi-static solar charger (an
// exponential PV curve, a lossless buck, a battery as OCV + R) solved exactly for each duty,
// and a fixed-step perturb-and-observe tracker. Independent of the code under test.
#pragma once

#include <cmath>

#include "powerstack/control/plant_io.hpp"
#include "powerstack/mppt/tracker.hpp"

namespace ps_test {

// i_pv(v) = isc (1 - exp((v - voc) / vt)): a panel with its MPP near 0.8 Voc.
struct TestPanel {
  float isc_a = 10.0f;
  float voc_v = 48.0f;
  float vt_v = 3.0f;
  [[nodiscard]] float current(float v) const {
    const float i = isc_a * (1.0f - std::exp((v - voc_v) / vt_v));
    return i > 0.0f ? i : 0.0f;
  }
  // Maximum power by a fine scan (the reference for tracking tests).
  [[nodiscard]] float p_mpp() const {
    float best = 0.0f;
    for (int k = 0; k <= 4800; ++k) {
      const float v = voc_v * static_cast<float>(k) / 4800.0f;
      best = v * current(v) > best ? v * current(v) : best;
    }
    return best;
  }
};

// Ideal buck in steady state: v_bat = d v_pv, i_pv = d i_out, i_out = (v_bat - v_oc) / r.
// Reverse current is blocked when the low side is off (diode emulation) or PWM is off.
struct TestChargerPlant {
  TestPanel panel;
  float v_oc_v = 26.0f;
  float r_ohm = 0.05f;
  float load_a = 0.0f;
  float t_c = 25.0f;
  powerstack::control::Measurements m{};

  void apply(const powerstack::control::Actuation& a) {
    m.t_fet_c = m.t_coil_c = m.t_bat_c = m.t_ambient_c = t_c;
    const float d = a.pwm_enabled ? a.duty : 0.0f;
    float v_pv = panel.voc_v;
    float i_out = 0.0f;
    if (d > 0.0f && d * panel.voc_v > v_oc_v) {
      // Bisection on v_pv in [v_oc / d, voc]: panel current = d * battery current.
      float lo = v_oc_v / d;
      float hi = panel.voc_v;
      for (int k = 0; k < 28; ++k) {  // float resolution after ~24 halvings
        const float v = 0.5f * (lo + hi);
        const float f = panel.current(v) - d * (d * v - v_oc_v) / r_ohm;
        (f > 0.0f ? lo : hi) = v;
      }
      v_pv = 0.5f * (lo + hi);
      i_out = (d * v_pv - v_oc_v) / r_ohm;
    }
    m.v_pv_v = v_pv;
    m.i_pv_a = d * i_out;
    m.i_bat_a = i_out - load_a;
    m.v_bat_v = v_oc_v + r_ohm * m.i_bat_a;
  }
};

class TestTracker final : public powerstack::mppt::Tracker {
 public:
  TestTracker() = default;
  void reset(float duty_start) override {
    duty_ = duty_start;
    last_p_ = -1.0f;
    up_ = true;
  }
  powerstack::mppt::TrackerCommand step(const powerstack::mppt::PvSample& s,
                                        float duty_applied) override {
    const float p = s.v_pv_v * s.i_pv_a;
    if (p < last_p_) {
      up_ = !up_;
    }
    last_p_ = p;
    duty_ = duty_applied + (up_ ? kStep : -kStep);
    ++steps_;
    return {duty_, false};
  }
  [[nodiscard]] const char* name() const override { return "test-po"; }
  [[nodiscard]] int steps() const { return steps_; }

 private:
  static constexpr float kStep = 0.002f;
  float duty_ = 0.0f;
  float last_p_ = -1.0f;
  bool up_ = true;
  int steps_ = 0;
};

}  // namespace ps_test
