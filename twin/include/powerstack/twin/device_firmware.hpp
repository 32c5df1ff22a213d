// The charge controller firmware the twin runs, configured from settings::ChargerSettings.
//
// How the settings reach the controller (docs/twin.md, "Settings"):
//   - live, in place at a tick boundary: the charge voltages (absorb, float, equalise,
//     recharge), the tail current, the absorption time limit, the charge temperature window,
//     temperature compensation and the charge current (as the profile's C-rate; the board's
//     i_out_max_a from the scenario stays the hard cap). The controller reads its profile
//     every tick, so nothing else changes (charge state, tracker, protections keep running);
//   - by a controller restart at the next tick: chemistry, cells_in_series, i_pv_max_a and
//     p_in_max_w (copied into the controller at construction). The charge state machine
//     starts again in bulk, as after a firmware reboot; the plant keeps running.
#pragma once

#include <memory>

#include "powerstack/charger/charge_controller.hpp"
#include "powerstack/charger/charge_profile.hpp"
#include "powerstack/mppt/tracker_bank.hpp"
#include "powerstack/settings/charger_settings.hpp"
#include "sim/scenario/solar_charger_scenario.hpp"

namespace powerstack::twin {

// The settings a scenario implies (its chemistry's defaults with the scenario's absorption
// voltage and limits), used until the owner stores others. Falls back to plain defaults for
// a field the scenario sets outside the allowed range.
settings::ChargerSettings scenario_settings(const sim::SolarChargerScenario& s);

// `base` with every profile field the settings carry (per cell; currents as C-rates of
// capacity_ah).
charger::ChargeProfile profile_for(const settings::ChargerSettings& s,
                                   const charger::ChargeProfile& base, float capacity_ah);

// True when moving from `from` to `to` needs a controller restart (see above).
bool needs_controller_restart(const settings::ChargerSettings& from,
                              const settings::ChargerSettings& to);

// The firmware of one device: profile, controller, tracker bank. Not copyable (the
// controller points at the profile and a tracker in the bank).
class DeviceFirmware {
 public:
  DeviceFirmware(const sim::SolarChargerScenario& s, const settings::ChargerSettings& settings);
  DeviceFirmware(const DeviceFirmware&) = delete;
  DeviceFirmware& operator=(const DeviceFirmware&) = delete;

  // Call between controller ticks only.
  void apply(const settings::ChargerSettings& settings);

  charger::ChargeController& controller() { return *controller_; }
  [[nodiscard]] const charger::ChargeController& controller() const { return *controller_; }
  [[nodiscard]] const settings::ChargerSettings& settings() const { return settings_; }
  // Controller restarts caused by settings changes.
  [[nodiscard]] unsigned restarts() const { return restarts_; }

 private:
  void build();

  const sim::SolarChargerScenario& scenario_;
  settings::ChargerSettings settings_;
  charger::ChargeProfile profile_;
  mppt::TrackerBank bank_;
  std::unique_ptr<charger::ChargeController> controller_;
  unsigned restarts_ = 0;
};

}  // namespace powerstack::twin
