// ChargeProfile: how one battery chemistry is charged, as data (per cell, so one profile
// serves any series count). Voltages are cell voltages at 25 C before temperature
// compensation; currents are C-rates (A per Ah of nominal capacity). A voltage of 0 switches
// its phase off (no float for lithium, no equalisation except flooded lead-acid).
// Sources of every number: docs/charger.md ("Profiles").
#pragma once

namespace powerstack::charger {

struct ChargeProfile {
  const char* name = "";
  float v_absorb_cell_v = 0.0f;         // CV (absorption / topping) voltage
  float v_float_cell_v = 0.0f;          // float voltage, 0: no float (charger stops when full)
  float v_equalise_cell_v = 0.0f;       // equalisation voltage, 0: never equalise
  float v_restart_cell_v = 0.0f;        // below it a finished charge starts again (bulk)
  float i_max_c = 0.0f;                 // bulk current limit
  float i_tail_c = 0.0f;                // absorption ends when the current falls below it
  float i_equalise_c = 0.0f;            // current limit while equalising
  float absorb_max_s = 0.0f;            // absorption ends after this long in any case
  float equalise_s = 0.0f;              // duration of an equalisation
  float equalise_every_s = 0.0f;        // an equalisation follows absorption this often
  float float_to_bulk_s = 0.0f;         // below restart for this long in float: back to bulk
  float temp_comp_v_per_k_cell = 0.0f;  // charge voltages move by this per K above 25 C
  float t_charge_min_c = 0.0f;          // no charging outside [min, max] (battery temperature)
  float t_charge_max_c = 0.0f;
  float t_window_hysteresis_k = 0.0f;
};

// The built-in profiles.
const ChargeProfile& lifepo4_profile();
const ChargeProfile& lead_acid_flooded_profile();
const ChargeProfile& lead_acid_agm_profile();
const ChargeProfile& li_ion_nmc_profile();

// By name ("lifepo4", "lead-acid-flooded", "lead-acid-agm", "li-ion-nmc"); null if unknown.
const ChargeProfile* find_charge_profile(const char* name);
// The i-th built-in profile (0..), null past the end: for listing names in errors.
const ChargeProfile* charge_profile_at(int index);

}  // namespace powerstack::charger
