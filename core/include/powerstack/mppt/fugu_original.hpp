// "fugu-original": the original FUGU Arduino firmware's tracker (AngeloCasi,
// FUGU-ARDUINO-MPPT-FIRMWARE, 4_Charging_Algorithm.ino), re-implemented from its behaviour:
// perturb and observe on the PV voltage with a fixed step of one PWM count (11-bit PWM, so
// 1/2048 of the period) each loop, the duty floored at 99.5 % of v_bat / v_pv ("predictive
// PWM") and capped at 97 %. Decision each tick, from the last two samples:
//   P up, V up -> duty down;  P up, V down -> duty up;  P down, V up -> duty up;
//   P down, V down -> duty down;  P or V unchanged -> duty up.
// Its loop runs at the speed of its blocking ADS1015 reads (10 conversions a loop): about
// 10 ms (kControlPeriodS, an estimate). Bad samples (mppt_util.hpp) repeat the last duty.
#pragma once

#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class FuguOriginal final : public Tracker {
 public:
  struct Config {
    float step = 1.0f / 2048.0f;  // one count of the 11-bit PWM
    float duty_max = 0.97f;       // PWM_MaxDC 97 %
    float floor_margin = 0.995f;  // PPWM_margin 99.5 %
  };
  static constexpr float kControlPeriodS = 0.010f;

  FuguOriginal() = default;
  explicit FuguOriginal(const Config& config) : config_(config) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "fugu-original"; }

 private:
  Config config_{};
  float duty_ = 0.0f;
  float p_prev_w_ = 0.0f;
  float v_prev_v_ = 0.0f;
};

}  // namespace powerstack::mppt
