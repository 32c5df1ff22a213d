// BatteryCharger: the charge state machine of one battery (a series string of n cells).
//
//   bulk (CC) --v >= V_absorb--> absorption (CV) --I < tail for 30 s, or time--> float | full
//        ^                          |  (equalise first when due, flooded lead-acid)   |
//        +---- v < V_restart (held) ---------------------------------------------------+
//   any state --battery temperature outside the profile's window--> inhibited (no charge)
//
// Voltages are temperature compensated (profile's mV/K per cell, around 25 C). Absorption
// time counts only while the voltage is at its target (clouds do not end it early), and the
// tail-current exit needs the voltage at its target too (weak sun is not a full battery).
// Sign: i_bat_a > 0 charges the battery. No heap, no clock: dt_s comes in.
#pragma once

#include <cstdint>

#include "powerstack/charger/charge_profile.hpp"

namespace powerstack::charger {

enum class ChargeState : std::uint8_t {
  kBulk,
  kAbsorption,
  kEqualise,
  kFloat,
  kFull,       // charge finished, converter off (lithium, or a profile without float)
  kInhibited,  // battery temperature outside the charge window
};

const char* to_string(ChargeState state);

struct BatteryChargerConfig {
  const ChargeProfile* profile = nullptr;
  int n_cells = 1;
  float capacity_ah = 100.0f;
  float i_max_a = 1e9f;  // a lower cap than the profile's C-rate (cable, board, user)
};

// What the converter should regulate to. charge == false: do not charge (converter off).
struct ChargeTarget {
  bool charge = false;
  float v_target_v = 0.0f;  // CV limit at the battery terminals
  float i_limit_a = 0.0f;   // CC limit into the battery
};

class BatteryCharger {
 public:
  // Hold times of the exits (s).
  static constexpr float kTailHoldS = 30.0f;
  static constexpr float kRestartHoldS = 60.0f;
  // The voltage counts as "at target" within this fraction of it.
  static constexpr float kAtTargetRel = 0.005f;

  // False (and charging stays off) when the profile is missing or the cell count or capacity
  // is not positive.
  bool configure(const BatteryChargerConfig& config);

  ChargeTarget step(float v_bat_v, float i_bat_a, float t_bat_c, float dt_s);

  // The next absorption ends in an equalisation (when the profile has one).
  void request_equalise() { equalise_requested_ = true; }

  [[nodiscard]] ChargeState state() const { return state_; }
  [[nodiscard]] float time_in_state_s() const { return time_in_state_s_; }
  // Temperature-compensated pack voltage of a cell voltage from the profile.
  [[nodiscard]] float compensated_v(float v_cell_v, float t_bat_c) const;
  [[nodiscard]] const BatteryChargerConfig& config() const { return config_; }

 private:
  void enter(ChargeState next);
  [[nodiscard]] bool temperature_ok(float t_bat_c) const;

  BatteryChargerConfig config_{};
  bool configured_ = false;
  ChargeState state_ = ChargeState::kBulk;
  ChargeState resume_ = ChargeState::kBulk;  // where an inhibited charge resumes
  float time_in_state_s_ = 0.0f;
  float at_target_s_ = 0.0f;  // absorption / equalisation time at the target voltage
  float hold_s_ = 0.0f;       // how long an exit condition has held
  float since_equalise_s_ = 0.0f;
  bool equalise_requested_ = false;
};

}  // namespace powerstack::charger
