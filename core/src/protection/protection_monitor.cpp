#include "powerstack/protection/protection_monitor.hpp"

#include <cmath>

namespace powerstack::protection {

namespace {

float derate(float t_c, float start_c, float max_c) {
  if (!(max_c > start_c) || t_c <= start_c) {
    return 1.0f;
  }
  const float s = (max_c - t_c) / (max_c - start_c);
  return s < 0.0f ? 0.0f : s;
}

}  // namespace

void ProtectionMonitor::configure(const ProtectionConfig& config) {
  config_ = config;
  sensors_.configure(config.sensors);
  sensors_.reset();
  for (Guard& g : guards_) {
    g = Guard{};
  }
}

bool ProtectionMonitor::active(TripReason reason) const {
  const auto k = static_cast<int>(reason);
  return k > 0 && k < kReasons && guards_[k].tripped;
}

float ProtectionMonitor::retry_delay_s(const Guard& g) const {
  float d = config_.retry_s;
  for (int k = 1; k < g.repeats && d < config_.retry_max_s; ++k) {
    d *= 2.0f;
  }
  return d < config_.retry_max_s ? d : config_.retry_max_s;
}

void ProtectionMonitor::evaluate(TripReason reason, bool trip, bool release, float value,
                                 float dt_s) {
  Guard& g = guards_[static_cast<int>(reason)];
  g.quiet_s += dt_s;
  if (g.quiet_s >= config_.forgive_s) {
    g.repeats = 0;
  }
  if (!g.tripped) {
    if (trip) {
      g.tripped = true;
      g.release_s = 0.0f;
      g.quiet_s = 0.0f;
      g.repeats = g.repeats < 255 ? static_cast<std::uint8_t>(g.repeats + 1) : g.repeats;
      log_.add({uptime_ms_, reason, true, value});
    }
    return;
  }
  g.release_s = release ? g.release_s + dt_s : 0.0f;
  if (g.release_s >= retry_delay_s(g)) {
    g.tripped = false;
    log_.add({uptime_ms_, reason, false, value});
  }
}

ProtectionVerdict ProtectionMonitor::update(const control::Measurements& m, bool running,
                                            float duty, float dt_s) {
  const float dt = std::isfinite(dt_s) && dt_s > 0.0f ? dt_s : 0.0f;
  // Milliseconds since start-up without drift: carry the fraction.
  ms_fraction_ += dt * 1000.0f;
  const auto whole = static_cast<std::uint32_t>(ms_fraction_);
  uptime_ms_ += whole;
  ms_fraction_ -= static_cast<float>(whole);

  const ProtectionConfig& c = config_;
  using R = TripReason;

  // Sensors first: with a broken reading the other checks below mean nothing.
  const SensorVerdict s = sensors_.update(m, running, duty, dt);
  evaluate(R::kSensorImplausible, s.reason == R::kSensorImplausible, s.reason == R::kNone, s.value,
           dt);
  evaluate(R::kSensorSaturated, s.reason == R::kSensorSaturated, s.reason == R::kNone, s.value, dt);
  evaluate(R::kSensorStuck, s.reason == R::kSensorStuck, true, s.value, dt);

  evaluate(R::kInputOverVoltage, m.v_pv_v > c.v_in_max_v, m.v_pv_v < c.v_in_max_release_v, m.v_pv_v,
           dt);
  evaluate(R::kInputUnderVoltage, m.v_pv_v<c.v_in_min_v, m.v_pv_v> c.v_in_min_release_v, m.v_pv_v,
           dt);
  const bool out_ov_release = m.v_bat_v < c.v_out_max_release_v;
  evaluate(R::kOutputOverVoltage, c.v_out_max_v > 0.0f && m.v_bat_v > c.v_out_max_v, out_ov_release,
           m.v_bat_v, dt);
  evaluate(R::kOutputOverVoltageFast, m.v_bat_trip_latched, out_ov_release && !m.v_bat_trip_latched,
           m.v_bat_v, dt);
  evaluate(R::kOutputOverCurrent, m.i_bat_a > c.i_out_max_a, m.i_bat_a < c.i_out_max_a, m.i_bat_a,
           dt);
  evaluate(R::kOutputShort, running && c.v_out_short_v > 0.0f && m.v_bat_v < c.v_out_short_v, true,
           m.v_bat_v, dt);
  backfeed_s_ = m.i_pv_a < -c.i_backfeed_a ? backfeed_s_ + dt : 0.0f;
  const bool backfeed = backfeed_s_ >= c.backfeed_s || m.i_pv_trip_latched;
  const bool backfeed_gone = m.i_pv_a > -0.5f * c.i_backfeed_a && !m.i_pv_trip_latched;
  evaluate(R::kPvBackfeed, backfeed, backfeed_gone, m.i_pv_a, dt);
  evaluate(R::kInputShort, running && m.v_pv_v < c.v_in_short_v, true, m.v_pv_v, dt);
  const bool hot = m.t_fet_c > c.t_fet_max_c || m.t_coil_c > c.t_coil_max_c;
  const bool cooled =
      m.t_fet_c < c.t_fet_max_c - c.t_release_k && m.t_coil_c < c.t_coil_max_c - c.t_release_k;
  evaluate(R::kOverTemperature, hot, cooled, m.t_fet_c > m.t_coil_c ? m.t_fet_c : m.t_coil_c, dt);

  // The reason reported when several are active: broken sensors first (they may cause the
  // others), then the output, then the input.
  static constexpr TripReason kPriority[] = {
      R::kSensorImplausible, R::kSensorSaturated,  R::kSensorStuck,       R::kOutputOverVoltageFast,
      R::kOutputOverVoltage, R::kOutputShort,      R::kOutputOverCurrent, R::kInputShort,
      R::kPvBackfeed,        R::kInputOverVoltage, R::kOverTemperature,   R::kInputUnderVoltage,
  };
  ProtectionVerdict v;
  v.allow = true;
  for (TripReason r : kPriority) {
    if (guards_[static_cast<int>(r)].tripped) {
      v.allow = false;
      v.blocking = r;
      break;
    }
  }
  const float s_fet = derate(m.t_fet_c, c.t_fet_derate_c, c.t_fet_max_c);
  const float s_coil = derate(m.t_coil_c, c.t_coil_derate_c, c.t_coil_max_c);
  v.current_scale = s_fet < s_coil ? s_fet : s_coil;
  return v;
}

}  // namespace powerstack::protection
