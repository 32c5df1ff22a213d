#include "powerstack/charger/battery_charger.hpp"

#include <cmath>

namespace powerstack::charger {

namespace {
constexpr float kReferenceC = 25.0f;
}

const char* to_string(ChargeState state) {
  switch (state) {
    case ChargeState::kBulk:
      return "bulk";
    case ChargeState::kAbsorption:
      return "absorption";
    case ChargeState::kEqualise:
      return "equalise";
    case ChargeState::kFloat:
      return "float";
    case ChargeState::kFull:
      return "full";
    case ChargeState::kInhibited:
      return "inhibited";
  }
  return "unknown";
}

bool BatteryCharger::configure(const BatteryChargerConfig& config) {
  configured_ = config.profile != nullptr && config.n_cells > 0 && config.capacity_ah > 0.0f &&
                config.i_max_a > 0.0f;
  config_ = config;
  state_ = ChargeState::kBulk;
  resume_ = ChargeState::kBulk;
  time_in_state_s_ = 0.0f;
  at_target_s_ = 0.0f;
  hold_s_ = 0.0f;
  since_equalise_s_ = 0.0f;
  equalise_requested_ = false;
  return configured_;
}

float BatteryCharger::compensated_v(float v_cell_v, float t_bat_c) const {
  const ChargeProfile& p = *config_.profile;
  // Compensate only inside the charge window: a broken sensor must not push the voltage far.
  float t = std::isfinite(t_bat_c) ? t_bat_c : kReferenceC;
  t = t < p.t_charge_min_c ? p.t_charge_min_c : (t > p.t_charge_max_c ? p.t_charge_max_c : t);
  return static_cast<float>(config_.n_cells) *
         (v_cell_v + p.temp_comp_v_per_k_cell * (t - kReferenceC));
}

bool BatteryCharger::temperature_ok(float t_bat_c) const {
  const ChargeProfile& p = *config_.profile;
  if (!std::isfinite(t_bat_c)) {
    return false;
  }
  // Hysteresis: once inhibited, the temperature must come back well inside the window.
  const float margin = state_ == ChargeState::kInhibited ? p.t_window_hysteresis_k : 0.0f;
  return t_bat_c >= p.t_charge_min_c + margin && t_bat_c <= p.t_charge_max_c - margin;
}

void BatteryCharger::enter(ChargeState next) {
  state_ = next;
  time_in_state_s_ = 0.0f;
  at_target_s_ = 0.0f;
  hold_s_ = 0.0f;
}

ChargeTarget BatteryCharger::step(float v_bat_v, float i_bat_a, float t_bat_c, float dt_s) {
  if (!configured_) {
    return {};
  }
  const ChargeProfile& p = *config_.profile;
  const float dt = std::isfinite(dt_s) && dt_s > 0.0f ? dt_s : 0.0f;
  time_in_state_s_ += dt;
  since_equalise_s_ += dt;

  if (!temperature_ok(t_bat_c)) {
    if (state_ != ChargeState::kInhibited) {
      resume_ = state_ == ChargeState::kFull || state_ == ChargeState::kFloat ? state_
                                                                              : ChargeState::kBulk;
      enter(ChargeState::kInhibited);
    }
    return {};
  }
  if (state_ == ChargeState::kInhibited) {
    enter(resume_);
  }

  const float cap_a = static_cast<float>(config_.capacity_ah);
  const float i_bulk_a = p.i_max_c * cap_a < config_.i_max_a ? p.i_max_c * cap_a : config_.i_max_a;
  const float v_absorb = compensated_v(p.v_absorb_cell_v, t_bat_c);
  const float v_restart = compensated_v(p.v_restart_cell_v, t_bat_c);
  const bool at_absorb = v_bat_v >= v_absorb * (1.0f - kAtTargetRel);
  const bool below_restart = v_bat_v < v_restart;
  const bool equalise_due = p.v_equalise_cell_v > 0.0f &&
                            (equalise_requested_ || since_equalise_s_ >= p.equalise_every_s);

  switch (state_) {
    case ChargeState::kBulk:
      if (v_bat_v >= v_absorb) {
        enter(ChargeState::kAbsorption);
      }
      break;
    case ChargeState::kAbsorption: {
      at_target_s_ += at_absorb ? dt : 0.0f;
      const bool tail = at_absorb && i_bat_a < p.i_tail_c * cap_a;
      hold_s_ = tail ? hold_s_ + dt : 0.0f;
      if (hold_s_ >= kTailHoldS || at_target_s_ >= p.absorb_max_s) {
        enter(equalise_due              ? ChargeState::kEqualise
              : p.v_float_cell_v > 0.0f ? ChargeState::kFloat
                                        : ChargeState::kFull);
      }
      break;
    }
    case ChargeState::kEqualise: {
      const float v_eq = compensated_v(p.v_equalise_cell_v, t_bat_c);
      at_target_s_ += v_bat_v >= v_eq * (1.0f - kAtTargetRel) ? dt : 0.0f;
      if (at_target_s_ >= p.equalise_s) {
        since_equalise_s_ = 0.0f;
        equalise_requested_ = false;
        enter(p.v_float_cell_v > 0.0f ? ChargeState::kFloat : ChargeState::kFull);
      }
      break;
    }
    case ChargeState::kFloat:
      hold_s_ = below_restart ? hold_s_ + dt : 0.0f;
      if (hold_s_ >= p.float_to_bulk_s) {
        enter(ChargeState::kBulk);
      }
      break;
    case ChargeState::kFull:
      hold_s_ = below_restart ? hold_s_ + dt : 0.0f;
      if (hold_s_ >= kRestartHoldS) {
        enter(ChargeState::kBulk);
      }
      break;
    case ChargeState::kInhibited:
      break;
  }

  switch (state_) {
    case ChargeState::kBulk:
    case ChargeState::kAbsorption:
      return {true, v_absorb, i_bulk_a};
    case ChargeState::kEqualise: {
      const float i_eq = p.i_equalise_c * cap_a < i_bulk_a ? p.i_equalise_c * cap_a : i_bulk_a;
      return {true, compensated_v(p.v_equalise_cell_v, t_bat_c), i_eq};
    }
    case ChargeState::kFloat:
      return {true, compensated_v(p.v_float_cell_v, t_bat_c), i_bulk_a};
    case ChargeState::kFull:
    case ChargeState::kInhibited:
      break;
  }
  return {};
}

}  // namespace powerstack::charger
