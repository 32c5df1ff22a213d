// PowerPolicy: when a battery device switches itself off and when it may run again (seed 002:
// off at 2 %, back on when a fresh battery is inserted).
//
// Shutdown: the SOC must stay below shutdown_soc for debounce_s without interruption (a Wi-Fi
// burst's voltage dip never lasts that long); the timer restarts only once the SOC rises
// above shutdown_soc + rearm_band, so noise around the threshold cannot postpone it forever.
// A terminal voltage below v_floor_v for floor_debounce_s trips it too (cell protection when
// the SOC estimate is wrong).
// Ordering (brown-out safe): kQuiesce (radio and loads off, so the voltage recovers and the
// save is not cut by a burst) -> kSaving (the caller writes the state and reports done, or
// save_timeout_s passes) -> kOff (wake comparator armed, main switch released last).
// Boot (after a wake): run only when the SOC read at boot is >= resume_soc (hysteresis:
// resume_soc > shutdown_soc), otherwise straight back to kOff without a save: no oscillation.
#pragma once

#include <cstdint>

namespace powerstack::power {

enum class PowerState : std::uint8_t { kBoot, kRunning, kQuiesce, kSaving, kOff };

const char* to_string(PowerState state);

struct PowerPolicyConfig {
  float shutdown_soc = 0.02f;
  float rearm_band = 0.005f;
  float resume_soc = 0.05f;
  float debounce_s = 30.0f;
  float v_floor_v = 3.2f;
  float floor_debounce_s = 2.0f;
  float save_timeout_s = 1.0f;
};

struct PolicyInput {
  float soc = 1.0f;        // filtered estimate, 0..1
  float v_bat_v = 4.0f;    // terminal voltage
  bool save_done = false;  // the state write finished (kSaving)
};

struct PolicyOutput {
  PowerState state = PowerState::kBoot;
  bool loads_allowed = false;  // radio, sensors, anything that bursts
  bool save_state = false;     // the caller should write the state now (kSaving)
  bool main_switch_on = true;  // false: release the P-MOSFET (device off)
  bool arm_wake = false;       // the wake comparator is the only way back
};

class PowerPolicy {
 public:
  // Returns false for an inconsistent config (resume_soc <= shutdown_soc, negative times,
  // thresholds outside 0..1).
  static bool valid(const PowerPolicyConfig& config);
  explicit PowerPolicy(const PowerPolicyConfig& config) : config_(config) {}

  // Advances the policy by dt_s with the latest readings.
  PolicyOutput update(const PolicyInput& in, float dt_s);
  // A wake (the comparator fired, power is back): the next update decides at kBoot.
  void wake();
  [[nodiscard]] PowerState state() const { return state_; }
  [[nodiscard]] const PowerPolicyConfig& config() const { return config_; }

 private:
  PolicyOutput output() const;

  PowerPolicyConfig config_;
  PowerState state_ = PowerState::kBoot;
  float below_s_ = 0.0f;
  float floor_s_ = 0.0f;
  float saving_s_ = 0.0f;
};

}  // namespace powerstack::power
