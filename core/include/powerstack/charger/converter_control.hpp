// ConverterControl: turns the tracker's duty request and the charge limits into the
// synchronous buck's switching commands (duty, enable, low side on/off).
//
// Limit control (fl4p style): each limit (output voltage CV, output current CC, PV current,
// input power) gives a normalised headroom; while any is negative the duty falls in
// proportion to the worst one, otherwise the duty follows the tracker up to a ceiling that
// rises no faster than the soft-start slew. Lowering the duty moves the panel towards its
// open-circuit voltage, where power falls monotonically, so every limit is reached from any
// operating point. Within a headroom of h_engage of a limit the limit loop owns the duty and
// the tracker's request is ignored (its perturbations would disturb the regulation) until
// every headroom is above h_release; otherwise the duty is min(tracker, ceiling, duty_max).
//
// Start (soft start): the low side is off, so the buck starts in discontinuous conduction,
// where v_bat / v_pv (CCM's no-current duty) would already drive several amperes; the duty
// begins where DCM drives start_current_frac of the output current limit (from the coil
// inductance, I = D^2 v_pv (v_pv - v_bat) / (2 L f v_bat)), at most v_bat / v_pv, then rises
// by the slew; so a small battery's current limit is not overshot at every start. Minimum on-time
// of the low-side FET: the duty never exceeds 1 - t_ls_min * f_sw (the high-side bootstrap
// recharges in that time). Diode emulation: the low side switches only while the estimated output
// current (from the input power) is above i_ls_on_a, and stops below i_ls_off_a, so the inductor
// current cannot reverse (power back into the panel). Light load: below p_sleep_w for sleep_after_s
// the converter stops; it restarts when the panel is again above the battery by start_margin_v.
#pragma once

#include <cstdint>

#include "powerstack/control/plant_io.hpp"

namespace powerstack::charger {

struct ConverterConfig {
  float f_sw_hz = 39000.0f;
  float t_ls_min_s = 0.8e-6f;       // minimum low-side on-time (bootstrap refresh)
  float l_h = 33e-6f;               // coil inductance (board data)
  float start_current_frac = 0.5f;  // soft start: first duty's current / the current limit
  float slew_per_s = 0.25f;         // soft start: fastest rise of the duty ceiling
  float gain_per_s = 0.2f;          // duty change per second at a headroom of -1
  float h_engage = 1.0f;            // the limit loop takes the duty below this headroom ...
  float h_release = 2.5f;           // ... and gives it back to the tracker above this
  float v_headroom_rel = 0.01f;     // CV error that counts as headroom 1
  float i_headroom_a = 1.0f;        // CC error that counts as headroom 1 (at least)
  float ceiling_margin = 0.01f;     // the ceiling stays this close above the duty run
  float i_ls_on_a = 1.5f;           // diode emulation off (low side switching) above this
  float i_ls_off_a = 0.5f;          // ... and on again below this
  float p_sleep_w = 1.0f;           // light load: stop below this input power ...
  float sleep_after_s = 30.0f;      // ... held this long
  float start_margin_v = 1.5f;      // start only when v_pv > v_bat * 1.05 + margin
  float restart_delay_s = 10.0f;    // after a stop, wait at least this long
};

struct ConverterLimits {
  float v_out_max_v = 0.0f;  // CV target
  float i_out_max_a = 0.0f;  // CC limit (charger limit, derated by temperature)
  float i_in_max_a = 0.0f;   // PV current limit
  float p_in_max_w = 0.0f;   // input power limit
};

enum class BindingLimit : std::uint8_t {
  kNone,
  kMppt,
  kSoftStart,
  kVout,
  kIout,
  kIin,
  kPin,
  kDutyMax
};
const char* to_string(BindingLimit limit);

struct ConverterCommand {
  control::Actuation actuation;
  bool started = false;  // the converter started this tick: reset the tracker to duty
};

class ConverterControl {
 public:
  explicit ConverterControl(const ConverterConfig& config = {}) : config_(config) {}

  // allowed: protections and the charger permit switching. duty_request: the tracker's duty;
  // pause: the tracker asks for a switching pause this tick (Voc sample).
  ConverterCommand step(const control::Measurements& m, const ConverterLimits& limits, bool allowed,
                        float duty_request, bool pause, float dt_s);

  // Immediate stop (protection); the next start goes through soft start again.
  void stop();

  [[nodiscard]] bool running() const { return running_; }
  [[nodiscard]] float duty() const { return duty_; }
  [[nodiscard]] float duty_max() const;
  [[nodiscard]] BindingLimit binding() const { return binding_; }
  [[nodiscard]] bool low_side_on() const { return low_side_on_; }

 private:
  [[nodiscard]] bool may_start(const control::Measurements& m) const;
  [[nodiscard]] float start_duty(const control::Measurements& m, float i_out_max_a) const;

  ConverterConfig config_;
  bool running_ = false;
  bool low_side_on_ = false;
  bool limiting_ = false;
  float duty_ = 0.0f;
  float ceiling_ = 0.0f;
  float light_s_ = 0.0f;
  float stopped_s_ = 1e9f;
  BindingLimit binding_ = BindingLimit::kNone;
};

}  // namespace powerstack::charger
