// "incremental-conductance": at the MPP dP/dV = 0, i.e. dI/dV = -I/V (Hussein, Muta, Hoshino,
// Osakada, "Maximum photovoltaic power tracking: an algorithm for rapidly changing
// atmospheric conditions", IEE Proc. Gener. Transm. Distrib. 142(1), 1995). Each tick
// compares the sample with the previous one:
//   dV ~ 0: dI = 0 -> hold; dI > 0 -> raise V; dI < 0 -> lower V   (irradiance moved)
//   else e = dI/dV + I/V: |e| <= tolerance * I/V -> hold; e > 0 -> raise V; e < 0 -> lower V
// Variable step (Liu, Kang, Zhang, Duan, "A variable step size INC MPPT method for PV
// systems", IEEE Trans. Ind. Electron. 55(7), 2008): step/duty = clamp(gain |dP/dV| V / P,
// step_min, step_max). Raising V means less duty (v_pv = v_bat / duty). kControlPeriodS =
// 10 ms leaves the converter settled before the next comparison. Bad samples
// (mppt_util.hpp) repeat the last duty and keep the state.
#pragma once

#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class IncrementalConductance final : public Tracker {
 public:
  struct Config {
    float duty_min = 0.02f;
    float duty_max = 0.97f;
    float step_min_rel = 0.0015f;
    float step_max_rel = 0.04f;
    float gain = 0.15f;
    float tolerance = 0.01f;   // |e| below this fraction of I/V counts as the MPP
    float dv_rel_eps = 2e-4f;  // |dV| / V below it counts as no voltage change
    float di_rel_eps = 2e-3f;  // |dI| / I below it counts as no current change
  };
  static constexpr float kControlPeriodS = 0.010f;

  IncrementalConductance() = default;
  explicit IncrementalConductance(const Config& config) : config_(config) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "incremental-conductance"; }

 private:
  Config config_{};
  float duty_ = 0.0f;
  bool have_prev_ = false;
  float v_prev_v_ = 0.0f;
  float i_prev_a_ = 0.0f;
  float step_rel_ = 0.0f;
};

}  // namespace powerstack::mppt
