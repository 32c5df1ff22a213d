#include "powerstack/settings/charger_settings.hpp"

#include <cmath>

namespace powerstack::settings {

namespace {

// Per-cell limits of a chemistry. Lithium: LibreSolar's cell limits (LFP charge 3.55 V,
// over-voltage 3.80 V; NMC charge 4.20 V) with the usual charge window; lead-acid: 2 V cell of
// a 12 V block, absorption 13.8-15.0 V, float 13.2-13.8 V, equalisation 14.7-15.6 V,
// compensation -3 to -5 mV/K per cell typical.
struct ChemistryLimits {
  float absorb_min_v, absorb_max_v;
  float float_min_v, float_max_v;  // both 0: no float allowed
  float equalize_min_v, equalize_max_v;
  float recharge_min_v;
  float t_min_c, t_max_c;
  float comp_min_mv_per_k;
};

constexpr ChemistryLimits kLiFePO4Limits = {3.40f, 3.65f, 0.0f, 0.0f,  0.0f,
                                            0.0f,  3.00f, 0.0f, 55.0f, 0.0f};
constexpr ChemistryLimits kLiIonLimits = {4.00f, 4.20f, 0.0f, 0.0f,  0.0f,
                                          0.0f,  3.60f, 0.0f, 45.0f, 0.0f};
constexpr ChemistryLimits kLeadAcidLimits = {2.30f, 2.50f, 2.20f,  2.30f, 2.45f,
                                             2.60f, 1.95f, -20.0f, 50.0f, -6.0f};

// The converter's side (seed 000's FUGU-class buck): output and input limits.
constexpr float kMaxPackVoltage = 60.0f;
constexpr float kMaxChargeCurrent = 40.0f;
constexpr float kMaxPvCurrent = 40.0f;
constexpr float kMaxInputPower = 2000.0f;
constexpr std::uint8_t kMaxCells = 24;
constexpr float kRechargeGap = 0.05f;  // recharge at least this far below absorption

const ChemistryLimits* limits_for(Chemistry c) {
  switch (c) {
    case Chemistry::kLiFePO4:
      return &kLiFePO4Limits;
    case Chemistry::kLiIon:
      return &kLiIonLimits;
    case Chemistry::kLeadAcid:
      return &kLeadAcidLimits;
  }
  return nullptr;
}

class Checker {
 public:
  explicit Checker(ValidationReport& r) : r_(r) {}
  void add(ChargerField f, const char* problem, float value, float lo, float hi) {
    if (r_.count < ValidationReport::kMaxIssues) {
      r_.issues[r_.count++] = {f, problem, value, lo, hi};
    }
  }
  // In [lo, hi] (and finite); `problem` says why the range is what it is.
  void range(ChargerField f, float value, float lo, float hi, const char* problem) {
    if (!std::isfinite(value)) {
      add(f, "not a finite number", value, lo, hi);
    } else if (value < lo || value > hi) {
      add(f, problem, value, lo, hi);
    }
  }
  // 0 (stage off) or in [lo, hi].
  void off_or_range(ChargerField f, float value, float lo, float hi, const char* problem) {
    if (std::isfinite(value) && value == 0.0f) {
      return;
    }
    range(f, value, lo, hi, problem);
  }

