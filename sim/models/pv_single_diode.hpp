// Five-parameter single-diode PV model (pvlib's names) and its fit to a datasheet.
//
// Sign convention (generator, not passive): I is the current the panel delivers at its
// positive terminal, positive when generating; V is the terminal voltage. So
//   I = IL - I0 * (exp((V + I*Rs) / nNsVth) - 1) - (V + I*Rs) / Rsh
// with I > 0 between V = 0 and V = Voc, I < 0 beyond Voc (current forced into the panel),
// and I > Isc in reverse bias (V < 0).
//
// Solution method. Both I(V) and V(I) use the explicit Lambert-W solution of the implicit
// equation (Jain & Kapoor 2004, as in pvlib's `lambertw` method). W0 is computed here with
// Halley's iteration; for large arguments the model passes log(x) and W is found from
// w + ln(w) = log(x), so exp() never overflows. Where W is large the final formula is
// rearranged to the diode-voltage form Vd = nNsVth*(ln W - ln c) so that two huge terms are
// never subtracted. One Newton step on the implicit equation then polishes the result and
// is kept only if it lowers the residual. Valid parameters (finite, IL >= 0, I0 > 0,
// Rs >= 0, 0 < Rsh < inf, nNsVth > 0) give finite values for every finite V with Rs > 0,
// and for |V| up to ~700 nNsVth with Rs = 0. Invalid parameters give NaN.
//
// Maximum power point: P(V) = V*I(V) is unimodal on [0, Voc] and dP/dV = I + V dI/dV is
// strictly decreasing there, so V_mp is the root of dP/dV found with Brent's bracketed
// method (bisection-safeguarded secant/inverse quadratic). This is Brent's optimiser in its
// stationary-point form: it gives V_mp to ~1e-13 relative, where golden section on P
// stops at ~sqrt(machine epsilon).
#pragma once

#include <cmath>
#include <limits>
#include <vector>

