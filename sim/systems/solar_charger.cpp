#include "sim/systems/solar_charger.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

// Re-solve the PV string when irradiance or cell temperature moved this much.
constexpr double kPvRebuildG = 0.5;
constexpr double kPvRebuildT = 0.1;
constexpr int kPvTablePoints = 256;  // per axis; see tests/sim/test_pv_curve_table.cpp

// Output comparator (docs/charger.md, "Output over-voltage"): sampled every 5 us, acting one
// sample later (divider RC filter, comparator, PWM fault input: ASSUMPTION 5-10 us in all).
constexpr double kComparatorSampleS = 5e-6;
// Below the threshold by more than this with the battery connected the output cannot reach
// it within a plant step, so the step is not cut.
constexpr double kComparatorWatchV = 1.0;

}  // namespace

// Time-weighted sums of the port step results of a plant step cut into pieces.
struct SolarChargerPlant::StepSums {
  SyncBuckPortStepResult r;
  double t_s = 0.0;
  void add(const SyncBuckPortStepResult& x, double h) {
    const double w_old = t_s / (t_s + h);
    const double w_new = h / (t_s + h);
    r.i_l_avg_a = w_old * r.i_l_avg_a + w_new * x.i_l_avg_a;
    r.i_source_avg_a = w_old * r.i_source_avg_a + w_new * x.i_source_avg_a;
    r.i_bat_avg_a = w_old * r.i_bat_avg_a + w_new * x.i_bat_avg_a;
    SyncBuckLosses a = r.losses;
    a *= w_old;
    SyncBuckLosses b = x.losses;
    b *= w_new;
    a += b;
    r.losses = a;
    r.e_source_j += x.e_source_j;
    r.e_bat_port_j += x.e_bat_port_j;
    r.e_r_th_j += x.e_r_th_j;
    r.e_extra_load_j += x.e_extra_load_j;
    r.stored_delta_j += x.stored_delta_j;
    t_s += h;
  }
};

std::unique_ptr<SolarChargerPlant> SolarChargerPlant::create(const SolarChargerConfig& config,
                                                             std::string& why) {
  if (config.en50530 && !config.en50530->valid()) {
    why = "pv: invalid EN 50530 generator (MPP voltage and current must be positive)";
    return nullptr;
  }
  if (const char* e = check_module_params(config.module);
      !config.en50530 && e != nullptr && *e != '\0') {
    why = std::string("pv module: ") + e;
    return nullptr;
  }
  const PvModuleFit fit = config.en50530 ? PvModuleFit{} : fit_pv_module(config.module);
  if (!config.en50530 && !fit.ok) {
    why = std::string("pv module fit: ") + fit.error;
    return nullptr;
  }
  if (config.modules_in_series < 1 || config.substrings_per_module < 1) {
    why = "pv: modules_in_series and substrings_per_module must be at least 1";
    return nullptr;
  }
  const std::size_t n_sub = static_cast<std::size_t>(config.modules_in_series) *
                            static_cast<std::size_t>(config.substrings_per_module);
  if (!config.shading.empty() && config.shading.size() != n_sub) {
    why = "pv: shading needs one factor per substring (" + std::to_string(n_sub) + ")";
    return nullptr;
  }
  const auto buck = SyncBuck::create(config.buck);
  if (!buck.ok()) {
    why = "converter: invalid buck parameters";
    return nullptr;
  }
  const auto thermal = ThermalRc::create(buck_thermal_network(config.thermal));
  if (!thermal.ok()) {
    why = "converter: invalid thermal parameters";
    return nullptr;
  }
  if (config.battery.n_cells < 1) {
    why = "battery: at least one cell";
    return nullptr;
  }
  return std::unique_ptr<SolarChargerPlant>(
      new SolarChargerPlant(config, fit, buck.value(), thermal.value()));
}

