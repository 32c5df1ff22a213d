// Uses every measurement component once so the linker keeps what a controller would need;
// `arm-none-eabi-size` of this image (minus an empty main's baseline) is the core's cost.
#include <cstdint>

#include "powerstack/dsp/adc_channel.hpp"
#include "powerstack/dsp/ema.hpp"
#include "powerstack/dsp/energy_integrator.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"
#include "powerstack/dsp/moving_average.hpp"
#include "powerstack/dsp/running_stats.hpp"
#include "powerstack/dsp/window_stats.hpp"

namespace {
volatile std::uint32_t g_counts = 2048;  // volatile: the compiler may not fold the pipeline away
volatile float g_sink = 0.0f;

powerstack::dsp::AdcChannel g_v_channel;
powerstack::dsp::Ema g_ema;
powerstack::dsp::MovingAverage<16> g_avg;
powerstack::dsp::WindowStats<64> g_stats;
powerstack::dsp::RunningStats g_block;
powerstack::dsp::EnergyIntegrator g_energy;
powerstack::dsp::ImpedanceEstimator g_impedance;
}  // namespace

int main() {
  g_v_channel =
      powerstack::dsp::AdcChannel::create(
          {12, 3.3f, 2}, powerstack::dsp::divider(100000.0f, 4700.0f).value(), 0.0f, 80.0f)
          .value();
  g_ema = powerstack::dsp::Ema::over_samples(3).value();
  g_impedance = powerstack::dsp::ImpedanceEstimator::create({}).value();
  float last_v = 0.0f;
  for (std::uint32_t k = 0; k < 100; ++k) {
    const auto r = g_v_channel.convert(g_counts + (k % 7U));
    if (!r.ok()) {
      continue;
    }
    g_ema.update(r.value);
    g_avg.update(r.value);
    g_stats.update(r.value);
    g_block.update(r.value);
    g_energy.add(std::uint64_t{k} * 1000U, r.value, 1.0f);
    g_impedance.add_pair(0.1f, r.value - last_v);
    last_v = r.value;
  }
  const auto z = g_impedance.estimate();
  g_sink = g_ema.value() + g_avg.value() + g_stats.stddev() + g_stats.peak_to_peak() +
           g_block.stddev() + static_cast<float>(g_energy.energy_in_wh()) +
           (z.ok() ? z.value().r_ohm : 0.0f);
  return 0;
}
