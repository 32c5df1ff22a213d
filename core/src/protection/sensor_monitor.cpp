#include "powerstack/protection/sensor_monitor.hpp"

#include <cmath>

namespace powerstack::protection {

namespace {

constexpr float kVMinV = -2.0f;   // below: a broken divider or reference
constexpr float kTMinC = -55.0f;  // an open NTC reads colder than any weather
constexpr float kTMaxC = 200.0f;  // a shorted NTC reads hotter than any working part

bool saturated(float value, float full_scale) {
  return full_scale > 0.0f && std::fabs(value) >= 0.995f * full_scale;
}

}  // namespace

void SensorMonitor::reset() {
  for (Track& t : tracks_) {
    t = Track{};
  }
  excess_s_ = 0.0f;
}

bool SensorMonitor::stuck(Track& t, float value, bool running, float duty, float dt_s) const {
  if (!running || !t.have || value != t.last) {
    t = Track{value, 0.0f, duty, duty, true};
    return false;
  }
  t.unchanged_s += dt_s;
  t.duty_min = duty < t.duty_min ? duty : t.duty_min;
  t.duty_max = duty > t.duty_max ? duty : t.duty_max;
  return t.unchanged_s >= limits_.stuck_s && t.duty_max - t.duty_min >= limits_.duty_moved;
}

SensorVerdict SensorMonitor::update(const control::Measurements& m, bool running, float duty,
                                    float dt_s) {
  const float ports[4] = {m.v_pv_v, m.i_pv_a, m.v_bat_v, m.i_bat_a};
  const float temps[3] = {m.t_fet_c, m.t_coil_c, m.t_bat_c};
  for (float v : ports) {
    if (!std::isfinite(v)) {
      return {TripReason::kSensorImplausible, v};
    }
  }
  for (float t : temps) {
    if (!std::isfinite(t) || t < kTMinC || t > kTMaxC) {
      return {TripReason::kSensorImplausible, t};
    }
  }
  if (m.v_pv_v < kVMinV || m.v_bat_v < kVMinV) {
    return {TripReason::kSensorImplausible, m.v_pv_v < kVMinV ? m.v_pv_v : m.v_bat_v};
  }
  const float fs[4] = {limits_.v_in_fs_v, limits_.i_in_fs_a, limits_.v_out_fs_v,
                       limits_.i_out_fs_a};
  for (int k = 0; k < 4; ++k) {
    if (saturated(ports[k], fs[k])) {
      return {TripReason::kSensorSaturated, ports[k]};
    }
  }
  // The battery sensor sees the converter's output minus the bus load: never more than in.
  const float p_in = m.v_pv_v * m.i_pv_a;
  const float p_out = m.v_bat_v * m.i_bat_a;
  excess_s_ = running && p_out > 1.1f * p_in + limits_.power_excess_w ? excess_s_ + dt_s : 0.0f;
  if (excess_s_ >= limits_.power_excess_s) {
    return {TripReason::kSensorImplausible, p_out};
  }
  for (int k = 0; k < 4; ++k) {
    if (stuck(tracks_[k], ports[k], running, duty, dt_s)) {
      return {TripReason::kSensorStuck, ports[k]};
    }
  }
  return {};
}

}  // namespace powerstack::protection
