#include <cmath>

#include "harness/check.hpp"
#include "harness/rng.hpp"
#include "powerstack/dsp/running_stats.hpp"
#include "powerstack/dsp/window_stats.hpp"

using powerstack::dsp::RunningStats;
using powerstack::dsp::WindowStats;

PS_TEST(running_stats_match_closed_form) {
  RunningStats s;
  // 1..10: mean 5.5, sample variance 55/6.
  for (int i = 1; i <= 10; ++i) {
    s.update(static_cast<float>(i));
  }
  PS_CHECK(s.count() == 10U);
  PS_CHECK_NEAR(s.mean(), 5.5, 1e-6);
  PS_CHECK_NEAR(s.stddev(), std::sqrt(55.0 / 6.0), 1e-5);
  PS_CHECK_NEAR(s.peak_to_peak(), 9.0, 0.0);
  PS_CHECK(!s.update(NAN));
  PS_CHECK(s.count() == 10U);
  s.reset();
  PS_CHECK(s.count() == 0U);
  PS_CHECK_NEAR(s.stddev(), 0.0, 0.0);
}

PS_TEST(running_stats_stable_for_small_noise_on_large_offset) {
  // +-1 mV square ripple on 52.6 V: sigma is exactly 1 mV (population) whatever the offset.
  // sum(x^2) - n mean^2 in float loses every digit here; Welford keeps them.
  RunningStats s;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    s.update(i % 2 == 0 ? 52.601f : 52.599f);
  }
  const double sample_sigma = 0.001 * std::sqrt(static_cast<double>(n) / (n - 1));
  PS_CHECK_NEAR(s.stddev(), sample_sigma, 2e-5);
  PS_CHECK_NEAR(s.peak_to_peak(), 0.002, 1e-5);
}

PS_TEST(window_stats_cover_only_the_last_n) {
  WindowStats<5> w;
  for (int i = 1; i <= 12; ++i) {
    w.update(static_cast<float>(i));
  }
  // Window 8..12: mean 10, sample variance 2.5, p2p 4.
  PS_CHECK(w.full());
  PS_CHECK_NEAR(w.mean(), 10.0, 1e-5);
  PS_CHECK_NEAR(w.stddev(), std::sqrt(2.5), 1e-5);
  PS_CHECK_NEAR(w.min(), 8.0, 0.0);
  PS_CHECK_NEAR(w.max(), 12.0, 0.0);
  PS_CHECK_NEAR(w.peak_to_peak(), 4.0, 0.0);
}

PS_TEST(window_stats_agree_with_two_pass_reference) {
  // Gaussian noise sigma 5 mV on 26.7 V with a slow ramp; compare every window with a
  // two-pass computation in double over the same samples.
  constexpr int kN = 32;
  WindowStats<kN> w;
  ps_test::Rng rng(7);
  float history[kN] = {};
  for (int k = 0; k < 2000; ++k) {
    const auto x = static_cast<float>(26.7 + 1e-4 * k + 0.005 * rng.normal());
    w.update(x);
    history[k % kN] = x;
    if (k >= kN - 1 && k % 97 == 0) {
      double mean = 0.0;
      for (float h : history) {
        mean += static_cast<double>(h);
      }
      mean /= kN;
      double m2 = 0.0;
      for (float h : history) {
        m2 += (static_cast<double>(h) - mean) * (static_cast<double>(h) - mean);
      }
      const double sd = std::sqrt(m2 / (kN - 1));
      PS_CHECK_NEAR(w.mean(), mean, 2e-5);
      PS_CHECK_NEAR(w.stddev(), sd, sd * 0.02);
    }
  }
}

PS_TEST(window_stats_sigma_of_gaussian_noise) {
  // Over many windows, the mean of the sample sigma of N(0, 0.01) approaches 0.01 * c4(N).
  WindowStats<64> w;
  ps_test::Rng rng(11);
  double sum_sd = 0.0;
  int windows = 0;
  for (int k = 0; k < 64 * 100; ++k) {
    w.update(static_cast<float>(12.0 + 0.01 * rng.normal()));
    if ((k + 1) % 64 == 0) {
      sum_sd += static_cast<double>(w.stddev());
      ++windows;
    }
  }
  // c4(64) = 0.99606; the mean of 100 sigmas has a standard error of about 0.01 * 0.089 / 10.
  PS_CHECK_NEAR(sum_sd / windows, 0.01 * 0.99606, 0.0003);
}

PS_TEST(window_stats_refuse_non_finite) {
  WindowStats<3> w;
  PS_CHECK(!w.update(NAN));
  PS_CHECK(w.count() == 0U);
  PS_CHECK_NEAR(w.peak_to_peak(), 0.0, 0.0);
}