SolarChargerPlant::SolarChargerPlant(SolarChargerConfig config, const PvModuleFit& fit,
                                     const SyncBuck& buck, const ThermalRc& thermal)
    : config_(std::move(config)),
      fit_(fit),
      chemistry_(&chemistry_profile(config_.chemistry)),
      buck_(buck),
      thermal_(thermal),
      battery_(*chemistry_, config_.battery),
      bms_(bms_params_from(chemistry_->limits, config_.bms_delay_s)),
      pv_(std::vector<PvSubstring>{}),
      en50530_(config_.en50530),
      t_ambient_c_(config_.ambient_profile ? config_.ambient_profile->value_at(0.0)
                                           : config_.ambient_c) {
  t_nodes_c_.assign(thermal_.size(), t_ambient_c_);
  const double v_bat = battery_.terminal_voltage_v(0.0, t_ambient_c_);
  buck_state_ = {v_bat, 0.0, v_bat};
  update_pv(0.0);
  buck_state_.v_in_v = en50530_ ? en50530_->voc_v() : pv_.voc_v();
}

void SolarChargerPlant::update_pv(double t_s) {
  g_w_m2_ = config_.irradiance_profile ? config_.irradiance_profile->value_at(t_s)
                                       : config_.clear_sky.irradiance_w_m2(t_s);
  g_w_m2_ = std::max(0.0, g_w_m2_);
  t_ambient_c_ =
      config_.ambient_profile ? config_.ambient_profile->value_at(t_s) : config_.ambient_c;
  const double t_cell = t_ambient_c_ + (config_.noct_c - 20.0) * g_w_m2_ / 800.0;
  if (std::fabs(g_w_m2_ - pv_built_g_) < kPvRebuildG &&
      std::fabs(t_cell - pv_built_t_) < kPvRebuildT) {
    return;
  }
  pv_built_g_ = g_w_m2_;
  pv_built_t_ = t_cell;
  if (en50530_) {
    en50530_->set_conditions(g_w_m2_, t_cell);
    p_mpp_w_ = std::max(0.0, en50530_->mpp().p_w);
    v_mpp_v_ = p_mpp_w_ > 0.0 ? en50530_->mpp().v_v : 0.0;
    return;
  }
  const std::size_t n_sub = static_cast<std::size_t>(config_.modules_in_series) *
                            static_cast<std::size_t>(config_.substrings_per_module);
  std::vector<PvConditions> conditions(n_sub);
  for (std::size_t k = 0; k < n_sub; ++k) {
    const double factor = config_.shading.empty() ? 1.0 : config_.shading[k];
    conditions[k] = {g_w_m2_ * factor, t_cell};
  }
  pv_ = make_pv_string(fit_, config_.substrings_per_module, conditions);
  pv_table_ = PvCurveTable(pv_, kPvTablePoints);
  const PvMpp mpp = pv_.global_mpp();
  p_mpp_w_ = g_w_m2_ > 0.0 ? std::max(0.0, mpp.p_w) : 0.0;
  v_mpp_v_ = p_mpp_w_ > 0.0 ? mpp.v_v : 0.0;
}

double SolarChargerPlant::panel_current_a(double v_v) const {
  return en50530_ ? en50530_->current_a(v_v) : pv_table_.current_a(v_v);
}

double SolarChargerPlant::source_current_a(double v_in_v, double* g_a_per_v) const {
  double g = 0.0;
  double i = 0.0;
  if (en50530_) {
    i = en50530_->current_a(v_in_v);
    g = en50530_->current_slope_a_per_v(v_in_v);
  } else {
    i = pv_table_.current_a(v_in_v, &g);
  }
  if (pv_short_ohm_ > 0.0) {
    i -= v_in_v / pv_short_ohm_;
    g -= 1.0 / pv_short_ohm_;
  }
  if (g_a_per_v != nullptr) {
    *g_a_per_v = g;
  }
  return i;
}

