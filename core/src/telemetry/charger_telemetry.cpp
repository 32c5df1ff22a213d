#include "powerstack/telemetry/charger_telemetry.hpp"

#include <cmath>

namespace powerstack::telemetry {

namespace {

constexpr double kUjPerWh = 3.6e9;

dsp::ImpedanceEstimator make_estimator() {
  dsp::ImpedanceEstimator::Config c;
  c.min_delta_i_a = 0.05f;
  c.min_excitation_a2 = 0.5f;
  const auto r = dsp::ImpedanceEstimator::create(c);
  return r.ok() ? r.value() : dsp::ImpedanceEstimator{};
}

PortNoise noise(const dsp::WindowStats<ChargerTelemetry::kWindow>& v,
                const dsp::WindowStats<ChargerTelemetry::kWindow>& i) {
  return {v.stddev(), v.peak_to_peak(), i.stddev(), i.peak_to_peak()};
}

double wh(std::int64_t uj) {
  return static_cast<double>(uj) / kUjPerWh;
}

}  // namespace

ChargerTelemetry::ChargerTelemetry(float night_s)
    : night_s_(night_s), pv_r_(make_estimator()), bat_r_(make_estimator()) {}

void ChargerTelemetry::update(const control::Measurements& m,
                              const charger::ChargeController& controller, float dt_s) {
  const float dt = std::isfinite(dt_s) && dt_s > 0.0f ? dt_s : 0.0f;
  t_us_ += static_cast<std::uint64_t>(std::lround(static_cast<double>(dt) * 1e6));

  // Sunrise: the panel above the battery after a night of at least night_s.
  const bool dark = m.v_pv_v < m.v_bat_v;
  if (!dark && dark_s_ >= night_s_) {
    pv_at_sunrise_ = pv_energy_.totals();
    bat_at_sunrise_ = bat_energy_.totals();
    ++snap_.day;
  }
  dark_s_ = dark ? dark_s_ + dt : 0.0f;

  (void)pv_energy_.add(t_us_, m.v_pv_v, m.i_pv_a);
  (void)bat_energy_.add(t_us_, m.v_bat_v, m.i_bat_a);
  const dsp::EnergyIntegrator::Totals pv = pv_energy_.totals();
  const dsp::EnergyIntegrator::Totals bat = bat_energy_.totals();
  // The panel delivers: its energy is the "in" direction of i_pv (into the converter).
  snap_.pv_total_wh = wh(pv.energy_in_uj);
  snap_.pv_today_wh = wh(pv.energy_in_uj - pv_at_sunrise_.energy_in_uj);
  snap_.bat_in_total_wh = wh(bat.energy_in_uj);
  snap_.bat_out_total_wh = wh(bat.energy_out_uj);
  snap_.bat_in_today_wh = wh(bat.energy_in_uj - bat_at_sunrise_.energy_in_uj);
  snap_.bat_out_today_wh = wh(bat.energy_out_uj - bat_at_sunrise_.energy_out_uj);

  (void)v_pv_.update(m.v_pv_v);
  (void)i_pv_.update(m.i_pv_a);
  (void)v_bat_.update(m.v_bat_v);
  (void)i_bat_.update(m.i_bat_a);
  snap_.pv = noise(v_pv_, i_pv_);
  snap_.bat = noise(v_bat_, i_bat_);

  // Passive sign at each device: current into the panel is -i_pv.
  if (have_last_) {
    (void)pv_r_.add_pair(-(m.i_pv_a - last_.i_pv_a), m.v_pv_v - last_.v_pv_v);
    (void)bat_r_.add_pair(m.i_bat_a - last_.i_bat_a, m.v_bat_v - last_.v_bat_v);
  }
  last_ = m;
  have_last_ = true;
  const auto pv_r = pv_r_.estimate();
  const auto bat_r = bat_r_.estimate();
  snap_.pv_r_ready = pv_r.ok();
  snap_.pv_r_ohm = pv_r.ok() ? pv_r.value().r_ohm : 0.0f;
  snap_.bat_r_ready = bat_r.ok();
  snap_.bat_r_ohm = bat_r.ok() ? bat_r.value().r_ohm : 0.0f;

  snap_.charge_state = controller.charger().state();
  snap_.binding = controller.converter().binding();
  const protection::TripLog& log = controller.protection().log();
  snap_.trips = log.total();
  snap_.last_trip = log.size() > 0 ? log.at(log.size() - 1).reason : protection::TripReason::kNone;
}

}  // namespace powerstack::telemetry
