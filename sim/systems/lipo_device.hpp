// The seed-002 device on the twin: a Li-Po cell (seeded parameter spread), the battery
// monitor divider with its filter capacitor into an ESP32 ADC pin, the wake comparator (LM393
// with R3/R5 hysteresis, input filter C1) powered from a 0.1 F supercapacitor behind a
// Schottky diode, the main power path (Schottky D2, P-MOSFET Q1, LDO) and an ESP32 whose
// current follows the mode the firmware asks for. Battery removal and insertion are events.
// Hardware only: the firmware (core code) runs against it in LipoDeviceFirmware.
//
// Sign convention: battery current i_bat_a > 0 charges the cell (it is negative here).
// Explicit coupling: every branch current of a step uses the voltages at the step's start;
// with the 10 ms steps used and the circuit's time constants (>= 0.8 ms divider filter,
// exact exponential updates for the RC nodes) this is accurate to well under a millivolt.
// Figures and their sources: docs/power-manager.md.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/models/battery_cell.hpp"
#include "sim/models/ldo.hpp"
#include "sim/models/loads.hpp"
#include "sim/models/supercapacitor.hpp"

namespace powerstack::sim {

// Spread of a drawn cell around the nominal (uniform in +-): capacity, R0 (also R1, R2),
// OCV offset.
struct LipoCellSpread {
  double capacity_frac = 0.05;
  double r0_frac = 0.20;
  double ocv_offset_v = 0.010;
};

struct DrawnCell {
  CellParams params;
  double ocv_offset_v = 0.0;
};

// A Li-Po cell of nominal capacity (typical_cell_params of the Li-ion profile) scaled by
// `capacity_scale` (ageing, 1 = new) and the spread drawn from `rng`.
DrawnCell draw_lipo_cell(double capacity_ah, double capacity_scale, const LipoCellSpread& spread,
                         SimRandom& rng);

struct LipoDeviceConfig {
  double capacity_ah = 4.0;  // seed 002: 4000 mAh
  double capacity_scale = 1.0;
  double initial_soc = 1.0;
  double t_c = 25.0;
  std::uint64_t seed = 1;
  LipoCellSpread spread{};

  // Monitor divider (seed: R1 10 k top, R2 39 k bottom, C 100 nF).
  double r_top_ohm = 10e3;
  double r_bottom_ohm = 39e3;
  double c_filter_f = 100e-9;
  // ESP32 ADC: reading error inside the usable range, drawn uniformly in +- (11 dB: 60 mV).
  double adc_error_mv = 60.0;
  double adc_noise_mv = 2.0;

  // Main path: D2 drop, Q1 on-resistance, regulator (seed: AMS1117-3.3, ~1.1 V dropout at
  // light load, ~5 mA ground current), ESP32 brown-out level (2.43 V, ESP-IDF default).
  double d2_drop_v = 0.3;
  double q1_on_ohm = 0.13;
  LdoParams regulator{3.3, 1.1, 0.2, 5e-3, 0.0};
  double brownout_v = 2.43;
  double boot_s = 0.3;  // power-on to firmware running

  // Wake detector (seed: R3 100 k, R4 10 k pull-up to 3.3 V, R5 1 M hysteresis, C1 1 uF,
  // Vref 3.6 V, supercapacitor 0.1 F behind D1, detector load ~10 k).
  double r3_ohm = 100e3;
  double r4_ohm = 10e3;
  double r5_ohm = 1e6;
  double c_in_f = 1e-6;
  double v_ref_v = 3.6;
  double v_pullup_v = 3.3;
  double c_super_f = 0.1;
  double d1_drop_v = 0.3;
  double r_d1_ohm = 1.0;  // charge path resistance (diode slope + wiring)
  double r_detector_ohm = 10e3;
  double v_detector_min_v = 2.0;  // LM393 minimum supply (datasheet: 2 V)

  // Always on while off: MCP1700 quiescent 1.6 uA, Q1 leakage < 1 uA (seed).
  double i_off_leak_a = 2.6e-6;

