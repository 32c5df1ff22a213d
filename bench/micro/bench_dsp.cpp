// Micro-benchmarks of the core's measurement layer (core/include/powerstack/dsp/).
//
// Each benchmark does one operation per iteration, so the "Time" column is ns per item
// (items_per_second says the same). Inputs cycle through precomputed tables filled once from
// std::mt19937_64 seeded 1, so data and branches vary like a measurement stream while no
// generator runs inside the timed loop. The tables are small enough to stay in L1.
//
// Results are passed to benchmark::DoNotOptimize; the state of each object stays where the
// compiler puts it (usually registers), which is how the core keeps it in a control loop.
//
// Numbers: cmake --preset release && cmake --build --preset release --target bench_dsp &&
//          ./build/release/bench/bench_dsp
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>

#include "powerstack/dsp/adc_channel.hpp"
#include "powerstack/dsp/ema.hpp"
#include "powerstack/dsp/energy_integrator.hpp"
#include "powerstack/dsp/exact_accumulator.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"
#include "powerstack/dsp/linear_transform.hpp"
#include "powerstack/dsp/moving_average.hpp"
#include "powerstack/dsp/running_stats.hpp"
#include "powerstack/dsp/window_stats.hpp"

namespace {

namespace dsp = powerstack::dsp;

constexpr std::size_t kInputs = 1024;  // a power of two: the index wraps with a mask
constexpr std::size_t kMask = kInputs - 1U;

// Uniform in [0, 1) from the generator's top 24 bits (exact in a float).
float unit(std::mt19937_64& gen) {
  return static_cast<float>(gen() >> 40U) * (1.0f / 16777216.0f);
}

// Triangular noise in (-1, 1): the sum of two uniforms, centred.
float noise(std::mt19937_64& gen) {
  const float a = unit(gen);
  const float b = unit(gen);
  return a + b - 1.0f;
}

struct Inputs {
  std::array<std::uint32_t, kInputs> counts{};  // 12-bit ADC counts over the full scale
  std::array<float, kInputs> volts{};           // 13.2 V bus: +-0.3 V ripple plus noise
  std::array<float, kInputs> amps{};            // current in [-2, 3) A, crossing zero
  std::array<std::uint32_t, kInputs> dt_us{};   // sample interval 1 ms +-10 %
  std::array<float, kInputs> d_i{};             // current steps +-[0.05, 1) A
  std::array<float, kInputs> d_u{};             // 0.08 Ohm * d_i + 2 mV noise
  std::array<float, kInputs> charge{};          // charge per 1 ms sample (As), both signs
};

Inputs make_inputs() {
  std::mt19937_64 gen(1U);
  Inputs in;
  for (std::size_t k = 0; k < kInputs; ++k) {
    in.counts[k] = static_cast<std::uint32_t>(gen() >> 52U);  // 0 .. 4095
    // A slow triangle-wave ripple (period 64 samples) under the noise.
    const float phase = static_cast<float>(k % 64U) / 32.0f;          // [0, 2)
    const float ripple = phase < 1.0f ? phase - 0.5f : 1.5f - phase;  // [-0.5, 0.5]
    in.volts[k] = 13.2f + 0.6f * ripple + 0.05f * noise(gen);
    in.amps[k] = -2.0f + 5.0f * unit(gen);
    in.dt_us[k] = 900U + static_cast<std::uint32_t>(gen() % 201U);
    const float step = 0.05f + 0.95f * unit(gen);
    in.d_i[k] = (gen() & 1U) != 0U ? step : -step;
    in.d_u[k] = 0.08f * in.d_i[k] + 0.002f * noise(gen);
    in.charge[k] = in.amps[k] * 1e-3f;
  }
  return in;
}

const Inputs& inputs() {
  static const Inputs in = make_inputs();
  return in;
}

void BM_AdcChannel_convert(benchmark::State& state) {
  const Inputs& in = inputs();
  const auto front_end = dsp::divider(100000.0f, 4700.0f);
  if (!front_end.ok()) {
    state.SkipWithError("divider failed");
    return;
  }
  const auto channel = dsp::AdcChannel::create({12, 3.3f, 2}, front_end.value(), 0.0f, 80.0f);
  if (!channel.ok()) {
    state.SkipWithError("AdcChannel::create failed");
    return;
  }
  const dsp::AdcChannel& ch = channel.value();
  std::size_t k = 0;
  for (auto _ : state) {
    const dsp::Reading r = ch.convert(in.counts[k]);
    benchmark::DoNotOptimize(r);
    k = (k + 1U) & kMask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AdcChannel_convert);

void BM_Ema_update(benchmark::State& state) {
  const Inputs& in = inputs();
  auto created = dsp::Ema::with_span(16);
  if (!created.ok()) {
    state.SkipWithError("Ema::with_span failed");
    return;
  }
  dsp::Ema ema = created.value();
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ema.update(in.volts[k]));
    benchmark::DoNotOptimize(ema.value());
    k = (k + 1U) & kMask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Ema_update);

void BM_MovingAverage16_update(benchmark::State& state) {
  const Inputs& in = inputs();
  dsp::MovingAverage<16> avg;
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(avg.update(in.volts[k]));
    benchmark::DoNotOptimize(avg.value());
    k = (k + 1U) & kMask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MovingAverage16_update);

void BM_RunningStats_update(benchmark::State& state) {
  const Inputs& in = inputs();
  dsp::RunningStats stats;
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stats.update(in.volts[k]));
    benchmark::DoNotOptimize(stats.mean());
    k = (k + 1U) & kMask;
  }
  benchmark::DoNotOptimize(stats.stddev());
  benchmark::DoNotOptimize(stats.peak_to_peak());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RunningStats_update);

