// "fugu-fl4p": the tracker of the ESP-IDF rewrite (fl4p/fugu-mppt-firmware: README "MPPT
// Algorithm", src/mppt.cpp, the Tracker struct), re-implemented from its behaviour:
//  1. Global sweep at start and every 30 min: the duty ramps from 0 to the maximum (or until
//     the PV voltage falls below vin_min_v), the best power's duty is kept; then the duty
//     fades there. The README gives 20-60 s a sweep; we ramp over sweep_s = 30 s.
//  2. Fast P&O: the duty moves continuously at speed * slew (0.5 * 0.025 /s); every 100 ms
//     the mean power of the interval is compared with the reference power; a drop of
//     >= 1.5 W (or 10 %) reverses the direction; the reference follows every rise.
//  3. Slow P&O: after 15 s without a new maximum (>= +0.5 %) and with a reversal in the last
//     15 s: speed 0.1, decisions every 1 s on an EWMA (span 200 samples) of the power, at
//     most one reversal every 6 s; entering it pulls the duty towards the best duty seen.
//  Below 1 W the direction is "more duty". The best power is forgotten after 5 min, or
//  after 30 s below 85 % of it. Control loop 160-260 Hz: kControlPeriodS = 5 ms.
// Bad samples (mppt_util.hpp) repeat the last duty and keep the state.
#pragma once

#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class FuguFl4p final : public Tracker {
 public:
  struct Config {
    float duty_max = 0.97f;
    float slew_per_s = 0.025f;  // kCtrlSlewLimit: duty per second per unit control value
    float fast_speed = 0.5f;
    float fast_interval_s = 0.1f;  // decision frequency 10 Hz
    float slow_speed = 0.1f;
    float slow_interval_s = 1.0f;
    float slow_ewma_span = 200.0f;  // samples
    float slow_min_reverse_s = 6.0f;
    float slow_after_s = 15.0f;
    float min_power_step_w = 1.5f;
    float min_power_step_rel = 0.1f;
    float mpp_capture_rel = 1.005f;
    float mpp_forget_s = 300.0f;
    float mpp_drop_rel = 0.85f;
    float mpp_drop_s = 30.0f;
    float sweep_period_s = 1800.0f;
    float sweep_s = 30.0f;    // 0 -> duty_max
    float fade_per_s = 0.4f;  // towards the sweep's best duty
    float vin_min_v = 10.5f;  // VinCTRL: the sweep stops below it
    float low_power_w = 1.0f;
  };
  static constexpr float kControlPeriodS = 0.005f;

  FuguFl4p() = default;
  explicit FuguFl4p(const Config& config) : config_(config) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "fugu-fl4p"; }

  [[nodiscard]] bool sweeping() const { return phase_ == Phase::kSweep; }
  [[nodiscard]] bool slow_mode() const { return slow_; }

 private:
  enum class Phase { kSweep, kFade, kTrack };
  void start_sweep();
  void track(float p_w, float dt_s);

  Config config_{};
  Phase phase_ = Phase::kSweep;
  float duty_ = 0.0f;
  float since_sweep_s_ = 0.0f;
  // Sweep
  float sweep_best_w_ = 0.0f;
  float sweep_best_duty_ = 0.0f;
  // P&O
  bool up_ = true;  // direction: true = more duty (lower PV voltage)
  bool slow_ = false;
  float ewma_w_ = 0.0f;
  bool ewma_init_ = false;
  float acc_w_ = 0.0f;
  int acc_n_ = 0;
  float since_decision_s_ = 0.0f;
  float since_reverse_s_ = 1e9f;
  float last_power_w_ = 0.0f;
  float mpp_w_ = 0.0f;
  float mpp_duty_ = 0.0f;
  float mpp_age_s_ = 0.0f;
};

}  // namespace powerstack::mppt
