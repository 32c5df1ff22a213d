// ChargerTelemetry: the data the dashboard, MQTT and VE.Direct publish for one charger, kept
// up to date from the measurements and the controller every tick.
//   - energy: PV and battery energy counters, today and total (dsp::EnergyIntegrator, over
//     the real elapsed time). "Today" starts at sunrise: the first time the panel is above
//     the battery after at least `night_s` below it (the core has no calendar);
//   - noise: sigma and peak-to-peak of U and I at both ports over the last kWindow ticks
//     (dsp::WindowStats);
//   - impedance: the panel's dynamic resistance and the battery's internal resistance by RLS
//     on tick-to-tick changes (dsp::ImpedanceEstimator; not ready without excitation);
//   - state: charge state, binding limit, last trip reason and the trip count.
// Sign convention as in control/plant_io.hpp. No heap; time arrives as dt_s.
#pragma once

#include <cstdint>

#include "powerstack/charger/charge_controller.hpp"
#include "powerstack/dsp/energy_integrator.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"
#include "powerstack/dsp/window_stats.hpp"

namespace powerstack::telemetry {

struct PortNoise {
  float v_sigma_v = 0.0f;
  float v_p2p_v = 0.0f;
  float i_sigma_a = 0.0f;
  float i_p2p_a = 0.0f;
};

struct ChargerSnapshot {
  double pv_today_wh = 0.0;
  double pv_total_wh = 0.0;
  double bat_in_today_wh = 0.0;   // charged into the battery
  double bat_out_today_wh = 0.0;  // taken from it (bus load at night)
  double bat_in_total_wh = 0.0;
  double bat_out_total_wh = 0.0;
  std::uint32_t day = 0;  // sunrises seen
  PortNoise pv;
  PortNoise bat;
  bool pv_r_ready = false;
  float pv_r_ohm = 0.0f;  // dynamic resistance of the panel at its operating point
  bool bat_r_ready = false;
  float bat_r_ohm = 0.0f;
  charger::ChargeState charge_state = charger::ChargeState::kBulk;
  charger::BindingLimit binding = charger::BindingLimit::kNone;
  protection::TripReason last_trip = protection::TripReason::kNone;
  std::uint32_t trips = 0;
};

class ChargerTelemetry {
 public:
  static constexpr std::size_t kWindow = 64;

  explicit ChargerTelemetry(float night_s = 3600.0f);

  void update(const control::Measurements& m, const charger::ChargeController& controller,
              float dt_s);
  [[nodiscard]] const ChargerSnapshot& snapshot() const { return snap_; }

 private:
  float night_s_;
  std::uint64_t t_us_ = 0;
  float dark_s_ = 0.0f;
  bool have_last_ = false;
  control::Measurements last_{};
  dsp::EnergyIntegrator pv_energy_;
  dsp::EnergyIntegrator bat_energy_;
  dsp::EnergyIntegrator::Totals pv_at_sunrise_{};
  dsp::EnergyIntegrator::Totals bat_at_sunrise_{};
  dsp::WindowStats<kWindow> v_pv_;
  dsp::WindowStats<kWindow> i_pv_;
  dsp::WindowStats<kWindow> v_bat_;
  dsp::WindowStats<kWindow> i_bat_;
  dsp::ImpedanceEstimator pv_r_;
  dsp::ImpedanceEstimator bat_r_;
  ChargerSnapshot snap_{};
};

}  // namespace powerstack::telemetry
