#include "powerstack/design/tolerance.hpp"

#include <algorithm>
#include <cmath>

#include "powerstack/design/figures.hpp"
#include "powerstack/design/network.hpp"
#include "sim/engine/random.hpp"

namespace powerstack::design {

namespace {

bool key_figure(const std::string& k) {
  for (const char* p :
       {"divider.", "comparator.", "holdup.", "burst.", "runtime.", "rc.", "autonomy."}) {
    if (k.rfind(p, 0) == 0)
      return true;
  }
  return false;
}

double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto k = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(k);
  return k + 1 < sorted.size() ? sorted[k] * (1 - frac) + sorted[k + 1] * frac : sorted[k];
}

}  // namespace

Design perturbed(const Design& d, std::uint64_t seed, int run) {
  sim::SimRandom rng = sim::SimRandom(seed).fork(static_cast<std::uint64_t>(run) + 1);
  const auto draw = [&](double nominal, double tol) {
    const double u = rng.uniform(-1.0, 1.0);  // drawn always: the stream does not depend on tol
    return nominal * (1.0 + tol * u);
  };
  const auto value = [&](Value& v) { v.nominal = draw(v.nominal, v.tolerance); };
  Design p = d;
  for (auto& s : p.sources)
    value(s.c_reservoir_f);
  for (auto& s : p.storage) {
    value(s.c_f);
    value(s.r_balance_ohm);
    s.capacity_ah = draw(s.capacity_ah, s.capacity_tolerance);
  }
  for (auto& c : p.converters)
    c.v_out_v = draw(c.v_out_v, c.v_out_tolerance);
  for (auto& dv : p.dividers) {
    value(dv.r_top_ohm);
    value(dv.r_bottom_ohm);
  }
  for (auto& cp : p.comparators) {
    value(cp.r_in_ohm);
    value(cp.r_hyst_ohm);
  }
  return p;
}

ToleranceResult run_tolerance(const Design& d) {
  ToleranceResult r;
  r.runs = d.mc.runs;
  r.seed = d.mc.seed;
  const Figures nominal = compute_figures(Network(d));
  std::map<std::string, std::vector<double>> samples;
  for (int k = 0; k < d.mc.runs; ++k) {
    const Figures f = compute_figures(Network(perturbed(d, d.mc.seed, k)));
    for (const auto& [key, v] : f) {
      if (key_figure(key) && std::isfinite(v))
        samples[key].push_back(v);
    }
  }
  for (auto& [key, xs] : samples) {
    if (xs.empty())
      continue;
    std::sort(xs.begin(), xs.end());
    if (xs.back() - xs.front() <= 1e-12 * std::max(1.0, std::abs(xs.back())))
      continue;
    const auto it = nominal.find(key);
    r.figures[key] = Distribution{it == nominal.end() ? 0.0 : it->second,
                                  xs.front(),
                                  quantile(xs, 0.05),
                                  quantile(xs, 0.5),
                                  quantile(xs, 0.95),
                                  xs.back()};
  }
  return r;
}

}  // namespace powerstack::design