 private:
  ValidationReport& r_;
};

}  // namespace

const char* chemistry_name(Chemistry c) {
  switch (c) {
    case Chemistry::kLiFePO4:
      return "LiFePO4";
    case Chemistry::kLiIon:
      return "Li-ion";
    case Chemistry::kLeadAcid:
      return "lead-acid";
  }
  return nullptr;
}

ChargerSettings default_charger_settings(Chemistry chemistry, std::uint8_t cells_in_series) {
  ChargerSettings s;
  s.chemistry = chemistry;
  s.cells_in_series = cells_in_series;
  switch (chemistry) {
    case Chemistry::kLiFePO4:
      s.v_absorb_cell_v = 3.55f;
      s.v_recharge_cell_v = 3.35f;
      break;
    case Chemistry::kLiIon:
      s.v_absorb_cell_v = 4.15f;
      s.v_recharge_cell_v = 4.00f;
      s.t_charge_max_c = 45.0f;
      break;
    case Chemistry::kLeadAcid:
      s.v_absorb_cell_v = 2.40f;
      s.v_float_cell_v = 2.25f;
      s.v_recharge_cell_v = 2.10f;
      s.t_charge_min_c = -20.0f;
      s.t_charge_max_c = 50.0f;
      s.v_temp_comp_mv_per_k_cell = -4.0f;
      break;
  }
  return s;
}

const char* field_name(ChargerField f) {
  switch (f) {
    case ChargerField::kChemistry:
      return "chemistry";
    case ChargerField::kCellsInSeries:
      return "cells_in_series";
    case ChargerField::kVAbsorb:
      return "v_absorb_cell_v";
    case ChargerField::kVFloat:
      return "v_float_cell_v";
    case ChargerField::kVEqualize:
      return "v_equalize_cell_v";
    case ChargerField::kVRecharge:
      return "v_recharge_cell_v";
    case ChargerField::kIChargeMax:
      return "i_charge_max_a";
    case ChargerField::kITail:
      return "i_tail_a";
    case ChargerField::kTAbsorbMax:
      return "t_absorb_max_s";
    case ChargerField::kIPvMax:
      return "i_pv_max_a";
    case ChargerField::kPInMax:
      return "p_in_max_w";
    case ChargerField::kTChargeMin:
      return "t_charge_min_c";
    case ChargerField::kTChargeMax:
      return "t_charge_max_c";
    case ChargerField::kVTempComp:
      return "v_temp_comp_mv_per_k_cell";
  }
  return "unknown";
}

const FieldIssue* ValidationReport::find(ChargerField f) const {
  for (std::size_t i = 0; i < count; ++i) {
    if (issues[i].field == f) {
      return &issues[i];
    }
  }
  return nullptr;
}

ValidationReport validate(const ChargerSettings& s) {
  ValidationReport report;
  Checker c(report);
  const ChemistryLimits* lim = limits_for(s.chemistry);
  if (lim == nullptr) {
    c.add(ChargerField::kChemistry, "unknown chemistry (1 LiFePO4, 2 Li-ion, 3 lead-acid)",
          static_cast<float>(s.chemistry), 1.0f, 3.0f);
    return report;  // every other range depends on the chemistry
  }
  const float cells = static_cast<float>(s.cells_in_series);
  if (s.cells_in_series < 1 || s.cells_in_series > kMaxCells) {
    c.add(ChargerField::kCellsInSeries, "cell count outside 1..24", cells, 1.0f,
          static_cast<float>(kMaxCells));
  }
  const float pack_cells = cells < 1.0f ? 1.0f : cells;
  // Absorption per cell within the chemistry's window and the pack within the converter's.
  float absorb_max = lim->absorb_max_v;
  const char* absorb_why = "outside the chemistry's charge-voltage window";
  if (absorb_max * pack_cells > kMaxPackVoltage) {
    absorb_max = kMaxPackVoltage / pack_cells;
    absorb_why = "outside the chemistry's window or above the 60 V pack limit";
  }
  c.range(ChargerField::kVAbsorb, s.v_absorb_cell_v, lim->absorb_min_v, absorb_max, absorb_why);
  if (lim->float_max_v == 0.0f) {
    c.range(ChargerField::kVFloat, s.v_float_cell_v, 0.0f, 0.0f,
            "must be 0: no float (trickle) charge for this chemistry");
  } else {
    const float hi = s.v_absorb_cell_v < lim->float_max_v ? s.v_absorb_cell_v : lim->float_max_v;
    c.off_or_range(ChargerField::kVFloat, s.v_float_cell_v, lim->float_min_v, hi,
                   "outside the float window (and not above absorption)");
  }
  if (lim->equalize_max_v == 0.0f) {
    c.range(ChargerField::kVEqualize, s.v_equalize_cell_v, 0.0f, 0.0f,
            "must be 0: equalisation is for lead-acid only");
  } else {
    const float lo =
        s.v_absorb_cell_v > lim->equalize_min_v ? s.v_absorb_cell_v : lim->equalize_min_v;
    c.off_or_range(ChargerField::kVEqualize, s.v_equalize_cell_v, lo, lim->equalize_max_v,
                   "outside the equalisation window (and not below absorption)");
  }
  c.range(ChargerField::kVRecharge, s.v_recharge_cell_v, lim->recharge_min_v,
          s.v_absorb_cell_v - kRechargeGap,
          "must lie below absorption by 50 mV and above the "
          "chemistry's floor");
  c.range(ChargerField::kIChargeMax, s.i_charge_max_a, 0.1f, kMaxChargeCurrent,
          "outside the converter's 0.1..40 A");
  c.range(ChargerField::kITail, s.i_tail_a, 0.01f, 0.5f * s.i_charge_max_a,
          "must be positive and at most half the charge current limit");
  c.range(ChargerField::kTAbsorbMax, static_cast<float>(s.t_absorb_max_s), 60.0f, 86400.0f,
          "outside 1 minute .. 24 hours");
  c.range(ChargerField::kIPvMax, s.i_pv_max_a, 0.1f, kMaxPvCurrent,
          "outside the converter's 0.1..40 A");
  c.range(ChargerField::kPInMax, s.p_in_max_w, 1.0f, kMaxInputPower,
          "outside the converter's 1..2000 W");
  c.range(ChargerField::kTChargeMin, s.t_charge_min_c, lim->t_min_c, lim->t_max_c,
          "outside the chemistry's charge temperature window");
  c.range(ChargerField::kTChargeMax, s.t_charge_max_c, s.t_charge_min_c + 1.0f, lim->t_max_c,
          "must be above t_charge_min_c and within the chemistry's window");
  if (lim->comp_min_mv_per_k == 0.0f) {
    c.range(ChargerField::kVTempComp, s.v_temp_comp_mv_per_k_cell, 0.0f, 0.0f,
            "must be 0: no temperature compensation for lithium");
  } else {
    c.range(ChargerField::kVTempComp, s.v_temp_comp_mv_per_k_cell, lim->comp_min_mv_per_k, 0.0f,
            "outside -6..0 mV/K per cell");
  }
  return report;
}

}  // namespace powerstack::settings
