#include "sim/systems/lipo_device.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

constexpr double kAdcClipMv = 3100.0;  // esp32-adc.md: 4095 can mean anything above ~3.1 V
// ASSUMPTION: shape of the non-linearity outside the usable range (the reference gives only
// "strongly non-linear, clips"): half the slope above the range up to the clip, and a
// reading that collapses toward 0 below it.
constexpr double kAboveRangeSlope = 0.5;

double parallel(double a, double b) {
  return a * b / (a + b);
}

}  // namespace

DrawnCell draw_lipo_cell(double capacity_ah, double capacity_scale, const LipoCellSpread& spread,
                         SimRandom& rng) {
  const ChemistryProfile& li = chemistry_profile(Chemistry::kLiIon);
  DrawnCell d;
  d.params = typical_cell_params(li, capacity_ah);
  const double cap =
      capacity_scale * (1.0 + rng.uniform(-spread.capacity_frac, spread.capacity_frac));
  const double r = 1.0 + rng.uniform(-spread.r0_frac, spread.r0_frac);
  d.params.capacity_ah = capacity_ah * cap;
  // Resistances scale together; the RC time constants stay (C scales inversely).
  d.params.r0_ohm *= r;
  d.params.r1_ohm *= r;
  d.params.r2_ohm *= r;
  d.params.c1_f /= r;
  d.params.c2_f /= r;
  d.ocv_offset_v = rng.uniform(-spread.ocv_offset_v, spread.ocv_offset_v);
  return d;
}

ComparatorThresholds comparator_thresholds(const LipoDeviceConfig& c) {
  // Output low: IN+ = VBat R5 / (R3 + R5). Output high: the pull-up feeds IN+ through R4 + R5.
  const double rise = c.v_ref_v * (c.r3_ohm + c.r5_ohm) / c.r5_ohm;
  const double r_fb = c.r4_ohm + c.r5_ohm;
  const double fall = c.r3_ohm * (c.v_ref_v * (1.0 / c.r3_ohm + 1.0 / r_fb) - c.v_pullup_v / r_fb);
  return {rise, fall};
}

std::vector<SleepBudgetItem> off_budget(const LipoDeviceConfig& c, double v_bat_v) {
  const double v_sc = v_bat_v - c.d1_drop_v;
  return {
      {"monitor divider R1+R2", v_bat_v / (c.r_top_ohm + c.r_bottom_ohm)},
      {"wake detector (LM393, ~10 k equivalent)", v_sc / c.r_detector_ohm},
      {"comparator input R3+R5 (output low)", v_bat_v / (c.r3_ohm + c.r5_ohm)},
      {"MCP1700 quiescent + Q1 leakage", c.i_off_leak_a},
  };
}

std::vector<SleepBudgetItem> deep_sleep_budget(const LipoDeviceConfig& c, double v_bat_v) {
  std::vector<SleepBudgetItem> items = off_budget(c, v_bat_v);
  items.push_back({"ESP32 deep sleep", esp32_figures().deep_sleep_a});
  items.push_back({"main regulator ground current", c.regulator.i_quiescent_a});
  return items;
}

