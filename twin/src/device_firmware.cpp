#include "powerstack/twin/device_firmware.hpp"

#include <algorithm>
#include <string>

namespace powerstack::twin {

namespace {

using settings::ChargerSettings;
using settings::Chemistry;

Chemistry chemistry_of_profile(const std::string& name) {
  if (name.rfind("lead-acid", 0) == 0) {
    return Chemistry::kLeadAcid;
  }
  if (name.rfind("li-ion", 0) == 0) {
    return Chemistry::kLiIon;
  }
  return Chemistry::kLiFePO4;
}

// The scenario's profile when it is of the settings' chemistry, else that chemistry's.
const charger::ChargeProfile& base_profile(const sim::SolarChargerScenario& s, Chemistry c) {
  const charger::ChargeProfile* named = charger::find_charge_profile(s.controller.profile.c_str());
  if (named != nullptr && chemistry_of_profile(named->name) == c) {
    return *named;
  }
  switch (c) {
    case Chemistry::kLeadAcid:
      return charger::lead_acid_agm_profile();
    case Chemistry::kLiIon:
      return charger::li_ion_nmc_profile();
    case Chemistry::kLiFePO4:
      break;
  }
  return charger::lifepo4_profile();
}

float capacity_of(const sim::SolarChargerScenario& s) {
  return static_cast<float>(s.plant.battery.cell.capacity_ah);
}

}  // namespace

ChargerSettings scenario_settings(const sim::SolarChargerScenario& s) {
  const Chemistry chem = chemistry_of_profile(s.controller.profile);
  const auto cells =
      static_cast<std::uint8_t>(std::clamp<std::size_t>(s.plant.battery.n_cells, 1, 24));
  const ChargerSettings defaults = settings::default_charger_settings(chem, cells);
  ChargerSettings out = defaults;
  const auto try_set = [&](float ChargerSettings::*field, double value) {
    ChargerSettings trial = out;
    trial.*field = static_cast<float>(value);
    if (settings::validate(trial).ok()) {
      out = trial;
    }
  };
  if (s.controller.v_absorb_cell_v > 0.0) {
    try_set(&ChargerSettings::v_absorb_cell_v, s.controller.v_absorb_cell_v);
  }
  try_set(&ChargerSettings::i_charge_max_a, s.controller.i_out_max_a);
  try_set(&ChargerSettings::i_pv_max_a, s.controller.i_in_max_a);
  try_set(&ChargerSettings::p_in_max_w, s.controller.p_in_max_w);
  return settings::validate(out).ok() ? out : defaults;
}

charger::ChargeProfile profile_for(const ChargerSettings& s, const charger::ChargeProfile& base,
                                   float capacity_ah) {
  charger::ChargeProfile p = base;
  p.v_absorb_cell_v = s.v_absorb_cell_v;
  p.v_float_cell_v = s.v_float_cell_v;
  p.v_equalise_cell_v = s.v_equalize_cell_v;
  p.v_restart_cell_v = s.v_recharge_cell_v;
  const float c = capacity_ah > 0.0f ? capacity_ah : 1.0f;
  p.i_max_c = s.i_charge_max_a / c;
  p.i_tail_c = s.i_tail_a / c;
  p.absorb_max_s = static_cast<float>(s.t_absorb_max_s);
  p.t_charge_min_c = s.t_charge_min_c;
  p.t_charge_max_c = s.t_charge_max_c;
  p.temp_comp_v_per_k_cell = s.v_temp_comp_mv_per_k_cell / 1000.0f;
  return p;
}

bool needs_controller_restart(const ChargerSettings& from, const ChargerSettings& to) {
  return from.chemistry != to.chemistry || from.cells_in_series != to.cells_in_series ||
         from.i_pv_max_a != to.i_pv_max_a || from.p_in_max_w != to.p_in_max_w;
}

DeviceFirmware::DeviceFirmware(const sim::SolarChargerScenario& s, const ChargerSettings& settings)
    : scenario_(s), settings_(settings) {
  build();
}

void DeviceFirmware::build() {
  profile_ =
      profile_for(settings_, base_profile(scenario_, settings_.chemistry), capacity_of(scenario_));
  charger::ChargeControllerConfig cc;
  cc.profile = &profile_;
  cc.n_cells = settings_.cells_in_series;
  cc.capacity_ah = capacity_of(scenario_);
  cc.i_out_max_a = static_cast<float>(scenario_.controller.i_out_max_a);  // the board's cap
  cc.i_in_max_a = settings_.i_pv_max_a;
  cc.p_in_max_w = settings_.p_in_max_w;
  mppt::Tracker* tracker = bank_.find(scenario_.controller.algorithm.c_str());
  if (tracker == nullptr) {
    tracker = bank_.find("po-adaptive");
  }
  controller_ = std::make_unique<charger::ChargeController>(*tracker, cc);
}

void DeviceFirmware::apply(const ChargerSettings& next) {
  const bool restart = needs_controller_restart(settings_, next);
  settings_ = next;
  if (restart) {
    ++restarts_;
    build();
    return;
  }
  // In place: the controller holds a pointer to profile_ and reads it every tick.
  profile_ =
      profile_for(settings_, base_profile(scenario_, settings_.chemistry), capacity_of(scenario_));
}

}  // namespace powerstack::twin
