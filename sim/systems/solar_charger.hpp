// SolarChargerPlant: seed 000's hardware as one Plant: a PV string -> synchronous buck ->
// battery string behind a BMS, a DC load on the battery bus, and the converter's thermal
// network. The controller reaches it only through Measurements / Actuation.
//
// Coupling, and why: the battery behind the output capacitor is stiff (R_th * C_out is
// ~40 us) while the plant step is 1 ms. The averaged buck (sim/models/sync_buck.hpp) solves
// its ports implicitly inside its midpoint sub-steps: the battery as a Thevenin source (OCV
// and RC voltages held over the plant step, R_th its ohmic resistance plus the wiring) and
// the PV string linearised around the input voltage at the start of the plant step
// (I = I0 + g (V - V0)). So one plant step is a few buck sub-steps, whatever the stiffness;
// with the battery cut the buck's fine sub-step resolves the undamped output LC. The
// string's I-V curve is tabulated (PvCurveTable) whenever irradiance or cell temperature
// has moved by 0.5 W/m2 or 0.1 C, so a step never solves the string itself.
// The battery cells, BMS and thermal network advance once per plant step with the step's
// average currents and losses.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "powerstack/common/status.hpp"
#include "sim/engine/plant.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/models/battery_chemistry.hpp"
#include "sim/models/battery_string.hpp"
#include "sim/models/bms.hpp"
#include "sim/models/profiles.hpp"
#include "sim/models/pv_curve_table.hpp"
#include "sim/models/pv_en50530.hpp"
#include "sim/models/pv_string.hpp"
#include "sim/models/sync_buck.hpp"
#include "sim/models/thermal_rc.hpp"

namespace powerstack::sim {

struct SolarChargerConfig {
  PvModuleParams module;
  int modules_in_series = 1;
  int substrings_per_module = 3;
  std::vector<double> shading;  // per substring irradiance factor (0..1); empty = none
  // Set: the PV generator is this EN 50530 curve (the MPPT efficiency test's), at the
  // profile's irradiance and the cell temperature below; module, substrings and shading
  // are then unused.
  std::optional<En50530Curve> en50530;
  double noct_c = 45.0;  // cell temperature = ambient + (NOCT - 20) G / 800
  std::optional<TimeSeriesProfile> irradiance_profile;  // else clear_sky
  ClearSkySine clear_sky;
  std::optional<TimeSeriesProfile> ambient_profile;  // else ambient_c
  double ambient_c = 25.0;

  SyncBuckParams buck = fugu_class_buck_params();
  BuckThermalParams thermal = fugu_class_thermal_params();

  Chemistry chemistry = Chemistry::kLiFePO4;
  StringParams battery;
  bool bms_enabled = true;
  double bms_delay_s = 0.0;
  double r_wire_ohm = 0.01;  // converter output to battery terminals
  // The gate driver is supplied from the PV input (docs/buck-model.md); below this input
  // voltage it cannot switch, so the converter stops whatever the controller asks
  // (ASSUMPTION: 8 V, a typical driver supply UVLO).
  double gate_uvlo_v = 8.0;

  double load_w = 0.0;       // constant-power load on the battery bus
  double load_v_min = 10.0;  // below it the load draws nothing
};

// Energy (J) and extremes accumulated over a run.
struct SolarChargerTotals {
  double pv_j = 0.0;          // delivered by the PV string
  double mpp_j = 0.0;         // available: the string's global maximum power, integrated
  double battery_in_j = 0.0;  // into the battery terminals (net)
  double load_j = 0.0;
  double stored_j = 0.0;    // change of the converter's stored energy (caps, coil)
  SyncBuckLosses losses_j;  // each field integrated over time (J)
  double wire_j = 0.0;
  double v_out_max_v = 0.0;
  double v_out_min_v = 1e300;
  double v_cell_max_v = 0.0;  // highest cell voltage seen (at the step's current)
  double t_coil_max_c = -1e300;
  double t_fet_max_c = -1e300;
};

class SolarChargerPlant : public Plant {
 public:
  // Null, with `why` set (e.g. "pv module: ..."), when a part cannot be built.
  static std::unique_ptr<SolarChargerPlant> create(const SolarChargerConfig& config,
                                                   std::string& why);

  void step(double t_s, double dt_s) override;
  [[nodiscard]] control::Measurements measure() const override;
  void actuate(const control::Actuation& actuation) override;
  [[nodiscard]] std::vector<std::string> signal_names() const override { return signal_list(); }
  // The probe-able signals of every solar charger plant.
  static std::vector<std::string> signal_list();
  [[nodiscard]] double signal(std::string_view name) const override;