LipoDevice::LipoDevice(const LipoDeviceConfig& config)
    : config_(config),
      rng_(config.seed),
      cell_(chemistry_profile(Chemistry::kLiIon), CellParams{}, config.initial_soc),
      super_(SupercapParams{config.c_super_f, 0.0, kNoLeakResistance, 0.0}),
      esp_(esp32_figures()) {
  const DrawnCell d =
      draw_lipo_cell(config.capacity_ah, config.capacity_scale, config.spread, rng_);
  cell_ = BatteryCell(chemistry_profile(Chemistry::kLiIon), d.params, config.initial_soc);
  ocv_offset_v_ = d.ocv_offset_v;
  const Result<Ldo> ldo = Ldo::create(config.regulator);
  regulator_ = ldo.ok() ? ldo.value() : Ldo{};
  const Result<LoadProfile> p = esp32_duty_cycle_profile(
      esp_, config.cycle_period_s, config.awake_s, config.burst_period_s, config.burst_width_s);
  if (p.ok()) {
    profile_ = p.value();
  }
  adc_gain_err_ = rng_.uniform(-0.01, 0.01);
  adc_offset_mv_ = rng_.uniform(-config.adc_error_mv, config.adc_error_mv) * 0.5;
  v_bat_v_ = ocv_term_v(0.0);
  super_.set_voltage(std::max(0.0, v_bat_v_ - config.d1_drop_v));
  v_pin_v_ = v_bat_v_ * config.r_bottom_ohm / (config.r_top_ohm + config.r_bottom_ohm);
  v_in_plus_v_ = v_bat_v_ * config.r5_ohm / (config.r3_ohm + config.r5_ohm);
  comparator_high_ = v_bat_v_ > comparator_thresholds(config).rise_v;
  running_s_ = config.boot_s;
}

double LipoDevice::ocv_term_v(double i_a) const {
  return cell_.terminal_voltage_v(i_a, config_.t_c) + ocv_offset_v_;
}

void LipoDevice::remove_battery() {
  present_ = false;
  switch_on_ = false;  // nothing holds Q1's gate without the battery
}

void LipoDevice::insert_battery(double soc, double capacity_scale) {
  const DrawnCell d = draw_lipo_cell(config_.capacity_ah, capacity_scale, config_.spread, rng_);
  cell_ = BatteryCell(chemistry_profile(Chemistry::kLiIon), d.params, soc);
  ocv_offset_v_ = d.ocv_offset_v;
  present_ = true;
}

double LipoDevice::adc_reading_mv() {
  const auto& r = config_;
  const double v_mv = v_pin_v_ * 1e3;
  // esp32-adc.md, 11 dB: usable 150-2450 mV.
  constexpr double kMin = 150.0;
  constexpr double kMax = 2450.0;
  double reading = v_mv * (1.0 + adc_gain_err_) + adc_offset_mv_ + rng_.normal(0.0, r.adc_noise_mv);
  if (v_mv > kMax) {
    reading = kMax + kAboveRangeSlope * (v_mv - kMax) + adc_offset_mv_;
  } else if (v_mv < kMin) {
    reading = v_mv * v_mv / kMin;
  }
  return std::clamp(reading, 0.0, kAdcClipMv);
}