void BM_WindowStats64_update(benchmark::State& state) {
  const Inputs& in = inputs();
  dsp::WindowStats<64> window;
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(window.update(in.volts[k]));
    benchmark::DoNotOptimize(window.mean());
    k = (k + 1U) & kMask;
  }
  benchmark::DoNotOptimize(window.stddev());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_WindowStats64_update);

// The O(N) query: one item is one peak_to_peak() over a full 64-sample window. It cycles over
// 16 windows holding different samples, each with its ring head at a different position.
void BM_WindowStats64_peak_to_peak(benchmark::State& state) {
  const Inputs& in = inputs();
  constexpr std::size_t kWindows = 16;
  std::array<dsp::WindowStats<64>, kWindows> windows{};
  std::size_t k = 0;
  for (std::size_t w = 0; w < kWindows; ++w) {
    for (std::size_t n = 0; n < 64U + 5U * w; ++n) {
      windows[w].update(in.volts[k]);
      k = (k + 1U) & kMask;
    }
  }
  std::size_t w = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(windows[w]);  // the compiler must assume the window changed
    benchmark::DoNotOptimize(windows[w].peak_to_peak());
    w = (w + 1U) % kWindows;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_WindowStats64_peak_to_peak);

void BM_EnergyIntegrator_add(benchmark::State& state) {
  const Inputs& in = inputs();
  dsp::EnergyIntegrator integrator;
  std::uint64_t t_us = 1000U;
  integrator.add(t_us, in.volts[kMask], in.amps[kMask]);  // starts the first interval
  std::size_t k = 0;
  for (auto _ : state) {
    t_us += in.dt_us[k];
    benchmark::DoNotOptimize(integrator.add(t_us, in.volts[k], in.amps[k]));
    k = (k + 1U) & kMask;
  }
  benchmark::DoNotOptimize(integrator.net_energy_wh());
  if (integrator.rejected_count() != 0U || integrator.gap_count() != 0U) {
    state.SkipWithError("EnergyIntegrator rejected a sample or saw a gap");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EnergyIntegrator_add);

void BM_ImpedanceEstimator_add_pair(benchmark::State& state) {
  const Inputs& in = inputs();
  auto created = dsp::ImpedanceEstimator::create({});
  if (!created.ok()) {
    state.SkipWithError("ImpedanceEstimator::create failed");
    return;
  }
  dsp::ImpedanceEstimator estimator = created.value();
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(estimator.add_pair(in.d_i[k], in.d_u[k]));
    k = (k + 1U) & kMask;
  }
  benchmark::DoNotOptimize(estimator.estimate());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ImpedanceEstimator_add_pair);

// One item is one estimate() on a primed estimator (the full path, not an early refusal);
// it cycles over 16 estimators fed different numbers of pairs.
void BM_ImpedanceEstimator_estimate(benchmark::State& state) {
  const Inputs& in = inputs();
  auto created = dsp::ImpedanceEstimator::create({});
  if (!created.ok()) {
    state.SkipWithError("ImpedanceEstimator::create failed");
    return;
  }
  constexpr std::size_t kEstimators = 16;
  std::array<dsp::ImpedanceEstimator, kEstimators> estimators{};
  std::size_t k = 0;
  for (std::size_t e = 0; e < kEstimators; ++e) {
    estimators[e] = created.value();
    for (std::size_t n = 0; n < 200U + 13U * e; ++n) {
      estimators[e].add_pair(in.d_i[k], in.d_u[k]);
      k = (k + 1U) & kMask;
    }
    if (!estimators[e].estimate().ok()) {
      state.SkipWithError("ImpedanceEstimator not ready after priming");
      return;
    }
  }
  std::size_t e = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(estimators[e]);
    benchmark::DoNotOptimize(estimators[e].estimate());
    e = (e + 1U) % kEstimators;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ImpedanceEstimator_estimate);

void BM_ExactAccumulator_add(benchmark::State& state) {
  const Inputs& in = inputs();
  dsp::ExactAccumulator acc(1e-6f);
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(acc.add(in.charge[k]));
    benchmark::DoNotOptimize(acc.quanta());
    k = (k + 1U) & kMask;
  }
  benchmark::DoNotOptimize(acc.total());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ExactAccumulator_add);

}  // namespace
