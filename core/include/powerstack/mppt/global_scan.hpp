// "global-scan": global MPP search for partially shaded strings (several local maxima of
// P(V) where bypass diodes conduct), with po-adaptive tracking between scans.
// A scan: pause the converter (pause_s, up to pause_max_s until v_pv settles), sample V_oc; then
// step the PV voltage from start_rel V_oc down to the lowest the buck reaches (v_bat / duty_max) in
// steps of step_rel V_oc, settle_ticks + 1 ticks a point, and keep the duty of the best power; the
// local tracker restarts there. Rate limits, because a scan runs the panel off its peak
// for ~0.1-0.2 s: a scan every period_s, and one earlier when the power has moved by more than
// change_rel since the last scan and has then been steady (within steady_rel of its
// average for steady_s) so an irradiance ramp costs one scan at its end, not one a second;
// never two within min_interval_s. Bad samples (mppt_util.hpp) repeat the last command.
#pragma once

#include "powerstack/dsp/ema.hpp"
#include "powerstack/mppt/pause_timer.hpp"
#include "powerstack/mppt/po_adaptive.hpp"
#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class GlobalScan final : public Tracker {
 public:
  struct Config {
    float pause_s = 0.015f;    // at least
    float pause_max_s = 0.2f;  // at most (a dim panel charges C_in slowly)
    float start_rel = 0.95f;
    float step_rel = 0.025f;
    int settle_ticks = 0;
    float period_s = 300.0f;
    float change_rel = 0.1f;
    float steady_rel = 0.02f;
    float steady_s = 1.0f;
    float avg_tau_s = 0.5f;
    float min_interval_s = 20.0f;
    float duty_min = 0.02f;
    float duty_max = 0.97f;
    PoAdaptive::Config po{};
  };
  static constexpr float kControlPeriodS = 0.005f;

  GlobalScan() : GlobalScan(Config{}) {}
  explicit GlobalScan(const Config& config) : config_(config), local_(config.po) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "global-scan"; }

  [[nodiscard]] int scans() const { return scans_; }
  [[nodiscard]] bool scanning() const { return phase_ != Phase::kTrack; }

 private:
  enum class Phase { kPause, kScan, kTrack };
  void start_scan();
  TrackerCommand scan_step(const PvSample& s);

  Config config_;
  PoAdaptive local_;
  Phase phase_ = Phase::kPause;
  float duty_ = 0.0f;
  PauseTimer pause_;
  float voc_v_ = 0.0f;
  float v_target_v_ = 0.0f;
  int tick_ = 0;
  float best_w_ = 0.0f;
  float best_duty_ = 0.0f;
  float since_scan_s_ = 0.0f;
  float p_ref_w_ = 0.0f;  // power after the last scan
  dsp::Ema p_avg_;        // slow average of the power
  float steady_for_s_ = 0.0f;
  int scans_ = 0;
};

}  // namespace powerstack::mppt
