// "constant-voltage": fractional open-circuit voltage. The converter pauses (pause_converter)
// for pause_s, longer (up to pause_max_s) until the input capacitor has charged to V_oc,
// which is sampled at the end of the pause; then the PV voltage is regulated to k V_oc,
// k = 0.76 (seed 000; e.g. Kobayashi, Matsuo, Sekine, "A novel optimum operating point
// tracker of the solar cell power supply system", PESC 2004, and the combined CV + P&O paper
// seed 000 cites). V_oc is re-sampled every resample_s: each pause costs its length in
// energy, so the rate limit keeps that near pause_s / resample_s (0.15 % by default).
// Regulation: duty *= 1 + gain (v - v_ref) / v_ref each tick (v_pv = v_bat / duty for a
// buck), the first duty after a pause from that relation directly. Bad samples
// (mppt_util.hpp) repeat the last command.
#pragma once

#include "powerstack/mppt/pause_timer.hpp"
#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class ConstantVoltage final : public Tracker {
 public:
  struct Config {
    float k = 0.76f;
    float pause_s = 0.015f;    // at least
    float pause_max_s = 0.2f;  // at most (a dim panel charges C_in slowly)
    float resample_s = 10.0f;
    float gain = 0.5f;
    float duty_min = 0.02f;
    float duty_max = 0.97f;
  };
  static constexpr float kControlPeriodS = 0.005f;

  ConstantVoltage() = default;
  explicit ConstantVoltage(const Config& config) : config_(config) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "constant-voltage"; }

  [[nodiscard]] float voc_v() const { return voc_v_; }
  [[nodiscard]] float v_ref_v() const { return config_.k * voc_v_; }

 private:
  Config config_{};
  float duty_ = 0.0f;
  bool pausing_ = true;
  float t_phase_s_ = 0.0f;  // since the last pause ended
  PauseTimer pause_;
  float voc_v_ = 0.0f;
};

}  // namespace powerstack::mppt
