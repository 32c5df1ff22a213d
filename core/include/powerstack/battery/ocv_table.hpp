// Open-circuit voltage tables per chemistry (per cell, at rest) as data, and the look-ups the
// state-of-charge estimators need: OCV(SOC, T), SOC(OCV, T) and the slope dOCV/dSOC.
//
// Tables (docs/power-manager.md names them): Li-ion/Li-Po (LiCoO2, NMC), the widely published
// hobby table in 10 % steps; LiFePO4, LibreSolar bms-firmware `ocv_lfp` in 5 % steps. Both as
// restated in ../shared/reference/batteries.md. Temperature: OCV(soc, T) = table(soc) +
// k_T (T - 25 C), SOC-independent (k_T is an ASSUMPTION, the same the twin's models use).
// Outside the table, values clamp to its ends. SOC is a fraction 0..1 everywhere.
#pragma once

#include <cstddef>

namespace powerstack::battery {

enum class Chemistry : unsigned char { kLiIon, kLiFePO4 };

struct OcvTable {
  const float* soc;    // ascending 0..1
  const float* ocv_v;  // strictly ascending, per cell
  std::size_t size;
  float temp_coeff_v_per_k;
  float t_ref_c;
  const char* source;
};

const OcvTable& ocv_table(Chemistry chemistry);

// OCV per cell at soc (clamped to [0, 1]) and temperature t_c.
float ocv_at_v(const OcvTable& table, float soc, float t_c);
// SOC whose OCV at t_c is v_v, clamped to [0, 1]. NaN in gives NaN.
float soc_at_ocv(const OcvTable& table, float v_v, float t_c);
// dOCV/dSOC (V per unit SOC) of the table segment holding soc (at a knot, the segment that
// starts there; at or past the ends, the end segment).
float ocv_slope_v(const OcvTable& table, float soc);

}  // namespace powerstack::battery
