#include "bench_mppt_runner.hpp"

#include <algorithm>
#include <cmath>

#include "sim/engine/random.hpp"

namespace powerstack::app::mppt_bench {

namespace {

constexpr float kSyncRectMinA = 0.2f;

sim::SolarChargerConfig stiff_bank_plant() {
  sim::SolarChargerConfig c;
  // A bank that never limits: 8 LiFePO4 cells of 1000 Ah at 50 % (26.4 V), no BMS, no load.
  c.battery.n_cells = 8;
  c.battery.cell =
      sim::typical_cell_params(sim::chemistry_profile(sim::Chemistry::kLiFePO4), 1000.0);
  c.battery.initial_soc = 0.5;
  c.battery.seed = 1;
  c.bms_enabled = false;
  c.load_w = 0.0;
  c.ambient_c = 25.0;
  c.noct_c = 20.0;  // cell temperature = ambient: the EN 50530 tests hold 25 C
  return c;
}

}  // namespace

sim::SolarChargerConfig en50530_plant(const sim::TimeSeriesProfile& irradiance) {
  sim::SolarChargerConfig c = stiff_bank_plant();
  c.en50530 = sim::En50530Curve::from_power(sim::En50530Technology::kCrystallineSi, 600.0, 60.0);
  c.irradiance_profile = irradiance;
  return c;
}

sim::SolarChargerConfig shaded_string_plant() {
  sim::SolarChargerConfig c = stiff_bank_plant();
  c.module = {10.32, 49.6, 9.76, 41.0, 0.00048, -0.0028, 72};  // examples/panels/72cell-400w
  c.modules_in_series = 2;
  c.substrings_per_module = 3;
  c.shading.assign(6, 1.0);
  c.irradiance_profile = sim::TimeSeriesProfile::create({0.0, 1e9}, {1000.0, 1000.0}).value();
  return c;
}

std::vector<WindowEnergy> run_closed_loop(const Controller& controller,
                                          sim::SolarChargerPlant& plant, double duration_s,
                                          const std::vector<Window>& windows,
                                          const MpptBenchOptions& options,
                                          const std::function<void(double t_s)>& at_time) {
  const double h = options.plant_step_s;
  const auto steps = static_cast<std::uint64_t>(std::llround(duration_s / h));
  const auto ctrl_every =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(controller.period_s / h)));
  const auto second_every = static_cast<std::uint64_t>(std::llround(1.0 / h));
  const auto dt_ctrl = static_cast<float>(static_cast<double>(ctrl_every) * h);
  sim::SimRandom noise(options.seed);

  std::vector<WindowEnergy> out(windows.size());
  const control::Measurements m0 = plant.measure();
  float duty = m0.v_pv_v > 0.0f ? m0.v_bat_v / m0.v_pv_v : 0.5f;  // start at open circuit
  if (controller.tracker != nullptr) {
    controller.tracker->reset(duty);
  }
  float applied = duty;
  control::Actuation a;
  double sum_v_pv = 0.0;
  double sum_i_pv = 0.0;
  double sum_v_bat = 0.0;
  int n_avg = 0;
  for (std::uint64_t k = 0; k < steps; ++k) {
    const double t = static_cast<double>(k) * h;
    if (at_time && k % second_every == 0) {
      at_time(t);
    }
    if (k % ctrl_every == 0) {
      // The firmware oversamples: the tracker sees the means over its control period.
      control::Measurements m = plant.measure();
      if (n_avg > 0) {
        m.v_pv_v = static_cast<float>(sum_v_pv / n_avg);
        m.i_pv_a = static_cast<float>(sum_i_pv / n_avg);
        m.v_bat_v = static_cast<float>(sum_v_bat / n_avg);
      }
      sum_v_pv = sum_i_pv = sum_v_bat = 0.0;
      n_avg = 0;
      mppt::PvSample s{m.v_pv_v, m.i_pv_a, m.v_bat_v, dt_ctrl};
      s.v_pv_v += static_cast<float>(noise.normal(0.0, options.noise_v_sigma));
      s.i_pv_a += static_cast<float>(noise.normal(0.0, options.noise_i_sigma));
      s.v_bat_v += static_cast<float>(noise.normal(0.0, options.noise_v_sigma));
      bool pause = false;
      if (controller.tracker != nullptr) {
        const mppt::TrackerCommand c = controller.tracker->step(s, applied);
        duty = c.duty;
        pause = c.pause_converter;
      } else {
        // Oracle: integral regulation of v_pv to the true MPP voltage (v_pv = v_bat / duty).
        const auto v_mpp = static_cast<float>(controller.oracle_v_mpp(t));
        duty *= 1.0f + 0.3f * (m.v_pv_v - v_mpp) / v_mpp;  // noise-free: the ceiling
        duty = std::clamp(duty, 0.02f, 0.97f);
      }
      a.duty = duty;
      a.pwm_enabled = !pause;
      // Synchronous rectification above 0.2 A of PV current (as fl4p's firmware), diode
      // emulation below, so a sweep from zero duty cannot pump the battery into the panel.
      a.low_side_enabled = controller.forced_ccm || m.i_pv_a > kSyncRectMinA;
      plant.actuate(a);
      applied = pause ? 0.0f : duty;
    }
    const double pv_before = plant.totals().pv_j;
    plant.step(t, h);
    const control::Measurements after = plant.measure();
    sum_v_pv += static_cast<double>(after.v_pv_v);
    sum_i_pv += static_cast<double>(after.i_pv_a);
    sum_v_bat += static_cast<double>(after.v_bat_v);
    ++n_avg;
    const double e_pv = plant.totals().pv_j - pv_before;
    const double e_avail = plant.signal("p_mpp") * h;
    for (std::size_t w = 0; w < windows.size(); ++w) {
      if (t >= windows[w].t0_s && t < windows[w].t1_s) {
        out[w].pv_j += e_pv;
        out[w].avail_j += e_avail;
        out[w].backfeed_j += e_pv < 0.0 ? -e_pv : 0.0;
      }
    }
  }
  return out;
}

}  // namespace powerstack::app::mppt_bench
