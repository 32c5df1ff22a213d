#include "sim/models/battery_chemistry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include "sim/models/units.hpp"

namespace powerstack::sim {

namespace {

// The sources list OCV from 100 % down to 0 %; the tables below keep that order (easy to
// compare with the source) and are flipped to ascending SOC at compile time.
template <std::size_t N>
constexpr std::array<double, N> ascending(const std::array<double, N>& descending,
                                          double divisor = 1.0) {
  std::array<double, N> out{};
  for (std::size_t k = 0; k < N; ++k) {
    out[k] = descending[N - 1 - k] / divisor;
  }
  return out;
}

constexpr std::array<double, 21> kSoc5Pct = {
    0.00, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50,
    0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00,
};
constexpr std::array<double, 11> kSoc10Pct = {
    0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
};

// LibreSolar bms-firmware, app/src/bms_common.c, table ocv_lfp (100 % .. 0 %, 5 % steps).
constexpr std::array<double, 21> kLfpOcvFrom100 = {
    3.392, 3.314, 3.309, 3.308, 3.304, 3.296, 3.283, 3.275, 3.271, 3.268, 3.265,
    3.264, 3.262, 3.252, 3.240, 3.226, 3.213, 3.190, 3.177, 3.132, 2.833,
};
constexpr std::array<double, 21> kLfpOcv = ascending(kLfpOcvFrom100);

// Widely published hobby table for LiCoO2/NMC Li-ion/Li-Po cells (100 % .. 0 %, 10 % steps).
constexpr std::array<double, 11> kLiIonOcvFrom100 = {
    4.20, 4.06, 3.98, 3.92, 3.87, 3.82, 3.79, 3.77, 3.74, 3.68, 3.30,
};
constexpr std::array<double, 11> kLiIonOcv = ascending(kLiIonOcvFrom100);

// Lead-acid 12 V block at rest, 25 C (100 % .. 0 %); per 2 V cell = block / 6.
constexpr std::array<double, 11> kLeadAcidBlockOcvFrom100 = {
    12.70, 12.50, 12.42, 12.32, 12.20, 12.06, 11.90, 11.75, 11.58, 11.31, 10.50,
};
constexpr double kLeadAcidCellsPerBlock = 6.0;
constexpr std::array<double, 11> kLeadAcidOcv =
    ascending(kLeadAcidBlockOcvFrom100, kLeadAcidCellsPerBlock);

// ASSUMPTION: the OCV extension beyond the table reaches the OV (UV) trip after 2 % of the
// capacity has been pushed past full (drawn past empty).
constexpr double kOverrangeToLimitSoc = 0.02;

constexpr double overcharge_slope(double v_ov, double ocv_full) {
  return (v_ov - ocv_full) / kOverrangeToLimitSoc;
}
constexpr double overdischarge_slope(double v_uv, double ocv_empty) {
  return (ocv_empty - v_uv) / kOverrangeToLimitSoc;
}

constexpr std::string_view kOverrangeSource =
    "ASSUMPTION: linear extension reaching the OV/UV trip at 2 % over-range";
constexpr std::string_view kR0TempSource =
    "batteries.md: R0 roughly x2-3 at 0 C; 2.5 taken (Arrhenius-like form is an ASSUMPTION)";

constexpr CellVoltageLimits kLfpLimits{
    3.55, 0.0,
    3.80, 3.40,
    2.80, 2.50,
    3.10, "LibreSolar bms-firmware app/src/bms_common.c (CELL_TYPE_LFP), via batteries.md"};
constexpr CellVoltageLimits kLiIonLimits{
    4.20,
    0.0,
    4.25,
    4.05,
    3.20,
    3.00,
    3.50,
    "LibreSolar bms-firmware app/src/bms_common.c (CELL_TYPE_NMC): charge, OV, discharge, UV "
    "via batteries.md; resets 4.05/3.50 from the same file"};
// ASSUMPTION for the protection thresholds (no source gives them for lead-acid).
constexpr CellVoltageLimits kLeadAcidLimits{
    14.40 / kLeadAcidCellsPerBlock,
    13.65 / kLeadAcidCellsPerBlock,
    15.60 / kLeadAcidCellsPerBlock,
    13.80 / kLeadAcidCellsPerBlock,
    10.50 / kLeadAcidCellsPerBlock,
    10.20 / kLeadAcidCellsPerBlock,
    12.00 / kLeadAcidCellsPerBlock,
    "batteries.md: absorption 14.4 V, float 13.65 V (mid of 13.5-13.8), cut-off 10.5 V per "
    "12 V block; ASSUMPTION: OV 15.6 V (above equalisation), OV reset 13.8 V, UV 10.2 V, "
    "UV reset 12.0 V"};

constexpr ChemistryProfile kLfpProfile{
    Chemistry::kLiFePO4,
    "LiFePO4",
    3.2,
    kSoc5Pct,
    kLfpOcv,
    "LibreSolar bms-firmware app/src/bms_common.c, table ocv_lfp (5 % steps), via batteries.md",
    -0.05e-3,
    "ASSUMPTION: -0.05 mV/K, SOC-independent (no source at hand)",
    25.0,
    kLfpLimits,
    0.997,
    "batteries.md: Li-ion/LiFePO4 99.5-99.9 %; 99.7 % taken",
    2.5,
    kR0TempSource,
    overcharge_slope(kLfpLimits.v_ov_v, kLfpOcv.back()),
    overdischarge_slope(kLfpLimits.v_uv_v, kLfpOcv.front()),
    kOverrangeSource,
};

constexpr ChemistryProfile kLiIonProfile{
    Chemistry::kLiIon,
    "Li-ion/Li-Po (LiCoO2, NMC)",
    3.7,
    kSoc10Pct,
    kLiIonOcv,
    "widely published hobby table for LiCoO2/NMC cells (10 % steps), via batteries.md; real "
    "cells differ by tens of mV",
    -0.1e-3,
    "ASSUMPTION: -0.1 mV/K, SOC-independent (no source at hand)",
    25.0,
    kLiIonLimits,
    0.997,
    "batteries.md: Li-ion/LiFePO4 99.5-99.9 %; 99.7 % taken",
    2.5,
    kR0TempSource,
    overcharge_slope(kLiIonLimits.v_ov_v, kLiIonOcv.back()),
    overdischarge_slope(kLiIonLimits.v_uv_v, kLiIonOcv.front()),
    kOverrangeSource,
};

constexpr ChemistryProfile kLeadAcidProfile{
    Chemistry::kLeadAcid,
    "lead-acid (flooded/AGM, per 2 V cell)",
    2.0,
    kSoc10Pct,
    kLeadAcidOcv,
    "12 V block at rest, 25 C, flooded/AGM typical, via batteries.md; divided by 6 per cell",
    0.2e-3,
    "ASSUMPTION: +0.2 mV/K per cell at rest (not the -3..-5 mV/K charge-voltage "
    "compensation of batteries.md)",
    25.0,
    kLeadAcidLimits,
    0.90,
    "batteries.md: lead-acid 85-95 %; 90 % taken",
    2.5,
    "ASSUMPTION: same x2.5 at 0 C as lithium (batteries.md gives it for lithium cells)",
    overcharge_slope(kLeadAcidLimits.v_ov_v, kLeadAcidOcv.back()),
    overdischarge_slope(kLeadAcidLimits.v_uv_v, kLeadAcidOcv.front()),
    kOverrangeSource,
};

// Validity range of the R0 temperature factor; outside it the factor is held constant.
constexpr double kR0FactorMinC = -40.0;
constexpr double kR0FactorMaxC = 85.0;

}  // namespace

double interpolate_clamped(std::span<const double> x, std::span<const double> y, double xq) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n == 0) {
    return 0.0;
  }
  if (std::isnan(xq)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (n == 1 || xq <= x[0]) {
    return y[0];
  }
  if (xq >= x[n - 1]) {
    return y[n - 1];
  }
  // First point strictly above xq; the segment starts one before it, so a query exactly on a
  // point always uses that point as the left end and returns its y unchanged.
  const auto upper = std::upper_bound(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), xq);
  const auto j = static_cast<std::size_t>(upper - x.begin()) - 1U;
  const double frac = (xq - x[j]) / (x[j + 1] - x[j]);
  return y[j] + frac * (y[j + 1] - y[j]);
}