void SolarChargerPlant::actuate(const control::Actuation& a) {
  control_.duty = std::clamp(static_cast<double>(a.duty), 0.0, 1.0);
  control_.enabled = a.pwm_enabled;
  control_.low_side_enabled = a.low_side_enabled;
  control_.f_sw_hz = static_cast<double>(a.f_sw_hz);
  trip_v_ = static_cast<double>(a.v_bat_trip_v);
  i_trip_a_ = static_cast<double>(a.i_pv_trip_a);
  input_switch_on_ = a.input_switch_on;
}

void SolarChargerPlant::set_sensor_fault(std::string_view channel, SensorFault fault) {
  const control::Measurements now = measure_true();
  for (auto& f : sensor_faults_) {
    if (f.channel == channel) {
      f.fault = fault;
      f.held = channel == "v_pv"    ? now.v_pv_v
               : channel == "i_pv"  ? now.i_pv_a
               : channel == "v_bat" ? now.v_bat_v
               : channel == "i_bat" ? now.i_bat_a
                                    : now.t_fet_c;
    }
  }
}

void SolarChargerPlant::reconnect_battery() {
  battery_cut_ = false;
  bms_.reset();
}

void SolarChargerPlant::set_shading(std::vector<double> shading) {
  if (shading.size() == config_.shading.size() || config_.shading.empty()) {
    config_.shading = std::move(shading);
    pv_built_g_ = -1.0;  // force a rebuild
  }
}