  // ESP32 figures (loads.hpp) and the awake cycle while running: deep sleep for
  // period - awake, then awake with Wi-Fi bursts.
  double cycle_period_s = 600.0;
  double awake_s = 120.0;
  double burst_period_s = 5.0;
  double burst_width_s = 0.5;
};

// The ESP32 modes the firmware selects.
enum class EspMode : std::uint8_t { kRun, kQuiet, kDeepSleep };

struct SleepBudgetItem {
  std::string name;
  double i_a;
};
// Battery current, item by item, in deep sleep (device on, ESP32 asleep) and off (Q1 open),
// at battery voltage v_bat_v, from the configuration alone (the design check).
std::vector<SleepBudgetItem> deep_sleep_budget(const LipoDeviceConfig& c, double v_bat_v);
std::vector<SleepBudgetItem> off_budget(const LipoDeviceConfig& c, double v_bat_v);

// Rising and falling battery-voltage thresholds of the comparator network (closed form).
struct ComparatorThresholds {
  double rise_v;
  double fall_v;
};
ComparatorThresholds comparator_thresholds(const LipoDeviceConfig& c);

class LipoDevice {
 public:
  explicit LipoDevice(const LipoDeviceConfig& config);

  void step(double t_s, double dt_s);

  // Hardware controls.
  void set_mode(EspMode mode) { mode_ = mode; }
  // The firmware releases Q1 (device off); only the wake comparator turns it back on.
  void power_off() { switch_on_ = false; }
  void remove_battery();
  // A new cell, drawn with the spread, at soc (and capacity_scale) at rest.
  void insert_battery(double soc, double capacity_scale = 1.0);

  // What the firmware can see.
  [[nodiscard]] bool firmware_running() const { return switch_on_ && running_s_ >= config_.boot_s; }
  // Reading of the ADC pin in mV (chip-calibrated, with its error; clips outside the range).
  [[nodiscard]] double adc_reading_mv();
  [[nodiscard]] bool wake_pin() const { return comparator_high_; }
  // Battery current of the present mode from the ESP32 figures and the board's fixed draws:
  // what a firmware load model knows without a current sensor (negative: discharge).
  [[nodiscard]] double load_model_current_a() const { return -load_model_a_; }

  // True values (for probes, the report and the benches).
  [[nodiscard]] bool battery_present() const { return present_; }
  [[nodiscard]] bool switch_on() const { return switch_on_; }
  [[nodiscard]] double v_bat_v() const { return v_bat_v_; }
  [[nodiscard]] double i_bat_a() const { return i_bat_a_; }
  [[nodiscard]] double soc() const { return cell_.soc(); }
  [[nodiscard]] double v_super_v() const { return super_.v_cap_v(); }
  [[nodiscard]] double v_esp_v() const { return v_esp_v_; }
  [[nodiscard]] double v_pin_v() const { return v_pin_v_; }
  [[nodiscard]] bool detector_alive() const { return super_.v_cap_v() >= config_.v_detector_min_v; }
  [[nodiscard]] std::uint32_t brownouts() const { return brownouts_; }
  // Lowest ESP32 supply while the firmware ran; NaN if it never ran.
  [[nodiscard]] double min_v_esp_running_v() const { return min_v_esp_v_; }
  [[nodiscard]] const BatteryCell& cell() const { return cell_; }
  [[nodiscard]] const LipoDeviceConfig& config() const { return config_; }
  // Charge drawn from the battery (Ah) while off, and time spent off (s).
  [[nodiscard]] double off_charge_ah() const { return off_charge_ah_; }
  [[nodiscard]] double off_time_s() const { return off_time_s_; }

 private:
  double ocv_term_v(double i_a) const;

  LipoDeviceConfig config_;
  SimRandom rng_;
  BatteryCell cell_;
  double ocv_offset_v_ = 0.0;
  Supercapacitor super_;
  LoadProfile profile_;
  Ldo regulator_;
  Esp32Figures esp_;
  double adc_gain_err_ = 0.0;
  double adc_offset_mv_ = 0.0;
  bool present_ = true;
  bool switch_on_ = true;
  bool comparator_high_ = false;
  EspMode mode_ = EspMode::kRun;
  double running_s_ = 0.0;
  double v_bat_v_ = 0.0;
  double i_bat_a_ = 0.0;
  double v_in_plus_v_ = 0.0;
  double v_pin_v_ = 0.0;
  double v_esp_v_ = 0.0;
  double min_v_esp_v_ = std::numeric_limits<double>::quiet_NaN();
  double run_t_s_ = 0.0;  // time into the awake cycle
  double load_model_a_ = 0.0;
  std::uint32_t brownouts_ = 0;
  double off_charge_ah_ = 0.0;
  double off_time_s_ = 0.0;
};

}  // namespace powerstack::sim
