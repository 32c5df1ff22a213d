// Equivalent-circuit battery cell: OCV(SOC, T) in series with R0(T) and two RC pairs
// (R1 || C1, R2 || C2), a capacity in Ah and a coulombic efficiency applied on charge.
//
// Sign convention: current i_a is positive INTO the cell (charging), negative out of it
// (discharging). Terminal voltage v = OCV(soc, T) + i * R0(T) + v_rc1 + v_rc2, where each RC
// voltage obeys dv/dt = i/C - v/(R C) and is positive while charging.
//
// State: soc (0..1), v_rc1, v_rc2; temperature is an input of every call. step() is exact
// for a current held constant over dt (exponential solution of the RC pairs, linear coulomb
// count), so any step size is stable. SOC is kept in [0, 1]: charge pushed past full (or
// drawn past empty) is kept as an over-range and flagged (over_charge / over_discharge); the
// OCV then follows the chemistry's steep linear extension, so an over-charged cell climbs to
// the OV trip. See docs/battery-models.md.
#pragma once

#include "sim/models/battery_chemistry.hpp"

namespace powerstack::sim {

struct CellParams {
  double capacity_ah = 1.0;
  double r0_ohm = 0.0;  // series resistance at the chemistry's reference temperature
  double r1_ohm = 0.0;  // RC pair 1 (fast); r = 0 disables the pair, c = 0 makes it a resistor
  double c1_f = 0.0;
  double r2_ohm = 0.0;  // RC pair 2 (slow)
  double c2_f = 0.0;
  double coulombic_efficiency = 1.0;  // stored charge / charge in, applied on charge only
};

// Typical parameters of a cell of this chemistry and capacity (ASSUMPTIONS, see the doc):
// R0 = k / capacity_ah with k = 35 (LiFePO4), 100 (Li-ion), 80 (lead-acid) mOhm*Ah;
// R1 = R2 = R0 / 2 with time constants 10 s and 400 s; the chemistry's efficiency.
CellParams typical_cell_params(const ChemistryProfile& profile, double capacity_ah);

struct CellFlags {
  bool over_charge = false;     // charge was pushed past SOC 1
  bool over_discharge = false;  // charge was drawn past SOC 0
};

class BatteryCell {
 public:
  // initial_soc is clamped to [0, 1]; RC voltages start at 0 (cell at rest).
  BatteryCell(const ChemistryProfile& profile, const CellParams& params, double initial_soc);

  // Advances by dt_s with current i_a (constant over the step) at temperature t_c. Returns the
  // flags raised by this step; they are also OR-ed into flags(). dt_s <= 0 does nothing.
  CellFlags step(double i_a, double dt_s, double t_c);

  // Terminal voltage while current i_a flows, with the present RC state.
  [[nodiscard]] double terminal_voltage_v(double i_a, double t_c) const;

  // Open-circuit voltage at the present SOC, including the over-range extension.
  [[nodiscard]] double ocv_v(double t_c) const;
  [[nodiscard]] double r0_ohm(double t_c) const;

  [[nodiscard]] double soc() const { return soc_; }
  // Charge beyond the ends of the table in units of capacity: > 0 past full, < 0 past empty.
  [[nodiscard]] double overrange_soc() const { return overrange_soc_; }
  [[nodiscard]] double v_rc1_v() const { return v_rc1_v_; }
  [[nodiscard]] double v_rc2_v() const { return v_rc2_v_; }

  // Sticky flags since construction or the last clear_flags().
  [[nodiscard]] CellFlags flags() const { return flags_; }
  void clear_flags() { flags_ = CellFlags{}; }

  // Puts the cell at rest at soc (clamped to [0, 1]): RC voltages and over-range zeroed.
  void reset(double soc);

  [[nodiscard]] const CellParams& params() const { return params_; }
  [[nodiscard]] const ChemistryProfile& profile() const { return *profile_; }

 private:
  const ChemistryProfile* profile_;
  CellParams params_;
  double soc_ = 0.0;
  double overrange_soc_ = 0.0;
  double v_rc1_v_ = 0.0;
  double v_rc2_v_ = 0.0;
  CellFlags flags_;
};

// Exact RC-pair update for constant current i over dt: v e^(-dt/RC) + i R (1 - e^(-dt/RC)).
// r_ohm <= 0 gives 0 (no pair); c_f <= 0 gives i R (pure resistor).
double rc_pair_step_v(double v_v, double i_a, double r_ohm, double c_f, double dt_s);

}  // namespace powerstack::sim