void SolarChargerPlant::step(double t_s, double dt_s) {
  update_pv(t_s);
  const bool connected = battery_connected();
  // Battery as a Thevenin source over this plant step.
  const double v_th = battery_.terminal_voltage_v(0.0, t_ambient_c_);
  const double r_th =
      std::max(1e-6, battery_.terminal_voltage_v(1.0, t_ambient_c_) - v_th) + config_.r_wire_ohm;
  const double i_extra =
      buck_state_.v_out_v > config_.load_v_min ? config_.load_w / buck_state_.v_out_v : 0.0;
  const SyncBuckLoadPort load{v_th, r_th, connected, i_extra};
  if (!control_.enabled) {
    // The firmware acknowledged the comparators by disabling the PWM.
    trip_latched_ = false;
    i_trip_latched_ = false;
  }
  // The output comparator acts between plant steps only when the output can rise fast: the
  // battery is gone, or the output is already near the threshold. Then the step is cut into
  // comparator samples (kComparatorSampleS); a crossing stops the PWM one sample later.
  const bool armed = trip_v_ > 0.0 && control_.enabled && !trip_latched_;
  const bool i_armed = i_trip_a_ > 0.0 && control_.enabled && !i_trip_latched_;
  const bool fast = (armed && (!connected || buck_state_.v_out_v > trip_v_ - kComparatorWatchV)) ||
                    (i_armed && source_current_a(buck_state_.v_in_v) < 0.0);
  const int chunks =
      fast ? std::max(1, static_cast<int>(std::ceil(dt_s / kComparatorSampleS - 1e-9))) : 1;
  const double h = dt_s / chunks;
  int stop_after = -1;  // chunk index from which the PWM is off
  int open_after = -1;  // chunk index from which the input switch is open

  StepSums sums;
  for (int k = 0; k < chunks; ++k) {
    // PV linearised at the present input voltage (and the input short, if any, in parallel).
    const double v0 = buck_state_.v_in_v;
    double g = 0.0;
    double i0 = source_current_a(v0, &g);
    // The open input switch leaves its body diode: no current out of the converter.
    const bool switch_on =
        input_switch_on_ && !i_trip_latched_ && (open_after < 0 || k < open_after);
    if (!switch_on && i0 < 0.0) {
      i0 = 0.0;
      g = 0.0;
    }
    const SyncBuckSourcePort source{i0, g, v0};
    SyncBuckControl control = control_;
    control.enabled = control.enabled && buck_state_.v_in_v >= config_.gate_uvlo_v &&
                      (stop_after < 0 || k < stop_after) && (open_after < 0 || k < open_after) &&
                      !trip_latched_ && !i_trip_latched_;
    const SyncBuckPortStepResult r =
        buck_.step(buck_state_, control, source, load, h, connected ? 0.0 : buck_.max_substep_s());
    sums.add(r, h);
    totals_.v_out_max_v = std::max(totals_.v_out_max_v, buck_state_.v_out_v);
    if (fast && stop_after < 0 && buck_state_.v_out_v > trip_v_) {
      stop_after = k + 2;  // one more sample of propagation delay
      plant_events_.push_back({t_s + (k + 1) * h, "output comparator stopped the PWM"});
    }
    if (fast && i_armed && open_after < 0 && r.i_source_avg_a < -i_trip_a_) {
      open_after = k + 2;
      plant_events_.push_back(
          {t_s + (k + 1) * h, "input comparator stopped the PWM and opened the input switch"});
    }
  }
  if (stop_after >= 0) {
    trip_latched_ = true;
  }
  if (open_after >= 0) {
    i_trip_latched_ = true;
  }
  const SyncBuckPortStepResult& r = sums.r;
  i_l_avg_a_ = r.i_l_avg_a;
  SyncBuckLosses loss_j = r.losses;
  loss_j *= dt_s;
  const double e_wire = r.e_r_th_j * config_.r_wire_ohm / r_th;
  i_pv_a_ = r.i_source_avg_a;
  i_bat_a_ = r.i_bat_avg_a;
  p_pv_w_ = r.e_source_j / dt_s;
  p_loss_w_ = r.losses.total_w();

  battery_.step(connected ? i_bat_a_ : 0.0, dt_s, t_ambient_c_);
  const std::vector<double> cell_v =
      battery_.cell_voltages_v(connected ? i_bat_a_ : 0.0, t_ambient_c_);
  v_cell_max_v_ = *std::max_element(cell_v.begin(), cell_v.end());
  totals_.v_cell_max_v = std::max(totals_.v_cell_max_v, v_cell_max_v_);
  if (config_.bms_enabled) {
    const bool was_open = bms_.open();
    bms_.update(cell_v, dt_s);
    if (bms_.open() != was_open) {
      const char* what = !bms_.open()        ? "BMS closed (cell voltages back in range)"
                         : bms_.ov_tripped() ? "BMS opened: cell over-voltage"
                                             : "BMS opened: cell under-voltage";
      plant_events_.push_back({t_s + dt_s, what});
    }
  }
  const std::array<double, 3> heat = buck_node_heat_w(r.losses);
  thermal_.step(t_nodes_c_, heat, t_ambient_c_, dt_s);

  totals_.pv_j += r.e_source_j;
  totals_.mpp_j += p_mpp_w_ * dt_s;
  totals_.battery_in_j += r.e_bat_port_j - e_wire;
  totals_.wire_j += e_wire;
  totals_.load_j += r.e_extra_load_j;
  totals_.losses_j += loss_j;
  totals_.stored_j += r.stored_delta_j;
  totals_.v_out_max_v = std::max(totals_.v_out_max_v, buck_state_.v_out_v);
  totals_.v_out_min_v = std::min(totals_.v_out_min_v, buck_state_.v_out_v);
  totals_.t_coil_max_c = std::max(totals_.t_coil_max_c, t_nodes_c_[kBuckCoilNode]);
  totals_.t_fet_max_c = std::max(totals_.t_fet_max_c, t_nodes_c_[kBuckFetNode]);
}

control::Measurements SolarChargerPlant::measure() const {
  control::Measurements m = measure_true();
  for (const auto& f : sensor_faults_) {
    if (f.fault == SensorFault::kNone) {
      continue;
    }
    float* v = f.channel == "v_pv"    ? &m.v_pv_v
               : f.channel == "i_pv"  ? &m.i_pv_a
               : f.channel == "v_bat" ? &m.v_bat_v
               : f.channel == "i_bat" ? &m.i_bat_a
                                      : &m.t_fet_c;
    *v = f.fault == SensorFault::kStuck ? f.held : f.full_scale;
  }
  m.v_bat_trip_latched = trip_latched_;
  m.i_pv_trip_latched = i_trip_latched_;
  return m;
}

