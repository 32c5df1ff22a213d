#include <cmath>
#include <cstdio>

#include "harness/check.hpp"
#include "harness/rng.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"

using powerstack::Status;
using powerstack::dsp::ImpedanceEstimator;

namespace {

// A source with internal resistance r_ohm (passive convention: dU = R dI), current steps of
// 0.1..1 A either way, voltage noise sigma_u_v on each of the two samples of a pair.
void feed(ImpedanceEstimator& est, ps_test::Rng& rng, double r_ohm, double sigma_u_v, int pairs) {
  for (int k = 0; k < pairs; ++k) {
    // One draw a statement: the evaluation order of operands is unspecified, and the same
    // seed must give the same numbers with every compiler.
    const double magnitude = rng.uniform(0.1, 1.0);
    const double di = rng.uniform() < 0.5 ? -magnitude : magnitude;
    const double noise_before = rng.normal();
    const double noise_after = rng.normal();
    const double du = r_ohm * di + sigma_u_v * (noise_after - noise_before);
    est.add_pair(static_cast<float>(di), static_cast<float>(du));
  }
}

ImpedanceEstimator make(float forgetting) {
  ImpedanceEstimator::Config c;
  c.forgetting = forgetting;
  return ImpedanceEstimator::create(c).value();
}

}  // namespace

PS_TEST(rls_recovers_resistance_without_noise) {
  auto est = make(0.99f);
  ps_test::Rng rng(1);
  feed(est, rng, 0.042, 0.0, 50);
  const auto e = est.estimate();
  PS_CHECK(e.ok());
  PS_CHECK_NEAR(e.value().r_ohm, 0.042, 1e-6);
  PS_CHECK(e.value().sigma_ohm < 1e-5f);
}

PS_TEST(rls_recovers_resistance_within_reported_confidence) {
  // Battery-like source, 0.35 Ohm, 5 mV noise per sample.
  auto est = make(0.995f);
  ps_test::Rng rng(2);
  feed(est, rng, 0.35, 0.005, 600);
  const auto e = est.estimate();
  PS_CHECK(e.ok());
  const double err = std::fabs(static_cast<double>(e.value().r_ohm) - 0.35);
  PS_CHECK(err < 3.0 * static_cast<double>(e.value().sigma_ohm));
  // The reported sigma must be of the right size, not merely large: the least-squares
  // standard error for these pairs is about sqrt(2) * 5 mV / sqrt(sum dI^2) ~ 1.3 mOhm.
  PS_CHECK(e.value().sigma_ohm > 0.0005f && e.value().sigma_ohm < 0.004f);
}

PS_TEST(rls_confidence_interval_covers_truth_at_its_rate) {
  // Over 100 independent seeds, R within +-2 sigma should hold in about 95 % of runs; a
  // sigma that is too small (or too large) moves the count out of this band.
  int covered = 0;
  for (int seed = 100; seed < 200; ++seed) {
    auto est = make(0.99f);
    ps_test::Rng rng(static_cast<unsigned>(seed));
    feed(est, rng, 1.8, 0.02, 300);  // PV-panel-like: 1.8 Ohm, 20 mV noise
    const auto e = est.estimate().value();
    if (std::fabs(static_cast<double>(e.r_ohm) - 1.8) < 2.0 * static_cast<double>(e.sigma_ohm)) {
      ++covered;
    }
  }
  std::printf("  covered %d of 100\n", covered);
  PS_CHECK(covered >= 88 && covered <= 99);
}

PS_TEST(rls_refuses_without_excitation) {
  auto est = make(0.995f);
  // Steps below min_delta_i_a (20 mA) are not used at all.
  for (int k = 0; k < 1000; ++k) {
    PS_CHECK(!est.add_pair(0.01f, 0.003f));
  }
  PS_CHECK(est.estimate().status() == Status::kNotReady);
  // Used, but 20 pairs of 50 mA give sum dI^2 = 0.05 A^2 < 0.5 A^2.
  for (int k = 0; k < 20; ++k) {
    PS_CHECK(est.add_pair(k % 2 == 0 ? 0.05f : -0.05f, k % 2 == 0 ? 0.0175f : -0.0175f));
  }
  PS_CHECK(est.estimate().status() == Status::kInsufficientData);
  PS_CHECK(!est.add_pair(NAN, 0.1f));
  PS_CHECK(!est.add_pair(0.5f, INFINITY));
}

PS_TEST(rls_tracks_a_change_with_forgetting) {
  // Resistance rises from 0.20 to 0.40 Ohm (cell cooling, ageing): the estimate follows.
  auto est = make(0.98f);
  ps_test::Rng rng(4);
  feed(est, rng, 0.20, 0.002, 400);
  PS_CHECK_NEAR(est.estimate().value().r_ohm, 0.20, 0.01);
  feed(est, rng, 0.40, 0.002, 400);
  PS_CHECK_NEAR(est.estimate().value().r_ohm, 0.40, 0.01);
}

PS_TEST(rls_rejects_bad_config) {
  ImpedanceEstimator::Config c;
  c.forgetting = 0.0f;
  PS_CHECK(!ImpedanceEstimator::create(c).ok());
  c.forgetting = 1.01f;
  PS_CHECK(!ImpedanceEstimator::create(c).ok());
  c.forgetting = 1.0f;
  c.min_delta_i_a = -1.0f;
  PS_CHECK(!ImpedanceEstimator::create(c).ok());
  c.min_delta_i_a = 0.0f;
  PS_CHECK(ImpedanceEstimator::create(c).ok());
}