void LipoDevice::step(double /*t_s*/, double dt_s) {
  const auto& c = config_;
  const bool was_on = switch_on_ && present_;
  // ESP32 current by mode (its figures are at 3.3 V; the LDO passes the current through).
  double i_esp = 0.0;
  if (was_on) {
    if (running_s_ < c.boot_s) {
      i_esp = esp_.rx_a;
    } else if (mode_ == EspMode::kRun) {
      i_esp = profile_.current_a(run_t_s_, c.regulator.v_set_v);
      run_t_s_ += dt_s;
    } else if (mode_ == EspMode::kQuiet) {
      i_esp = esp_.modem_sleep_a;
    } else {
      i_esp = esp_.deep_sleep_a;
    }
  }
  // Battery terminal with the last step's current (explicit coupling).
  const double v_bat = present_ ? ocv_term_v(i_bat_a_) : 0.0;
  double i_main = 0.0;
  v_esp_v_ = 0.0;
  if (was_on) {
    const double v_in = v_bat - c.d2_drop_v + c.q1_on_ohm * i_bat_a_;
    const LdoOperatingPoint op = regulator_.at_load_current(std::max(v_in, 0.0), i_esp);
    i_main = op.i_in_a;
    v_esp_v_ = op.v_out_v;
  }
  load_model_a_ = i_esp + c.regulator.i_quiescent_a + v_bat / (c.r_top_ohm + c.r_bottom_ohm);
  // Supercapacitor: charged from the battery through D1, drained by the detector.
  const double v_sc = super_.v_cap_v();
  const double i_charge = present_ ? std::max(0.0, v_bat - c.d1_drop_v - v_sc) / c.r_d1_ohm : 0.0;
  // Limit the charge current so one explicit step cannot overshoot the diode's target.
  const double i_charge_max = c.c_super_f * std::max(0.0, v_bat - c.d1_drop_v - v_sc) / dt_s;
  const double i_sc_in = std::min(i_charge, i_charge_max);
  super_.step(i_sc_in - v_sc / c.r_detector_ohm, dt_s);

  const double i_divider = v_bat / (c.r_top_ohm + c.r_bottom_ohm);
  const double i_comp_in = std::max(0.0, v_bat - v_in_plus_v_) / c.r3_ohm;
  const double i_leak = present_ && !was_on ? c.i_off_leak_a : 0.0;
  const double i_draw = i_main + i_sc_in + i_divider + i_comp_in + i_leak;
  i_bat_a_ = present_ ? -i_draw : 0.0;
  if (present_) {
    cell_.step(i_bat_a_, dt_s, c.t_c);
  }
  v_bat_v_ = present_ ? ocv_term_v(i_bat_a_) : 0.0;
  // Off-state accounting once the supercapacitor is charged (its inrush is not a sleep draw).
  if (present_ && !was_on && i_sc_in < 2.0 * v_sc / c.r_detector_ohm) {
    off_charge_ah_ += i_draw * dt_s / 3600.0;
    off_time_s_ += dt_s;
  }

  // Monitor pin: divider Thevenin source into the filter capacitor (exact exponential).
  const double ratio = c.r_bottom_ohm / (c.r_top_ohm + c.r_bottom_ohm);
  const double tau_pin = parallel(c.r_top_ohm, c.r_bottom_ohm) * c.c_filter_f;
  v_pin_v_ += (v_bat_v_ * ratio - v_pin_v_) * -std::expm1(-dt_s / tau_pin);

  // Comparator input node (R3 from the battery, R5 from the output, C1 to ground).
  const bool alive = detector_alive();
  const bool out_high = comparator_high_ && alive;
  const double v_pu = std::min(c.v_pullup_v, super_.v_cap_v());
  double v_th = 0.0;
  double r_th = 0.0;
  if (out_high) {
    const double r_fb = c.r4_ohm + c.r5_ohm;
    r_th = parallel(c.r3_ohm, r_fb);
    v_th = (v_bat_v_ / c.r3_ohm + v_pu / r_fb) * r_th;
  } else {
    r_th = parallel(c.r3_ohm, c.r5_ohm);
    v_th = v_bat_v_ * c.r5_ohm / (c.r3_ohm + c.r5_ohm);
  }
  v_in_plus_v_ += (v_th - v_in_plus_v_) * -std::expm1(-dt_s / (r_th * c.c_in_f));
  const bool high_now = alive && v_in_plus_v_ > c.v_ref_v;
  // Wake: a rising edge of the comparator output turns Q1 on (the ESP32 then boots).
  if (high_now && !comparator_high_ && !switch_on_) {
    switch_on_ = true;
    running_s_ = 0.0;
    mode_ = EspMode::kRun;
  }
  comparator_high_ = high_now;

  // ESP32 supply: brown-out resets the firmware (it boots again once the supply is back).
  if (switch_on_ && present_) {
    if (v_esp_v_ < c.brownout_v && was_on) {
      if (running_s_ >= c.boot_s) {
        ++brownouts_;
      }
      running_s_ = 0.0;
    } else {
      running_s_ += dt_s;
      if (running_s_ >= c.boot_s) {
        min_v_esp_v_ = std::isnan(min_v_esp_v_) ? v_esp_v_ : std::min(min_v_esp_v_, v_esp_v_);
      }
    }
  } else {
    running_s_ = 0.0;
  }
}

}  // namespace powerstack::sim