namespace powerstack::sim {

// W0(x), the principal branch of Lambert's W (w * exp(w) = x), for x >= -1/e; NaN below.
double lambert_w0(double x);
// W0(exp(log_x)) without forming exp(log_x): valid for every finite log_x.
double lambert_w0_of_exp(double log_x);

struct SingleDiodeParams {
  double il_a = 0.0;      // photocurrent IL
  double i0_a = 0.0;      // diode saturation current I0
  double rs_ohm = 0.0;    // series resistance Rs
  double rsh_ohm = 0.0;   // shunt resistance Rsh (finite)
  double nnsvth_v = 0.0;  // n * Ns * kT/q (modified ideality factor)
};

struct PvPoint {
  double v_v = 0.0;
  double i_a = 0.0;
};

struct PvMpp {
  double v_v = 0.0;
  double i_a = 0.0;
  double p_w = 0.0;
};

struct PvSummary {
  double isc_a = 0.0;
  double voc_v = 0.0;
  double imp_a = 0.0;
  double vmp_v = 0.0;
  double pmp_w = 0.0;
};

bool is_valid(const SingleDiodeParams& p);

// Terminal current at terminal voltage v_v (any sign).
double pv_current_a(const SingleDiodeParams& p, double v_v);
// Terminal voltage at terminal current i_a (any sign).
double pv_voltage_v(const SingleDiodeParams& p, double i_a);
double pv_isc_a(const SingleDiodeParams& p);
double pv_voc_v(const SingleDiodeParams& p);
// dI/dV at v_v (negative); the second form takes the current there when it is known.
double pv_slope_a_per_v(const SingleDiodeParams& p, double v_v);
double pv_slope_a_per_v(const SingleDiodeParams& p, double v_v, double i_a);
PvMpp pv_mpp(const SingleDiodeParams& p);
PvSummary pv_summary(const SingleDiodeParams& p);
// n_points >= 2 points evenly spaced in V from 0 to Voc (the last one is (Voc, ~0)).
std::vector<PvPoint> pv_curve(const SingleDiodeParams& p, int n_points);

// ---- Datasheet values, the fit, and operating conditions (De Soto et al. 2006) ----------
//
// Fit method. For a given diode ideality n (so nNsVth = n * Ns * kT/q at 25 C) the four
// STC conditions
//   I(0) = Isc,  I(Voc) = 0,  I(Vmp) = Imp,  dP/dV(Vmp) = 0
// are reduced analytically: the first two give I0 and IL as linear functions of the shunt
// conductance Gsh = 1/Rsh; the third is then linear in Gsh, so Gsh(Rs) is explicit; the
// fourth is one scalar equation r(Rs) = 0, increasing in Rs, solved with Brent's bracketed
// method on [0, min((Voc - Vmp)/Imp, Voc/Isc)). The curve therefore passes exactly (to
// machine precision) through the three points with a flat P at the MPP. Instead of fixing
// n by hand, n is the fifth unknown, set so that the model's dVoc/dT at STC (after De
// Soto's temperature scaling below) equals the datasheet beta: an outer Brent root on n in
// [0.5, n_max], where n_max is the largest n whose fit still has Rsh <= 1e6 * Voc / Isc
// (found by bisection). If beta is outside what that range of n can give, n is clamped to
// the nearer end and beta_matched is false. This replaces the suggested damped Newton on
// the 4x4 system with bracketed scalar roots, which cannot diverge.
//
// Operating conditions (De Soto, Klein & Beckman 2006; pvlib calcparams_desoto), with
// T in kelvin, Tref = 298.15 K, G in W/m2, Gref = 1000 W/m2:
//   IL     = IL_ref * G/Gref * (1 + alpha_isc * (T - Tref))
//   I0     = I0_ref * (T/Tref)^3 * exp(Eg_ref/(k Tref) - Eg/(k T)),
//            Eg = 1.121 eV * (1 - 0.0002677 (T - Tref))
//   nNsVth = nNsVth_ref * T/Tref,  Rsh = Rsh_ref * Gref/G,  Rs = Rs_ref
// G is floored at 1e-6 W/m2 in the Rsh scaling, so a dark panel keeps a finite shunt.

// Datasheet values at STC. Temperature coefficients are relative, per kelvin:
// alpha 0.0005 /K is +0.05 %/K of Isc, beta -0.0029 /K is -0.29 %/K of Voc.
struct PvModuleParams {
  double isc_a = 0.0;
  double voc_v = 0.0;
  double imp_a = 0.0;
  double vmp_v = 0.0;
  double alpha_isc_per_k = 0.0;
  double beta_voc_per_k = 0.0;
  int cells_in_series = 0;
};

inline constexpr double kStcIrradianceWPerM2 = 1000.0;
inline constexpr double kStcTemperatureC = 25.0;

struct PvModuleFit {
  bool ok = false;
  const char* error = "";  // why the fit failed (static text), empty when ok
  SingleDiodeParams stc;   // the five parameters at STC
  double ideality = 0.0;   // n
  double alpha_isc_per_k = 0.0;
  double beta_voc_model_per_k = 0.0;  // the fitted model's (dVoc/dT)/Voc at STC
  bool beta_matched = false;          // false when n was clamped (see above)
  int cells_in_series = 0;
};

// Checks the datasheet values; returns empty text when usable, else why not.
const char* check_module_params(const PvModuleParams& ds);
PvModuleFit fit_pv_module(const PvModuleParams& ds);
// The five parameters at irradiance g_w_m2 (>= 0) and cell temperature t_c.
SingleDiodeParams desoto_params(const SingleDiodeParams& stc, double alpha_isc_per_k, double g_w_m2,
                                double t_c);
inline SingleDiodeParams module_params_at(const PvModuleFit& fit, double g_w_m2, double t_c) {
  return desoto_params(fit.stc, fit.alpha_isc_per_k, g_w_m2, t_c);
}

// ---- Small bracketed solvers shared by the PV models --------------------------------------
namespace pv_numeric {

// Brent's root finder on [a, b] with f(a) = fa, f(b) = fb of opposite signs (or one zero).
// Never leaves the bracket; stops when the bracket is below xtol (absolute) + 4 eps |x|.
template <class F>
double brent_root(F&& f, double a, double b, double fa, double fb, double xtol,
                  int max_iter = 300) {
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  if (fa == 0.0) {
    return a;
  }
  if (fb == 0.0) {
    return b;
  }
  double c = a;
  double fc = fa;
  double d = b - a;
  double e = d;
  for (int it = 0; it < max_iter; ++it) {
    if ((fb > 0.0) == (fc > 0.0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 2.0 * kEps * std::fabs(b) + 0.5 * xtol;
    const double m = 0.5 * (c - b);
    if (std::fabs(m) <= tol || fb == 0.0) {
      return b;
    }
    if (std::fabs(e) >= tol && std::fabs(fa) > std::fabs(fb)) {
      const double s = fb / fa;
      double p = 0.0;
      double q = 0.0;
      if (a == c) {
        p = 2.0 * m * s;
        q = 1.0 - s;
      } else {
        const double qa = fa / fc;
        const double r = fb / fc;
        p = s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0));
        q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
      }
      if (p > 0.0) {
        q = -q;
      } else {
        p = -p;
      }
      if (2.0 * p < std::fmin(3.0 * m * q - std::fabs(tol * q), std::fabs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += std::fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
    fb = f(b);
  }
  return b;
}

struct ValueSlope {
  double f = 0.0;
  double df = 0.0;
};

// Root of a decreasing f on [lo, hi] (f(lo) >= 0 >= f(hi)); fdf(x) returns f and f'.
// Newton steps from x0, replaced by bisection whenever a step would leave the bracket or
// shrink it too slowly (Numerical Recipes' rtsafe), so it never diverges.
template <class F>
double newton_decreasing(F&& fdf, double lo, double hi, double x0, double xtol,
                         int max_iter = 200) {
  double x = std::fmin(std::fmax(x0, lo), hi);
  double dx = hi - lo;
  double dx_old = dx;
  for (int it = 0; it < max_iter; ++it) {
    const ValueSlope r = fdf(x);
    if (r.f == 0.0) {
      return x;
    }
    (r.f > 0.0 ? lo : hi) = x;
    const double step = r.df < 0.0 ? -r.f / r.df : hi - lo;
    if (std::fabs(step) <= xtol) {
      return std::fmin(std::fmax(x + step, lo), hi);
    }
    double xn = r.df < 0.0 ? x + step : lo - 1.0;
    if (!(xn > lo && xn < hi) || std::fabs(2.0 * r.f) > std::fabs(dx_old * r.df)) {
      dx_old = dx;
      dx = 0.5 * (hi - lo);
      xn = lo + dx;
    } else {
      dx_old = dx;
      dx = xn - x;
    }
    if (std::fabs(xn - x) <= xtol || hi - lo <= xtol) {
      return xn;
    }
    x = xn;
  }
  return x;
}

// Brent's minimiser (golden section with parabolic steps) of f on [a, b]; returns the
// abscissa. Use with -P to find a power maximum.
template <class F>
double brent_min(F&& f, double a, double b, double xtol, int max_iter = 200) {
  constexpr double kGold = 0.3819660112501051;  // (3 - sqrt(5)) / 2
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  double x = a + kGold * (b - a);
  double w = x;
  double v = x;
  double fx = f(x);
  double fw = fx;
  double fv = fx;
  double d = 0.0;
  double e = 0.0;
  for (int it = 0; it < max_iter; ++it) {
    const double xm = 0.5 * (a + b);
    const double tol1 = std::sqrt(kEps) * std::fabs(x) + xtol / 3.0;
    const double tol2 = 2.0 * tol1;
    if (std::fabs(x - xm) <= tol2 - 0.5 * (b - a)) {
      break;
    }
    bool golden = true;
    if (std::fabs(e) > tol1) {
      double r = (x - w) * (fx - fv);
      double q = (x - v) * (fx - fw);
      double p = (x - v) * q - (x - w) * r;
      q = 2.0 * (q - r);
      if (q > 0.0) {
        p = -p;
      }
      q = std::fabs(q);
      const double etemp = e;
      e = d;
      if (std::fabs(p) < std::fabs(0.5 * q * etemp) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const double u = x + d;
        if (u - a < tol2 || b - u < tol2) {
          d = xm - x >= 0.0 ? tol1 : -tol1;
        }
        golden = false;
      }
    }
    if (golden) {
      e = (x >= xm ? a : b) - x;
      d = kGold * e;
    }
    const double u = std::fabs(d) >= tol1 ? x + d : x + (d >= 0.0 ? tol1 : -tol1);
    const double fu = f(u);
    if (fu <= fx) {
      (u >= x ? a : b) = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      (u < x ? a : b) = u;
      if (fu <= fw || w == x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u;
        fv = fu;
      }
    }
  }
  return x;
}

}  // namespace pv_numeric

}  // namespace powerstack::sim