bool is_strictly_increasing(std::span<const double> v) {
  if (v.size() < 2) {
    return false;
  }
  for (std::size_t k = 1; k < v.size(); ++k) {
    if (!(v[k] > v[k - 1])) {
      return false;
    }
  }
  return true;
}

std::optional<double> inverse_interpolate_clamped(std::span<const double> x,
                                                  std::span<const double> y, double yq) {
  if (x.size() != y.size() || !is_strictly_increasing(x) || !is_strictly_increasing(y)) {
    return std::nullopt;
  }
  return interpolate_clamped(y, x, yq);
}

const ChemistryProfile& chemistry_profile(Chemistry chemistry) {
  switch (chemistry) {
    case Chemistry::kLiFePO4:
      return kLfpProfile;
    case Chemistry::kLiIon:
      return kLiIonProfile;
    case Chemistry::kLeadAcid:
      return kLeadAcidProfile;
  }
  return kLfpProfile;
}

double ocv_v(const ChemistryProfile& profile, double soc, double t_c) {
  return interpolate_clamped(profile.ocv_soc, profile.ocv_v, soc) +
         profile.ocv_temp_coeff_v_per_k * (t_c - profile.t_ref_c);
}

std::optional<double> soc_from_ocv(const ChemistryProfile& profile, double v, double t_c) {
  return inverse_interpolate_clamped(profile.ocv_soc, profile.ocv_v,
                                     v - profile.ocv_temp_coeff_v_per_k * (t_c - profile.t_ref_c));
}

double r0_arrhenius_b_k(const ChemistryProfile& profile) {
  const double inv_t0 = 1.0 / kZeroCelsiusK;
  const double inv_tref = 1.0 / (profile.t_ref_c + kZeroCelsiusK);
  return std::log(profile.r0_factor_at_0c) / (inv_t0 - inv_tref);
}

double r0_temperature_factor(const ChemistryProfile& profile, double t_c) {
  const double t_k = std::clamp(t_c, kR0FactorMinC, kR0FactorMaxC) + kZeroCelsiusK;
  const double t_ref_k = profile.t_ref_c + kZeroCelsiusK;
  return std::exp(r0_arrhenius_b_k(profile) * (1.0 / t_k - 1.0 / t_ref_k));
}

}  // namespace powerstack::sim
