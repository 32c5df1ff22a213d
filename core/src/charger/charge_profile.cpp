#include "powerstack/charger/charge_profile.hpp"

#include <cstring>

namespace powerstack::charger {

namespace {

constexpr float kHour = 3600.0f;
constexpr float kDay = 86400.0f;

// LibreSolar charge-controller-firmware, app/src/bat_charger.cpp (battery_conf_init, LFP):
// topping 3.55 V, recharge 3.35 V, cut-off C/10, 120 min topping, no float, no temperature
// compensation, no charging below 0 C (and 50 C max, the file's default). The 0.5 C bulk
// limit is an ASSUMPTION (the file allows 1 C; 0.5 C is the usual cell datasheet figure).
constexpr ChargeProfile kLifepo4{.name = "lifepo4",
                                 .v_absorb_cell_v = 3.55f,
                                 .v_restart_cell_v = 3.35f,
                                 .i_max_c = 0.5f,
                                 .i_tail_c = 0.1f,
                                 .absorb_max_s = 2.0f * kHour,
                                 .t_charge_min_c = 0.0f,
                                 .t_charge_max_c = 50.0f,
                                 .t_window_hysteresis_k = 3.0f};

// Same file, lead-acid after EN 62509:2011: topping 2.40 V, recharge 2.20 V, float 2.35 V
// (flooded) / 2.30 V (AGM), equalisation 2.50 V for 60 min at C/7 every 60 days (flooded
// only, after discoverbattery.com), cut-off 4 % C, -3 mV/K per cell, -10..50 C, back to bulk
// after 30 min below the recharge voltage. The 0.2 C bulk limit is a common lead-acid
// recommendation (ASSUMPTION, docs/charger.md).
constexpr ChargeProfile kLeadAcidFlooded{.name = "lead-acid-flooded",
                                         .v_absorb_cell_v = 2.40f,
                                         .v_float_cell_v = 2.35f,
                                         .v_equalise_cell_v = 2.50f,
                                         .v_restart_cell_v = 2.20f,
                                         .i_max_c = 0.2f,
                                         .i_tail_c = 0.04f,
                                         .i_equalise_c = 1.0f / 7.0f,
                                         .absorb_max_s = 2.0f * kHour,
                                         .equalise_s = 1.0f * kHour,
                                         .equalise_every_s = 60.0f * kDay,
                                         .float_to_bulk_s = 30.0f * 60.0f,
                                         .temp_comp_v_per_k_cell = -0.003f,
                                         .t_charge_min_c = -10.0f,
                                         .t_charge_max_c = 50.0f,
                                         .t_window_hysteresis_k = 3.0f};
constexpr ChargeProfile kLeadAcidAgm{.name = "lead-acid-agm",
                                     .v_absorb_cell_v = 2.40f,
                                     .v_float_cell_v = 2.30f,
                                     .v_restart_cell_v = 2.20f,
                                     .i_max_c = 0.2f,
                                     .i_tail_c = 0.04f,
                                     .absorb_max_s = 2.0f * kHour,
                                     .float_to_bulk_s = 30.0f * 60.0f,
                                     .temp_comp_v_per_k_cell = -0.003f,
                                     .t_charge_min_c = -10.0f,
                                     .t_charge_max_c = 50.0f,
                                     .t_window_hysteresis_k = 3.0f};

// Same file, NMC: topping 4.20 V, recharge 3.90 V, cut-off C/10, no float, 0..50 C.
constexpr ChargeProfile kLiIonNmc{.name = "li-ion-nmc",
                                  .v_absorb_cell_v = 4.20f,
                                  .v_restart_cell_v = 3.90f,
                                  .i_max_c = 0.5f,
                                  .i_tail_c = 0.1f,
                                  .absorb_max_s = 2.0f * kHour,
                                  .t_charge_min_c = 0.0f,
                                  .t_charge_max_c = 50.0f,
                                  .t_window_hysteresis_k = 3.0f};

constexpr const ChargeProfile* kProfiles[] = {&kLifepo4, &kLeadAcidFlooded, &kLeadAcidAgm,
                                              &kLiIonNmc};

}  // namespace

const ChargeProfile& lifepo4_profile() {
  return kLifepo4;
}
const ChargeProfile& lead_acid_flooded_profile() {
  return kLeadAcidFlooded;
}
const ChargeProfile& lead_acid_agm_profile() {
  return kLeadAcidAgm;
}
const ChargeProfile& li_ion_nmc_profile() {
  return kLiIonNmc;
}

const ChargeProfile* find_charge_profile(const char* name) {
  if (name == nullptr) {
    return nullptr;
  }
  for (const ChargeProfile* p : kProfiles) {
    if (std::strcmp(p->name, name) == 0) {
      return p;
    }
  }
  return nullptr;
}

const ChargeProfile* charge_profile_at(int index) {
  constexpr int kCount = static_cast<int>(sizeof(kProfiles) / sizeof(kProfiles[0]));
  return index >= 0 && index < kCount ? kProfiles[index] : nullptr;
}

}  // namespace powerstack::charger