  // Fault events.
  void cut_battery() { battery_cut_ = true; }
  // A resistance across the PV terminals (0: removes it). The input current sensor sits
  // between the terminals and the converter, so it sees the input capacitor discharging.
  void short_pv(double r_ohm) { pv_short_ohm_ = r_ohm; }
  void set_ambient_c(double t_c) {
    config_.ambient_profile.reset();
    config_.ambient_c = t_c;
    pv_built_t_ = -1e9;  // force a rebuild at the new cell temperature
  }
  // A sensor channel ("v_pv", "i_pv", "v_bat", "i_bat", "t_fet") stuck at its value now, or
  // reading its ADC full scale (saturated), or healthy again (kNone).
  enum class SensorFault { kNone, kStuck, kSaturated };
  void set_sensor_fault(std::string_view channel, SensorFault fault);
  void reconnect_battery();
  void set_load_w(double load_w) { config_.load_w = load_w; }
  void set_shading(std::vector<double> shading);

  // The panel now, without an input short (the twin's I-V curve view): current at v_v, the
  // open-circuit voltage and the voltage of the global maximum power point (0 in the dark).
  [[nodiscard]] double panel_current_a(double v_v) const;
  [[nodiscard]] double panel_voc_v() const { return en50530_ ? en50530_->voc_v() : pv_.voc_v(); }
  [[nodiscard]] double v_mpp_v() const { return v_mpp_v_; }

  [[nodiscard]] const SolarChargerTotals& totals() const { return totals_; }
  // What the plant itself did (the BMS opening or closing), in time order.
  [[nodiscard]] const std::vector<EventRecord>& plant_events() const { return plant_events_; }
  [[nodiscard]] const BatteryString& battery() const { return battery_; }
  [[nodiscard]] bool battery_connected() const { return !battery_cut_ && !bms_.open(); }
  [[nodiscard]] const SyncBuckState& buck_state() const { return buck_state_; }

 private:
  SolarChargerPlant(SolarChargerConfig config, const PvModuleFit& fit, const SyncBuck& buck,
                    const ThermalRc& thermal);
  struct SignalEntry;
  struct StepSums;
  static const std::vector<SignalEntry>& signal_table();
  [[nodiscard]] control::Measurements measure_true() const;
  // What the panel (and an input short) drives into the input node at v_in_v; its slope.
  double source_current_a(double v_in_v, double* g_a_per_v = nullptr) const;
  void update_pv(double t_s);

  SolarChargerConfig config_;
  PvModuleFit fit_;
  const ChemistryProfile* chemistry_;
  SyncBuck buck_;
  ThermalRc thermal_;
  BatteryString battery_;
  Bms bms_;
  PvString pv_;
  PvCurveTable pv_table_;
  std::optional<En50530Curve> en50530_;
  double pv_built_g_ = -1.0;
  double pv_built_t_ = -1e9;
  SyncBuckState buck_state_;
  SyncBuckControl control_;
  std::vector<double> t_nodes_c_;
  double t_ambient_c_ = 25.0;
  double g_w_m2_ = 0.0;
  bool battery_cut_ = false;
  double pv_short_ohm_ = 0.0;
  double trip_v_ = 0.0;        // output comparator threshold from the controller (0: off)
  bool trip_latched_ = false;  // the comparator stopped the PWM; cleared by pwm_enabled=false
  double i_trip_a_ = 0.0;      // input reverse-current comparator (0: off)
  bool i_trip_latched_ = false;
  bool input_switch_on_ = true;
  struct ChannelFault {
    std::string_view channel;
    float full_scale;  // what a saturated channel reads (ASSUMPTION: FUGU-class ranges)
    SensorFault fault = SensorFault::kNone;
    float held = 0.0f;
  };
  std::array<ChannelFault, 5> sensor_faults_{
      {{"v_pv", 80.0f}, {"i_pv", 30.0f}, {"v_bat", 40.0f}, {"i_bat", 40.0f}, {"t_fet", 150.0f}}};

  // Last step's averages, for measurements and probes.
  double i_pv_a_ = 0.0;
  double i_l_avg_a_ = 0.0;  // the end-of-step inductor current aliases the LC ringing
  double i_bat_a_ = 0.0;
  double p_pv_w_ = 0.0;
  double p_loss_w_ = 0.0;
  double p_mpp_w_ = 0.0;
  double v_mpp_v_ = 0.0;
  double v_cell_max_v_ = 0.0;
  SolarChargerTotals totals_;
  std::vector<EventRecord> plant_events_;
};

}  // namespace powerstack::sim
