// ChargerSettings: what an owner sets on the charge controller (chemistry, cell count, charge
// voltages per cell, current and power limits, the charge temperature window), as stored by
// the settings store under schema version kSchemaVersion, and its range checks.
//
// Voltages are per cell (the pack value is cells_in_series times that); currents are at the
// battery terminals (i_charge_max_a, i_tail_a) or the PV input (i_pv_max_a). A voltage of 0
// switches that stage off: lithium chemistries have no float and no equalisation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace powerstack::settings {

enum class Chemistry : std::uint8_t { kLiFePO4 = 1, kLiIon = 2, kLeadAcid = 3 };

// Short name ("LiFePO4", "Li-ion", "lead-acid"), or nullptr for a value outside the enum.
const char* chemistry_name(Chemistry c);

struct ChargerSettings {
  static constexpr std::uint16_t kSchemaVersion = 2;

  Chemistry chemistry = Chemistry::kLiFePO4;
  std::uint8_t cells_in_series = 8;
  float v_absorb_cell_v = 3.55f;        // constant-voltage set point
  float v_float_cell_v = 0.0f;          // 0: no float stage
  float v_equalize_cell_v = 0.0f;       // 0: no equalisation (lead-acid only)
  float v_recharge_cell_v = 3.35f;      // a new cycle starts below this
  float i_charge_max_a = 20.0f;         // battery current limit
  float i_tail_a = 1.0f;                // absorption ends when the current falls below this
  std::uint32_t t_absorb_max_s = 7200;  // ... or after this long
  float i_pv_max_a = 20.0f;             // PV input current limit
  float p_in_max_w = 800.0f;            // PV input power limit
  float t_charge_min_c = 0.0f;          // charging inhibited outside [min, max]
  float t_charge_max_c = 45.0f;
  float v_temp_comp_mv_per_k_cell = 0.0f;  // <= 0; lead-acid only
};

// Reasonable settings for a chemistry and cell count (LibreSolar's cell limits for LFP and
// NMC; typical flooded/AGM values for lead-acid, docs/settings-store.md).
ChargerSettings default_charger_settings(Chemistry chemistry, std::uint8_t cells_in_series);

enum class ChargerField : std::uint8_t {
  kChemistry,
  kCellsInSeries,
  kVAbsorb,
  kVFloat,
  kVEqualize,
  kVRecharge,
  kIChargeMax,
  kITail,
  kTAbsorbMax,
  kIPvMax,
  kPInMax,
  kTChargeMin,
  kTChargeMax,
  kVTempComp,
};

// The struct member's name, e.g. "v_absorb_cell_v".
const char* field_name(ChargerField f);

// One field outside its allowed range [min, max] (for the given chemistry), with why.
struct FieldIssue {
  ChargerField field = ChargerField::kChemistry;
  const char* problem = "";
  float value = 0.0f;
  float min = 0.0f;
  float max = 0.0f;
};

struct ValidationReport {
  static constexpr std::size_t kMaxIssues = 16;
  std::size_t count = 0;
  FieldIssue issues[kMaxIssues];
  [[nodiscard]] bool ok() const { return count == 0; }
  // The issue of a field, or nullptr.
  [[nodiscard]] const FieldIssue* find(ChargerField f) const;
};

// Every field is checked (not only the first bad one); non-finite numbers are always issues.
ValidationReport validate(const ChargerSettings& s);

}  // namespace powerstack::settings