control::Measurements SolarChargerPlant::measure_true() const {
  control::Measurements m;
  m.v_pv_v = static_cast<float>(buck_state_.v_in_v);
  m.i_pv_a = static_cast<float>(i_pv_a_);
  m.v_bat_v = static_cast<float>(buck_state_.v_out_v);
  m.i_bat_a = static_cast<float>(i_bat_a_);
  m.t_fet_c = static_cast<float>(t_nodes_c_[kBuckFetNode]);
  m.t_coil_c = static_cast<float>(t_nodes_c_[kBuckCoilNode]);
  m.t_bat_c = static_cast<float>(t_ambient_c_);
  m.t_ambient_c = static_cast<float>(t_ambient_c_);
  return m;
}

namespace {

using SignalGetter = double (*)(const SolarChargerPlant&);

}  // namespace

// One table for the names and the values, so the two cannot disagree.
struct SolarChargerPlant::SignalEntry {
  const char* name;
  SignalGetter get;
};

const std::vector<SolarChargerPlant::SignalEntry>& SolarChargerPlant::signal_table() {
  static const std::vector<SignalEntry> table = {
      {"v_pv", [](const SolarChargerPlant& p) { return p.buck_state_.v_in_v; }},
      {"i_pv", [](const SolarChargerPlant& p) { return p.i_pv_a_; }},
      {"p_pv", [](const SolarChargerPlant& p) { return p.p_pv_w_; }},
      {"p_mpp", [](const SolarChargerPlant& p) { return p.p_mpp_w_; }},
      {"v_bat", [](const SolarChargerPlant& p) { return p.buck_state_.v_out_v; }},
      {"i_bat", [](const SolarChargerPlant& p) { return p.i_bat_a_; }},
      {"i_l", [](const SolarChargerPlant& p) { return p.i_l_avg_a_; }},
      {"duty",
       [](const SolarChargerPlant& p) { return p.control_.enabled ? p.control_.duty : 0.0; }},
      {"p_loss", [](const SolarChargerPlant& p) { return p.p_loss_w_; }},
      {"t_coil", [](const SolarChargerPlant& p) { return p.t_nodes_c_[kBuckCoilNode]; }},
      {"t_fet", [](const SolarChargerPlant& p) { return p.t_nodes_c_[kBuckFetNode]; }},
      {"t_ambient", [](const SolarChargerPlant& p) { return p.t_ambient_c_; }},
      {"irradiance", [](const SolarChargerPlant& p) { return p.g_w_m2_; }},
      {"soc_min", [](const SolarChargerPlant& p) { return p.battery_.min_soc(); }},
      {"soc_max", [](const SolarChargerPlant& p) { return p.battery_.max_soc(); }},
      {"bms_open", [](const SolarChargerPlant& p) { return p.bms_.open() ? 1.0 : 0.0; }},
      {"battery_connected",
       [](const SolarChargerPlant& p) { return p.battery_connected() ? 1.0 : 0.0; }},
      {"v_cell_max", [](const SolarChargerPlant& p) { return p.v_cell_max_v_; }},
      {"comparator_tripped",
       [](const SolarChargerPlant& p) { return p.trip_latched_ ? 1.0 : 0.0; }},
      {"low_side",
       [](const SolarChargerPlant& p) {
         return p.control_.enabled && p.control_.low_side_enabled ? 1.0 : 0.0;
       }},
  };
  return table;
}

std::vector<std::string> SolarChargerPlant::signal_list() {
  std::vector<std::string> names;
  for (const auto& e : signal_table()) {
    names.emplace_back(e.name);
  }
  return names;
}

double SolarChargerPlant::signal(std::string_view name) const {
  for (const auto& e : signal_table()) {
    if (name == e.name) {
      return e.get(*this);
    }
  }
  return std::nan("");
}

}  // namespace powerstack::sim
