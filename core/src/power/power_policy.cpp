#include "powerstack/power/power_policy.hpp"

#include <cmath>

namespace powerstack::power {

const char* to_string(PowerState state) {
  switch (state) {
    case PowerState::kBoot:
      return "boot";
    case PowerState::kRunning:
      return "running";
    case PowerState::kQuiesce:
      return "quiesce";
    case PowerState::kSaving:
      return "saving";
    case PowerState::kOff:
      return "off";
  }
  return "unknown";
}

bool PowerPolicy::valid(const PowerPolicyConfig& c) {
  return c.shutdown_soc >= 0.0f && c.shutdown_soc < 1.0f && c.resume_soc > c.shutdown_soc &&
         c.resume_soc <= 1.0f && c.rearm_band >= 0.0f && c.debounce_s >= 0.0f &&
         c.floor_debounce_s >= 0.0f && c.save_timeout_s >= 0.0f && std::isfinite(c.v_floor_v);
}

void PowerPolicy::wake() {
  state_ = PowerState::kBoot;
  below_s_ = 0.0f;
  floor_s_ = 0.0f;
}

PolicyOutput PowerPolicy::output() const {
  PolicyOutput out;
  out.state = state_;
  out.loads_allowed = state_ == PowerState::kRunning;
  out.save_state = state_ == PowerState::kSaving;
  out.main_switch_on = state_ != PowerState::kOff;
  out.arm_wake = state_ == PowerState::kOff;
  return out;
}

PolicyOutput PowerPolicy::update(const PolicyInput& in, float dt_s) {
  if (!(dt_s >= 0.0f)) {
    dt_s = 0.0f;
  }
  // A NaN SOC or voltage counts as "low": a sensor that fails must not keep the cell draining.
  const bool soc_low = !(in.soc >= config_.shutdown_soc);
  const bool soc_clear = in.soc > config_.shutdown_soc + config_.rearm_band;
  const bool v_low = !(in.v_bat_v >= config_.v_floor_v);
  switch (state_) {
    case PowerState::kBoot:
      state_ = in.soc >= config_.resume_soc && !v_low ? PowerState::kRunning : PowerState::kOff;
      break;
    case PowerState::kRunning:
      if (soc_low) {
        below_s_ += dt_s;
      } else if (soc_clear) {
        below_s_ = 0.0f;
      }
      floor_s_ = v_low ? floor_s_ + dt_s : 0.0f;
      if ((soc_low && below_s_ >= config_.debounce_s) || floor_s_ >= config_.floor_debounce_s) {
        state_ = PowerState::kQuiesce;
      }
      break;
    case PowerState::kQuiesce:
      // One period with the loads off before writing: the write then sees a quiet supply.
      state_ = PowerState::kSaving;
      saving_s_ = 0.0f;
      break;
    case PowerState::kSaving:
      saving_s_ += dt_s;
      if (in.save_done || saving_s_ >= config_.save_timeout_s) {
        state_ = PowerState::kOff;
      }
      break;
    case PowerState::kOff:
      break;
  }
  return output();
}

}  // namespace powerstack::power
