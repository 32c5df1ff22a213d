// "po-adaptive": perturb and observe with a drift-compensated power difference and an
// adaptive step.
//  * dP-P&O (Sera, Teodorescu, Hantschel, Knoll, "Optimized maximum power point tracker for
//    fast-changing environmental conditions", IEEE Trans. Ind. Electron. 55(7), 2008): after
//    each perturbation the power is measured twice, once settled (P_x) and once a window
//    later with the duty unchanged (P_end). P_end - P_x is the irradiance drift alone; the
//    perturbation's own effect is (P_x - P_prev) minus that drift scaled to the same span,
//    so a ramp no longer drives the tracker the wrong way.
//  * Step proportional to the normalised slope s = |dP/P| / |dV/V| (0 at the MPP, ~1 on the
//    current-source side), step/duty = clamp(gain * s, step_min, step_max): large far from
//    the peak, fine at it (dV/V = -dduty/duty for a buck: v_pv = v_bat / duty); at least
//    halved on every reversal and at most doubled a cycle, so a sharp (shaded) peak does
//    not keep the step large.
//  * Noise gate: the power noise is estimated online from the cycle-to-cycle change of the
//    drift term (P_end - P_x), which a linear ramp leaves at zero; an effect below
//    gate_sigma of its own noise carries no direction (the flat top of the curve: far from
//    the peak the slope shows): the tracker dithers there at the smallest step instead of
//    growing the step on noise (with ADC noise the slope rule otherwise grew the step on
//    noise and random-walked to open circuit).
//    The gate acts only when that noise exceeds gate_floor_rel of the power: below, what the
//    estimate sees is the plant's settling and ramp curvature, and gating it slowed ramps.
// One cycle is 1 + settle_ticks + 2 avg_ticks - 1 control ticks; with the defaults at
// kControlPeriodS = 5 ms, 15 ms. Bad samples (mppt_util.hpp) repeat the last duty and are
// left out of the averages.
#pragma once

#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class PoAdaptive final : public Tracker {
 public:
  struct Config {
    float duty_min = 0.02f;
    float duty_max = 0.97f;
    int settle_ticks = 1;          // ticks ignored after a perturbation
    int avg_ticks = 1;             // samples per power measurement
    float step_min_rel = 0.0015f;  // of the duty (= of the PV voltage)
    float step_max_rel = 0.04f;
    float gain = 0.15f;             // step_rel per unit of normalised slope
    float low_power_w = 0.5f;       // below it: no information, step towards more duty
    float gate_sigma = 1.0f;        // an effect must exceed this many of its noise sigmas
    float noise_alpha = 0.05f;      // EWMA weight of the noise estimate
    float gate_floor_rel = 0.002f;  // the gate acts only above this noise (of the power)
  };
  static constexpr float kControlPeriodS = 0.005f;

  PoAdaptive() = default;
  explicit PoAdaptive(const Config& config) : config_(config) {}

  void reset(float duty_start) override;
  TrackerCommand step(const PvSample& sample, float duty_applied) override;
  [[nodiscard]] const char* name() const override { return "po-adaptive"; }

  [[nodiscard]] float step_rel() const { return step_rel_; }

 private:
  void perturb();

  Config config_{};
  float duty_ = 0.0f;
  bool up_ = true;  // true: more duty (lower PV voltage)
  float step_rel_ = 0.0f;
  int tick_ = 0;  // ticks since the last perturbation
  bool have_prev_ = false;
  float p_prev_w_ = 0.0f;
  float acc_w_ = 0.0f;
  int acc_n_ = 0;
  float p_x_w_ = 0.0f;
  float drift_prev_w_ = 0.0f;  // last cycle's P_end - P_x
  bool have_drift_ = false;
  float noise_var_w2_ = 0.0f;  // EWMA of the squared change of P_end - P_x
};

}  // namespace powerstack::mppt
