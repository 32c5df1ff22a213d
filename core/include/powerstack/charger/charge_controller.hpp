// ChargeController: seed 000's charge controller firmware in one step function.
//
//   Measurements -> protections (may veto, derate) -> charger state machine (CV/CC target)
//     -> MPPT tracker (duty request) -> converter control (limits, soft start, diode
//     emulation, light-load stop) -> Actuation
//
// The output over-voltage threshold follows the charge target (ov_margin_rel above it, the
// absorption voltage while not charging; down to a lower target only once the battery is
// below that target) and releases below the target; the hardware
// comparator (Actuation::v_bat_trip_v) is armed at the same threshold plus
// comparator_margin_v, so a sudden battery disconnection is stopped within microseconds, not
// at the next tick. The tracker is borrowed (it outlives the controller).
// No heap, no clock: dt_s comes in; one instance per converter.
#pragma once

#include "powerstack/charger/battery_charger.hpp"
#include "powerstack/charger/converter_control.hpp"
#include "powerstack/control/plant_io.hpp"
#include "powerstack/mppt/tracker.hpp"
#include "powerstack/protection/protection_monitor.hpp"

namespace powerstack::charger {

struct ChargeControllerConfig {
  const ChargeProfile* profile = nullptr;
  int n_cells = 8;
  float capacity_ah = 100.0f;
  // Board and user limits.
  float i_out_max_a = 30.0f;   // charge current
  float i_in_max_a = 30.0f;    // PV current
  float p_in_max_w = 1200.0f;  // input power
  // Output over-voltage trip above the charge target.
  float ov_margin_rel = 0.05f;
  float comparator_margin_v = 0.0f;  // comparator above the software threshold
  // Input reverse-current comparator (A out of the converter into the panel); 0: disarmed.
  float i_pv_reverse_trip_a = 5.0f;
  ConverterConfig converter;
  // Thresholds not derived from the profile (input, current, temperature, sensors).
  protection::ProtectionConfig protection;
};

class ChargeController {
 public:
  // configured() is false (and the converter stays off) for an invalid configuration.
  ChargeController(mppt::Tracker& tracker, const ChargeControllerConfig& config);

  control::Actuation step(const control::Measurements& m, float dt_s);

  [[nodiscard]] bool configured() const { return configured_; }
  [[nodiscard]] const BatteryCharger& charger() const { return charger_; }
  [[nodiscard]] BatteryCharger& charger() { return charger_; }
  [[nodiscard]] const ConverterControl& converter() const { return converter_; }
  [[nodiscard]] const protection::ProtectionMonitor& protection() const { return protection_; }
  [[nodiscard]] const ChargeTarget& target() const { return target_; }
  [[nodiscard]] const protection::ProtectionVerdict& verdict() const { return verdict_; }
  [[nodiscard]] float comparator_v() const { return comparator_v_; }

 private:
  void follow_target(float v_target_v);

  mppt::Tracker& tracker_;
  ChargeControllerConfig config_;
  bool configured_ = false;
  BatteryCharger charger_;
  ConverterControl converter_;
  protection::ProtectionMonitor protection_;
  ChargeTarget target_{};
  protection::ProtectionVerdict verdict_{};
  float comparator_v_ = 0.0f;
  float v_idle_ref_v_ = 0.0f;  // absorption voltage at 25 C: the reference while not charging
  float ov_ref_v_ = 0.0f;      // the voltage the over-voltage trip is set above
};

}  // namespace powerstack::charger
