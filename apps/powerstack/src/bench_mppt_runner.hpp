// Internals of the MPPT benchmark: the closed loop of one tracker on one plant.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "powerstack/app/bench_mppt.hpp"
#include "powerstack/mppt/tracker.hpp"
#include "sim/systems/solar_charger.hpp"

namespace powerstack::app::mppt_bench {

// A window [t0_s, t1_s) over which energies are counted.
struct Window {
  double t0_s = 0.0;
  double t1_s = 0.0;
};

struct WindowEnergy {
  double pv_j = 0.0;        // at the PV terminals
  double avail_j = 0.0;     // integral of the instantaneous (global) MPP power
  double backfeed_j = 0.0;  // energy into the panel (steps with negative PV energy)
  [[nodiscard]] double efficiency() const { return avail_j > 0.0 ? pv_j / avail_j : 0.0; }
};

// The controller: a core tracker, or (tracker == nullptr) the oracle, which regulates the
// PV voltage to oracle_v_mpp(t).
struct Controller {
  mppt::Tracker* tracker = nullptr;
  double period_s = 5e-3;
  std::function<double(double t_s)> oracle_v_mpp;
  // The low side always switches (forced CCM); else synchronous rectification only above
  // 0.2 A of PV current and diode emulation below.
  bool forced_ccm = false;
};

// Runs the plant for duration_s with the controller at its period; `at_time` (may be
// empty) is called before the step at every whole second, for events such as shading.
std::vector<WindowEnergy> run_closed_loop(const Controller& controller,
                                          sim::SolarChargerPlant& plant, double duration_s,
                                          const std::vector<Window>& windows,
                                          const MpptBenchOptions& options,
                                          const std::function<void(double t_s)>& at_time = {});

// The EN 50530 c-Si generator of the benchmark (600 W, V_MPP 60 V at STC, 25 C) on a stiff
// 8-cell LiFePO4 bank, with the given irradiance profile.
sim::SolarChargerConfig en50530_plant(const sim::TimeSeriesProfile& irradiance);
// Two 72-cell modules (6 substrings with bypass diodes) at 1000 W/m2 on the same bank.
sim::SolarChargerConfig shaded_string_plant();

}  // namespace powerstack::app::mppt_bench
