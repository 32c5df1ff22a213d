// The "soc" suite (soc_bench.hpp): each estimator sees the same sensor readings of the same
// simulated discharges; the error is sampled every 10 s while the true SOC is above 2 %
// (the shutdown point), pooled over all cells.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "powerstack/app/bench_suites.hpp"
#include "powerstack/app/soc_bench.hpp"
#include "powerstack/battery/combined_soc.hpp"
#include "powerstack/battery/coulomb_soc.hpp"
#include "powerstack/battery/ekf_soc.hpp"
#include "powerstack/battery/voltage_soc.hpp"
#include "sim/engine/random.hpp"
#include "sim/models/battery_cell.hpp"
#include "sim/models/loads.hpp"
#include "sim/systems/lipo_device.hpp"

namespace powerstack::app {

namespace {

constexpr double kEndSoc = 0.02;
constexpr double kSampleEveryS = 10.0;
// Always-on board draw besides the ESP32 (divider, detector, regulator ground): ~5.5 mA.
constexpr double kBoardDrawA = 5.5e-3;

struct ErrorStats {
  double sum_sq = 0.0;
  double max_abs = 0.0;
  std::uint64_t n = 0;
  void add(double e) {
    sum_sq += e * e;
    max_abs = std::max(max_abs, std::fabs(e));
    ++n;
  }
  [[nodiscard]] double rms() const {
    return n > 0 ? std::sqrt(sum_sq / static_cast<double>(n)) : 0.0;
  }
};

enum Method { kVoltageOnly, kVoltageLoadModel, kCoulomb, kCombined, kEkf, kMethods };
const char* const kNames[kMethods] = {"voltage only (no current)", "voltage + load model",
                                      "coulomb counting", "combined (CC + OCV rest + IR)",
                                      "EKF (1-RC, capacity, offset)"};

struct Sensors {
  double v_offset_v, v_gain, i_offset_a, i_gain;
};

void run_cell(int k, const SocBenchOptions& o, sim::SimRandom& rng, ErrorStats* stats) {
  const bool aged = k == o.cells - 1;
  const double t_c = o.cells > 1 ? 40.0 * k / (o.cells - 1) : 25.0;  // 0..40 C
  const sim::DrawnCell drawn =
      sim::draw_lipo_cell(o.capacity_ah, aged ? 0.8 : 1.0, sim::LipoCellSpread{}, rng);
  const sim::ChemistryProfile& li = sim::chemistry_profile(sim::Chemistry::kLiIon);
  sim::BatteryCell cell(li, drawn.params, 1.0);
  const Sensors s{rng.uniform(-5e-3, 5e-3), rng.uniform(-2e-3, 2e-3), rng.uniform(-1e-3, 1e-3),
                  rng.uniform(-0.01, 0.01)};
  sim::SimRandom noise = rng.fork(static_cast<std::uint64_t>(k) + 100U);
  // Seed 002 running: 10 min awake (RX 100 mA, 0.5 s Wi-Fi bursts at 368 mA every 5 s),
  // 5 min deep sleep; the phase differs per cell.
  const sim::Esp32Figures fig = sim::esp32_figures();
  sim::LoadProfile load = sim::esp32_duty_cycle_profile(fig, 900.0, 600.0, 5.0, 0.5).value();
  const double phase_s = rng.uniform(0.0, 900.0);

  const battery::CellModel nominal = battery::typical_lipo(static_cast<float>(o.capacity_ah));
  battery::VoltageSocEstimator v_only(nominal, {});
  battery::VoltageSocEstimator v_model(nominal, {});
  battery::CombinedSocEstimator combined(nominal, {});
  battery::EkfSocEstimator ekf(nominal, {});
  std::optional<battery::CoulombSocEstimator> coulomb;

  double next_sample_s = 0.0;
  const double dt = o.step_s;
  for (std::uint64_t n = 0;; ++n) {
    const double t = static_cast<double>(n) * dt;
    const double i_esp = load.current_a(t + phase_s, 3.3);
    const double i_true = -(i_esp + kBoardDrawA);
    cell.step(i_true, dt, t_c);
    if (cell.soc() <= kEndSoc) {
      break;
    }
    const double v_true = cell.terminal_voltage_v(i_true, t_c) + drawn.ocv_offset_v;
    const auto v =
        static_cast<float>(v_true * (1.0 + s.v_gain) + s.v_offset_v + noise.normal(0.0, 2e-3));
    const auto i =
        static_cast<float>(i_true * (1.0 + s.i_gain) + s.i_offset_a + noise.normal(0.0, 1e-3));
    const auto tc = static_cast<float>(t_c);
    const auto t_us = static_cast<std::uint64_t>(std::llround(t * 1e6));
    const auto dtf = static_cast<float>(dt);
    v_only.update(dtf, v, std::numeric_limits<float>::quiet_NaN(), tc);
    // The firmware knows the mode it is in (sleep, RX, burst) and the nominal current of it.
    v_model.update(dtf, v, static_cast<float>(-(i_esp + kBoardDrawA)), tc);
    combined.update(t_us, v, i, tc);
    ekf.update(t_us, v, i, tc);
    if (!coulomb) {
      // Plain counting starts from the first (rested) voltage reading, as a device would.
      coulomb.emplace(
          nominal, battery::CoulombSocEstimator::Config{},
          battery::SocEstimate{
              battery::soc_at_ocv(battery::ocv_table(battery::Chemistry::kLiIon), v, tc), 0.02f});
    }
    (void)coulomb->update(t_us, v, i);
    if (t >= next_sample_s) {
      next_sample_s += kSampleEveryS;
      const double truth = cell.soc();
      const float est[kMethods] = {v_only.estimate().soc, v_model.estimate().soc,
                                   coulomb->estimate().soc, combined.estimate().soc,
                                   ekf.estimate().soc};
      for (int m = 0; m < kMethods; ++m) {
        stats[m].add(static_cast<double>(est[m]) - truth);
      }
    }
  }
}

}  // namespace

nlohmann::json run_soc_bench(const SocBenchOptions& o) {
  ErrorStats stats[kMethods];
  sim::SimRandom rng(o.seed);
  for (int k = 0; k < o.cells; ++k) {
    sim::SimRandom cell_rng = rng.fork(static_cast<std::uint64_t>(k));
    run_cell(k, o, cell_rng, stats);
  }
  nlohmann::json rows = nlohmann::json::array();
  for (int m = 0; m < kMethods; ++m) {
    rows.push_back({{"method", kNames[m]},
                    {"rms_error_pct", 100.0 * stats[m].rms()},
                    {"max_error_pct", 100.0 * stats[m].max_abs}});
  }
  return rows;
}

nlohmann::json run_soc_suite() {
  return run_soc_bench(SocBenchOptions{});
}

}  // namespace powerstack::app
