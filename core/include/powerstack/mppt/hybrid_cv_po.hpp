// "hybrid-cv-po": seed 000's combined method (constant voltage for the fast approach, then
// perturb and observe near the peak). At start, and after a large power change (the power
// leaves +-change_rel of its slow average; acted on at most once every min_interval_s): pause the
// converter (pause_s, up to pause_max_s until v_pv settles), sample V_oc, jump to the duty for k
// V_oc (k = 0.76), then hand over to the po-adaptive tracker (PoAdaptive), which climbs the
// remaining few percent. Bad samples (mppt_util.hpp) repeat the last command and keep the state.
#pragma once

#include "powerstack/dsp/ema.hpp"
#include "powerstack/mppt/pause_timer.hpp"
#include "powerstack/mppt/po_adaptive.hpp"
#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class HybridCvPo final : public Tracker {
 public:
  struct Config {
    float k = 0.76f;
    float pause_s = 0.015f;        // at least
    float pause_max_s = 0.2f;      // at most (a dim panel charges C_in slowly)
    float change_rel = 0.3f;       // re-approach when |P - P_avg| > change_rel P_avg
    float avg_tau_s = 2.0f;        // the slow average's time constant
    float min_interval_s = 60.0f;  // between two approaches
    float duty_min = 0.02f;
    float duty_max = 0.97f;
    PoAdaptive::Config po{};
  };
  static constexpr float kControlPeriodS = 0.005f;

  HybridCvPo() : HybridCvPo(Config{}) {}
  explicit HybridCvPo(const Config& config) : config_(config), po_(config.po) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "hybrid-cv-po"; }

  [[nodiscard]] int approaches() const { return approaches_; }
  [[nodiscard]] float voc_v() const { return voc_v_; }

 private:
  Config config_;
  PoAdaptive po_;
  float duty_ = 0.0f;
  bool pausing_ = true;
  PauseTimer pause_;
  float since_approach_s_ = 0.0f;
  dsp::Ema p_avg_;        // slow average of the power
  bool pending_ = false;  // a large change seen, approach due when the rate limit allows
  float voc_v_ = 0.0f;
  int approaches_ = 0;
};

}  // namespace powerstack::mppt
