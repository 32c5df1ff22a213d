// Battery chemistry profiles as data: open-circuit voltage tables (with their sources), OCV
// temperature coefficient, nominal cell voltage limits, coulombic efficiency and the R0
// temperature factor. Everything is per cell. Host only, double precision, SI units
// (voltages in V, temperatures in degrees Celsius, SOC as a fraction 0..1).
//
// Sign convention (used by every battery model): current is positive INTO the cell, i.e. a
// positive current charges it.
//
// Where a value has no source in docs/battery-models.md it is marked ASSUMPTION there and in
// the `*_source` string of the profile.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace powerstack::sim {

enum class Chemistry { kLiFePO4, kLiIon, kLeadAcid };

// Piecewise-linear curve through (x[k], y[k]), x strictly increasing.
// Outside [x.front(), x.back()] the value is clamped to y.front() / y.back(). A query exactly
// on a table point returns that point's y bit for bit. Empty spans give 0, a one-point table
// its single value; spans of different size use the shorter length.
double interpolate_clamped(std::span<const double> x, std::span<const double> y, double xq);

// True when every value is strictly greater than the one before (and there are >= 2).
bool is_strictly_increasing(std::span<const double> v);

// Inverse of interpolate_clamped: the x at which the curve reaches yq, clamped to
// [x.front(), x.back()]. Only defined when both x and y are strictly increasing; returns
// std::nullopt otherwise (a flat or non-monotone table has no unique inverse).
std::optional<double> inverse_interpolate_clamped(std::span<const double> x,
                                                  std::span<const double> y, double yq);

// Nominal per-cell voltage thresholds. v_float_v == 0 means "no float charge" (lithium).
struct CellVoltageLimits {
  double v_charge_v;        // end-of-charge (CV) voltage
  double v_float_v;         // float voltage, 0 = none
  double v_ov_v;            // over-voltage protection trip
  double v_ov_reset_v;      // over-voltage protection release
  double v_discharge_v;     // discharge cut-off (end of useful discharge)
  double v_uv_v;            // under-voltage protection trip
  double v_uv_reset_v;      // under-voltage protection release
  std::string_view source;  // where the numbers come from
};

struct ChemistryProfile {
  Chemistry chemistry;
  std::string_view name;
  double v_nominal_v;  // nominal cell voltage (for sizing, not used by the models)

  // OCV at rest at the reference temperature: soc[] ascending 0..1, ocv_v[] per cell.
  std::span<const double> ocv_soc;
  std::span<const double> ocv_v;
  std::string_view ocv_source;

  // OCV(soc, T) = table(soc) + ocv_temp_coeff_v_per_k * (T - t_ref_c), SOC-independent.
  double ocv_temp_coeff_v_per_k;
  std::string_view ocv_temp_coeff_source;
  double t_ref_c;

  CellVoltageLimits limits;

  // Fraction of the charge pushed in that is stored (applied on charge only).
  double coulombic_efficiency;
  std::string_view coulombic_efficiency_source;

  // R0(T) = R0(t_ref) * exp(r0_arrhenius_b_k * (1/T_K - 1/T_ref_K)), Arrhenius-like; the
  // constant is chosen so that R0(0 C) = r0_factor_at_0c * R0(25 C).
  double r0_factor_at_0c;
  std::string_view r0_temperature_source;

  // Slope of the OCV beyond the ends of the table, in volts per unit SOC: the cell models
  // use it for charge pushed past full (or drawn past empty) so that an over-charged cell
  // climbs to the OV threshold instead of sitting at the table's last value.
  double ocv_overcharge_slope_v;
  double ocv_overdischarge_slope_v;
  std::string_view overrange_source;
};

// The built-in profiles (static storage; the reference stays valid for the program's life).
const ChemistryProfile& chemistry_profile(Chemistry chemistry);

// OCV per cell at soc (clamped to [0, 1]) and temperature t_c.
double ocv_v(const ChemistryProfile& profile, double soc, double t_c);

// SOC (0..1, clamped) whose OCV at t_c is v; nullopt if the table is not strictly monotone.
std::optional<double> soc_from_ocv(const ChemistryProfile& profile, double v, double t_c);

// The Arrhenius constant B (K) derived from r0_factor_at_0c and t_ref_c.
double r0_arrhenius_b_k(const ChemistryProfile& profile);

// R0(t_c) / R0(t_ref_c): 1 at the reference temperature, r0_factor_at_0c at 0 C.
double r0_temperature_factor(const ChemistryProfile& profile, double t_c);

}  // namespace powerstack::sim
