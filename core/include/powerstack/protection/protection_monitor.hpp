// ProtectionMonitor: every protection of the charger, each with its own trip and release
// threshold (hysteresis) and a retry delay that doubles on each repeated trip (up to
// retry_max_s) and is forgiven after forgive_s without a trip. update() says whether the
// converter may switch and by how much the output current must be derated (over-temperature
// "silent mode": the current falls linearly from derate_c to max_c, then the converter
// stops). Every trip and release is logged (TripLog) with its reason code.
//
// The output over-voltage has two paths: this tick's reading (kOutputOverVoltage) and the
// hardware comparator's latch (kOutputOverVoltageFast, Measurements::v_bat_trip_latched),
// which stopped the PWM microseconds after the crossing; the tick only logs and holds it.
#pragma once

#include <cstdint>

#include "powerstack/control/plant_io.hpp"
#include "powerstack/protection/sensor_monitor.hpp"
#include "powerstack/protection/trip_event.hpp"

namespace powerstack::protection {

struct ProtectionConfig {
  float v_in_max_v = 80.0f;  // input over-voltage (FET and capacitor rating)
  float v_in_max_release_v = 75.0f;
  float v_in_min_v = 9.0f;  // input under-voltage (gate driver supply from the panel)
  float v_in_min_release_v = 10.0f;
  float v_out_max_v = 0.0f;  // output over-voltage; 0: not checked
  float v_out_max_release_v = 0.0f;
  float i_out_max_a = 35.0f;   // output over-current (above the charge limit, a fault)
  float v_out_short_v = 0.0f;  // output below this while switching: short; 0: not checked
  float i_backfeed_a = 1.0f;   // PV current below -this ...
  float backfeed_s = 0.05f;    // ... for this long: back-feed (the comparator is the fast path)
  float v_in_short_v = 2.0f;   // input below this while switching: input short
  float t_fet_derate_c = 70.0f;
  float t_fet_max_c = 90.0f;
  float t_coil_derate_c = 100.0f;
  float t_coil_max_c = 125.0f;
  float t_release_k = 10.0f;
  float retry_s = 5.0f;
  float retry_max_s = 300.0f;
  float forgive_s = 600.0f;
  SensorLimits sensors;
};

struct ProtectionVerdict {
  bool allow = false;                       // the converter may switch
  float current_scale = 1.0f;               // derating of the output current limit, 0..1
  TripReason blocking = TripReason::kNone;  // the first active reason when !allow
};

class ProtectionMonitor {
 public:
  static constexpr int kReasons = 13;  // TripReason values

  void configure(const ProtectionConfig& config);
  // Moves the output over-voltage trip and release (they follow the charge target).
  void set_output_over_voltage(float trip_v, float release_v) {
    config_.v_out_max_v = trip_v;
    config_.v_out_max_release_v = release_v;
  }
  // running: the converter switched during the last tick; duty: the duty it ran.
  ProtectionVerdict update(const control::Measurements& m, bool running, float duty, float dt_s);

  [[nodiscard]] bool active(TripReason reason) const;
  [[nodiscard]] const TripLog& log() const { return log_; }
  [[nodiscard]] std::uint32_t uptime_ms() const { return uptime_ms_; }
  [[nodiscard]] const ProtectionConfig& config() const { return config_; }

 private:
  struct Guard {
    bool tripped = false;
    std::uint8_t repeats = 0;  // consecutive trips, for the retry back-off
    float release_s = 0.0f;    // how long the release condition has held
    float quiet_s = 0.0f;      // time since the last trip
  };
  // trip / release: this tick's conditions for the guard of `reason`.
  void evaluate(TripReason reason, bool trip, bool release, float value, float dt_s);
  [[nodiscard]] float retry_delay_s(const Guard& g) const;

  ProtectionConfig config_{};
  SensorMonitor sensors_;
  Guard guards_[kReasons]{};
  TripLog log_;
  float backfeed_s_ = 0.0f;  // how long the back-feed condition has held
  std::uint32_t uptime_ms_ = 0;
  float ms_fraction_ = 0.0f;
};

}  // namespace powerstack::protection
