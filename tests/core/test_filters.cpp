#include <cmath>

#include "harness/check.hpp"
#include "powerstack/dsp/ema.hpp"
#include "powerstack/dsp/moving_average.hpp"

using powerstack::dsp::Ema;
using powerstack::dsp::MovingAverage;

PS_TEST(ema_first_sample_initialises) {
  auto e = Ema::over_samples(3).value();
  PS_CHECK(!e.primed());
  e.update(3.3f);
  PS_CHECK(e.primed());
  PS_CHECK_NEAR(e.value(), 3.3, 1e-7);
}

PS_TEST(ema_over_three_matches_balancer_seed_recurrence) {
  // Seed 001: y = (2 y + x) / 3.
  auto e = Ema::over_samples(3).value();
  double y = 3.30;
  e.update(3.30f);
  const float xs[] = {3.36f, 3.31f, 3.29f, 3.40f, 3.33f};
  for (float x : xs) {
    e.update(x);
    y = (2.0 * y + static_cast<double>(x)) / 3.0;
    PS_CHECK_NEAR(e.value(), y, 1e-6);
  }
}

PS_TEST(ema_step_response_is_geometric) {
  // Closed form: after a unit step at k = 0 from 0, y_k = 1 - (1 - alpha)^k.
  auto e = Ema::with_alpha(0.1f).value();
  e.update(0.0f);
  for (int k = 1; k <= 50; ++k) {
    e.update(1.0f);
    PS_CHECK_NEAR(e.value(), 1.0 - std::pow(0.9, k), 2e-6);
  }
}

PS_TEST(ema_span_and_bad_parameters) {
  PS_CHECK_NEAR(Ema::with_span(3).value().alpha(), 0.5, 1e-7);
  PS_CHECK(!Ema::with_alpha(0.0f).ok());
  PS_CHECK(!Ema::with_alpha(1.5f).ok());
  PS_CHECK(!Ema::with_alpha(NAN).ok());
  PS_CHECK(!Ema::over_samples(0).ok());
  auto e = Ema::with_alpha(0.5f).value();
  e.update(1.0f);
  PS_CHECK(!e.update(NAN));
  PS_CHECK(!e.update(INFINITY));
  PS_CHECK_NEAR(e.value(), 1.0, 0.0);
}

PS_TEST(ema_timed_matches_continuous_first_order_lag) {
  // A first-order lag driven by a step has y(t) = 1 - exp(-t / tau), for any sampling.
  auto e = Ema::with_alpha(1.0f).value();
  e.update_timed(0.0f, 1.0f, 1.0f);
  const float dts[] = {0.013f, 0.2f, 0.001f, 0.07f, 0.5f, 0.031f};
  double t = 0.0;
  for (float dt : dts) {
    PS_CHECK(e.update_timed(1.0f, dt, 0.25f));
    t += static_cast<double>(dt);
    PS_CHECK_NEAR(e.value(), 1.0 - std::exp(-t / 0.25), 1e-5);
  }
  PS_CHECK(!e.update_timed(1.0f, 0.0f, 0.25f));
  PS_CHECK(!e.update_timed(1.0f, 0.1f, -1.0f));
}

PS_TEST(moving_average_is_mean_of_last_n) {
  MovingAverage<4> m;
  PS_CHECK_NEAR(m.value(), 0.0, 0.0);
  m.update(1.0f);
  m.update(2.0f);
  PS_CHECK_NEAR(m.value(), 1.5, 1e-7);
  m.update(3.0f);
  m.update(4.0f);
  m.update(5.0f);  // window now 2, 3, 4, 5
  PS_CHECK(m.full());
  PS_CHECK_NEAR(m.value(), 3.5, 1e-6);
  PS_CHECK(!m.update(NAN));
  PS_CHECK_NEAR(m.value(), 3.5, 1e-6);
}

PS_TEST(moving_average_does_not_drift_over_long_runs) {
  // A large step then a small signal: a pure running sum would keep float residue of the
  // large values; the per-lap re-sum removes it.
  MovingAverage<16> m;
  for (int i = 0; i < 1000; ++i) {
    m.update(i % 2 == 0 ? 1.0e6f : -1.0e6f + 0.1f);
  }
  for (int i = 0; i < 16 * 200; ++i) {
    m.update(0.001f * static_cast<float>(i % 7));
  }
  double expected = 0.0;
  for (int i = 16 * 200 - 16; i < 16 * 200; ++i) {
    expected += 0.001 * (i % 7);
  }
  PS_CHECK_NEAR(m.value(), expected / 16.0, 1e-6);
}
