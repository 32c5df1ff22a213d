// The EN 50530 simplified PV generator curve (used by the standard's MPPT efficiency test):
// a PV generator defined only by its MPP at STC and a technology, so every tracker is
// tested on the same curve.
//
// Sign convention (generator, as pv_single_diode.hpp): I is the current delivered, positive
// when generating; V the terminal voltage.
//
// Equations (G in W/m2, T the module temperature in C):
//   V_OC,STC = V_MPP,STC / FF_U,   I_SC,STC = I_MPP,STC / FF_I
//   I_SC(G, T) = I_SC,STC * G/1000 * (1 + alpha (T - 25))
//   V_OC(G, T) = V_OC,STC * (1 + beta (T - 25)) * (C_V ln(G/C_G + 1) - C_R G)
//   I(V) = I_SC * (1 - C_AQ1 (exp(V / (C_AQ2 V_OC)) - 1))
//   C_AQ2 = (FF_U - 1) / ln(1 - FF_I),   C_AQ1 = (1 - FF_I) exp(-FF_U / C_AQ2)
//   (equivalently C_AQ1 = (1 - FF_I)^(1/(1 - FF_U)))
// with the constants of en50530_constants(). V(I) is the closed-form inverse
//   V = C_AQ2 V_OC ln(1 + (1 - I/I_SC) / C_AQ1).
// The MPP is found numerically (Brent root of dP/dV on [0, V_OC]); it is close to, not
// exactly at, the nominal (V_MPP, I_MPP): the curve meets the nominal point only up to the
// "-1" terms and the irradiance bracket (0.99915 for c-Si, 0.99661 for thin film at
// 1000 W/m2), see docs/pv-models.md for the measured offsets.
//
// Sources. Primary: /work/shared/reference/pv-models.md, which cites Bruendlinger et al.,
// "prEN 50530 - the new European standard for performance characterisation of PV
// inverters", 24th EU PVSEC 2009, and PV-simulator manuals. Second, independent public
// description: the SunSpec/Sandia SVP library (github.com/sunspec/svp_energy_lab,
// Lib/svpelab/pv_curve_generation.py), which has the same constants (FF_U, FF_I, C_G, C_V,
// C_R, alpha, beta for c-Si and thin film), the same V_OC(G, T) and I_SC(G, T), the same
// C_AQ2 and C_AQ1 = (1 - FF_I)^(1/(1 - FF_U)) (identical to the form above). One
// difference: SVP scales the C_AQ1 term with G only (I_SC,STC C_AQ1 G/1000), not with the
// temperature factor (1 + alpha (T - 25)); we follow the reference (I_SC(G, T) multiplies the
// whole bracket). At 25 C the two agree exactly; elsewhere they differ by the factor
// (1 + alpha dT) on a term that is 1e-5 (c-Si) to 3e-3 (thin film) of I_SC at V = 0.
// Not confirmed (the standard itself was not available): the exact wording of the
// equations in EN 50530:2010 Annex B, and whether the standard clips I(V) at 0 beyond V_OC
// (SVP does; we do not: I < 0 beyond V_OC, as a real generator).
//
// Domain: G in [0, ~1500] W/m2 (the V_OC bracket is clamped at 0; it would turn negative
// near 12000 W/m2 for c-Si), any T with 1 + beta (T - 25) > 0. G <= 0 gives a dark
// generator: I = 0, V_OC = 0. For I at or above the asymptote I_SC (1 + C_AQ1) (deep
// reverse bias, which the model does not describe) V(I) returns the finite floor
// C_AQ2 V_OC ln(1e-15) (about -3 V_OC for c-Si).
#pragma once

#include "sim/models/pv_single_diode.hpp"

namespace powerstack::sim {

enum class En50530Technology { kCrystallineSi, kThinFilm };

struct En50530Constants {
  double ff_u = 0.0;          // V_MPP / V_OC
  double ff_i = 0.0;          // I_MPP / I_SC
  double alpha_per_k = 0.0;   // I_SC temperature coefficient
  double beta_per_k = 0.0;    // V_OC temperature coefficient
  double c_g_w_per_m2 = 0.0;  // C_G
  double c_v = 0.0;           // C_V
  double c_r_m2_per_w = 0.0;  // C_R
};

En50530Constants en50530_constants(En50530Technology tech);

class En50530Curve {
 public:
  // A generator with the given MPP at STC; starts at STC (1000 W/m2, 25 C).
  En50530Curve(En50530Technology tech, double vmp_stc_v, double imp_stc_a);
  static En50530Curve from_power(En50530Technology tech, double pmp_stc_w, double vmp_stc_v) {
    return {tech, vmp_stc_v, vmp_stc_v > 0.0 ? pmp_stc_w / vmp_stc_v : 0.0};
  }

  // Positive, finite MPP values.
  [[nodiscard]] bool valid() const { return valid_; }
  void set_conditions(double g_w_m2, double t_c);
  [[nodiscard]] double irradiance_w_m2() const { return g_w_m2_; }
  [[nodiscard]] double temperature_c() const { return t_c_; }

  [[nodiscard]] const En50530Constants& constants() const { return k_; }
  [[nodiscard]] double c_aq1() const { return c_aq1_; }
  [[nodiscard]] double c_aq2() const { return c_aq2_; }
  [[nodiscard]] double vmp_stc_v() const { return vmp_stc_v_; }
  [[nodiscard]] double imp_stc_a() const { return imp_stc_a_; }
  [[nodiscard]] double voc_stc_v() const { return vmp_stc_v_ / k_.ff_u; }
  [[nodiscard]] double isc_stc_a() const { return imp_stc_a_ / k_.ff_i; }

  // At the present conditions.
  [[nodiscard]] double isc_a() const { return isc_a_; }
  [[nodiscard]] double voc_v() const { return voc_v_; }
  [[nodiscard]] double current_a(double v_v) const;
  // dI/dV at v_v (<= 0), for a plant that linearises the generator at its terminal voltage.
  [[nodiscard]] double current_slope_a_per_v(double v_v) const;
  [[nodiscard]] double voltage_v(double i_a) const;
  [[nodiscard]] PvMpp mpp() const;

 private:
  En50530Constants k_;
  double vmp_stc_v_ = 0.0;
  double imp_stc_a_ = 0.0;
  double c_aq1_ = 0.0;
  double c_aq2_ = 0.0;
  bool valid_ = false;
  double g_w_m2_ = kStcIrradianceWPerM2;
  double t_c_ = kStcTemperatureC;
  double isc_a_ = 0.0;
  double voc_v_ = 0.0;
};

}  // namespace powerstack::sim
