// CellModel: the NOMINAL description of a cell that the state-of-charge estimators work with
// (chemistry table, rated capacity, 1-RC Thevenin parameters at 25 C). A real cell differs
// from it (capacity spread and ageing, R0 spread, OCV offset): the estimators must cope.
//
// Sign convention (passive, as everywhere in powerstack): i_a > 0 charges the cell.
// Terminal voltage of the 1-RC model: v = OCV(soc, T) + i R0(T) + v_rc, dv_rc/dt =
// i / C1 - v_rc / (R1 C1).
#pragma once

#include "powerstack/battery/ocv_table.hpp"

namespace powerstack::battery {

struct CellModel {
  Chemistry chemistry = Chemistry::kLiIon;
  float capacity_ah = 1.0f;
  float r0_ohm = 0.1f;  // at 25 C
  float r1_ohm = 0.05f;
  float c1_f = 200.0f;
  float coulombic_efficiency = 0.997f;  // applied on charge only
  // R0(T) = R0(25 C) exp(B (1/T - 1/298.15 K)), B such that R0(0 C) = factor * R0(25 C)
  // (batteries.md: x2-3 at 0 C; the twin's models take 2.5).
  float r0_factor_at_0c = 2.5f;
};

// Seed-002-class Li-Po: 100 mOhm*Ah / capacity, R1 = R0 / 2, tau1 = 10 s (the twin's
// typical parameters, docs/battery-models.md).
CellModel typical_lipo(float capacity_ah);

// R0 at t_c (clamped to -40..85 C).
float r0_at_ohm(const CellModel& model, float t_c);

// Charge (Ah) into the cell over dt_s at i_a, with the coulombic efficiency on charge.
inline float stored_charge_ah(const CellModel& model, float i_a, float dt_s) {
  const float eff = i_a > 0.0f ? model.coulombic_efficiency : 1.0f;
  return eff * i_a * dt_s / 3600.0f;
}

// What every estimator reports: SOC (0..1) and its 1-sigma uncertainty (same unit).
struct SocEstimate {
  float soc = 0.0f;
  float sigma = 1.0f;
};

}  // namespace powerstack::battery
