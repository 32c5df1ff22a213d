// The "measurement" suite: accuracy of each measurement component against a closed-form
// reference, on synthetic signals with seeded noise. Prints what the unit tests assert.
#include <cmath>
#include <cstdint>

#include "powerstack/app/bench_suites.hpp"
#include "powerstack/dsp/energy_integrator.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"
#include "powerstack/dsp/window_stats.hpp"
#include "sim/engine/random.hpp"

namespace powerstack::app {

namespace {

// Seeded noise, the same on every platform: the twin's one random source.
using Noise = powerstack::sim::SimRandom;

double pct(double measured, double reference) {
  return 100.0 * (measured - reference) / reference;
}

nlohmann::json integrator_row() {
  // 10 A for ~60 s from a loop nominally 10 ms but really 10..25 ms (Wi-Fi, logging).
  dsp::EnergyIntegrator integ;
  Noise rng(1);
  std::uint64_t t_us = 0;
  int samples = 0;
  for (; t_us <= 60'000'000U; ++samples) {
    integ.add(t_us, 26.7f, 10.0f);
    t_us += static_cast<std::uint64_t>(10000.0 + 15000.0 * rng.uniform());
  }
  const double true_ah = 10.0 * integ.integrated_s() / 3600.0;
  const double fixed_interval_ah = 10.0 * 0.010 * (samples - 1) / 3600.0;
  return {{"component", "energy_integrator"},
          {"case", "10 A, loop 10..25 ms, 60 s"},
          {"reference", true_ah},
          {"measured", integ.charge_in_ah()},
          {"error_pct", pct(integ.charge_in_ah(), true_ah)},
          {"fixed_interval_error_pct", pct(fixed_interval_ah, true_ah)}};
}

nlohmann::json impedance_row() {
  // Battery 60 mOhm, 5 mV noise per voltage sample, 0.2..2 A steps; 200 seeds.
  constexpr double kROhm = 0.06;
  int covered = 0;
  double sum_abs_err = 0.0;
  double sum_sigma = 0.0;
  constexpr int kRuns = 200;
  for (int seed = 0; seed < kRuns; ++seed) {
    auto est = dsp::ImpedanceEstimator::create({}).value();
    Noise rng(static_cast<std::uint64_t>(seed) + 1000U);
    for (int k = 0; k < 500; ++k) {
      // One draw a statement: operand evaluation order is unspecified across compilers.
      const double magnitude = 0.2 + 1.8 * rng.uniform();
      const double di = rng.uniform() < 0.5 ? -magnitude : magnitude;
      const double noise_before = rng.normal();
      const double noise_after = rng.normal();
      const double du = kROhm * di + 0.005 * (noise_after - noise_before);
      est.add_pair(static_cast<float>(di), static_cast<float>(du));
    }
    const auto e = est.estimate().value();
    const double err = std::fabs(static_cast<double>(e.r_ohm) - kROhm);
    sum_abs_err += err;
    sum_sigma += static_cast<double>(e.sigma_ohm);
    if (err < 2.0 * static_cast<double>(e.sigma_ohm)) {
      ++covered;
    }
  }
  return {{"component", "impedance_estimator"},
          {"case", "R 60 mOhm, 5 mV noise, 500 pairs, 200 seeds"},
          {"reference", kROhm},
          {"mean_abs_error_ohm", sum_abs_err / kRuns},
          {"mean_sigma_ohm", sum_sigma / kRuns},
          {"coverage_2sigma_pct", 100.0 * covered / kRuns}};
}

nlohmann::json window_stats_row() {
  // 5 mV Gaussian noise on 52.6 V: the mean window sigma against the true 5 mV (times c4).
  dsp::WindowStats<64> w;
  Noise rng(3);
  double sum = 0.0;
  int windows = 0;
  for (int k = 0; k < 64 * 500; ++k) {
    w.update(static_cast<float>(52.6 + 0.005 * rng.normal()));
    if ((k + 1) % 64 == 0) {
      sum += static_cast<double>(w.stddev());
      ++windows;
    }
  }
  const double reference = 0.005 * 0.99606;  // c4(64): bias of the sample sigma
  return {{"component", "window_stats"},
          {"case", "sigma of 5 mV noise on 52.6 V, 64-sample windows"},
          {"reference", reference},
          {"measured", sum / windows},
          {"error_pct", pct(sum / windows, reference)}};
}

}  // namespace

nlohmann::json run_measurement_suite() {
  return nlohmann::json::array({integrator_row(), impedance_row(), window_stats_row()});
}

}  // namespace powerstack::app
