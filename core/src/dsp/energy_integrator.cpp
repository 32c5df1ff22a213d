#include "powerstack/dsp/energy_integrator.hpp"

#include <cmath>

namespace powerstack::dsp {

namespace {

struct SplitArea {
  float positive = 0.0f;
  float negative = 0.0f;  // magnitude of the area below zero
};

// Area under the line from a to b over dt, split at its zero crossing.
SplitArea trapezoid_split(float a, float b, float dt_s) {
  SplitArea area;
  if (a >= 0.0f && b >= 0.0f) {
    area.positive = 0.5f * (a + b) * dt_s;
  } else if (a <= 0.0f && b <= 0.0f) {
    area.negative = -0.5f * (a + b) * dt_s;
  } else {
    const float t_cross_s = dt_s * a / (a - b);
    const float first = 0.5f * a * t_cross_s;
    const float second = 0.5f * b * (dt_s - t_cross_s);
    area.positive = a > 0.0f ? first : second;
    area.negative = a > 0.0f ? -second : -first;
  }
  return area;
}

}  // namespace

Status EnergyIntegrator::add(std::uint64_t t_us, float v_v, float i_a) {
  if (!std::isfinite(v_v) || !std::isfinite(i_a)) {
    ++rejected_;
    return Status::kInvalidArgument;
  }
  if (have_last_ && t_us <= last_t_us_) {
    ++rejected_;
    return Status::kOutOfOrder;
  }
  Status status = Status::kOk;
  if (have_last_) {
    const float dt_s = static_cast<float>(t_us - last_t_us_) * 1e-6f;
    if (dt_s > config_.max_gap_s) {
      ++gaps_;
    } else {
      const SplitArea q = trapezoid_split(last_i_a_, i_a, dt_s);
      const SplitArea e = trapezoid_split(last_v_v_ * last_i_a_, v_v * i_a, dt_s);
      // Each total refuses an increment that would overflow it; only physically absurd
      // inputs get there (e.g. a mis-scaled sensor), and they are counted, not wrapped.
      bool added = charge_in_.add(q.positive);
      added = charge_out_.add(q.negative) && added;
      added = energy_in_.add(e.positive) && added;
      added = energy_out_.add(e.negative) && added;
      added = integrated_time_.add(dt_s) && added;
      if (!added) {
        ++rejected_;
        status = Status::kOutOfRange;
      }
    }
  }
  last_t_us_ = t_us;
  last_v_v_ = v_v;
  last_i_a_ = i_a;
  have_last_ = true;
  return status;
}

EnergyIntegrator::Totals EnergyIntegrator::totals() const {
  return {charge_in_.quanta(), charge_out_.quanta(), energy_in_.quanta(), energy_out_.quanta()};
}

void EnergyIntegrator::restore(const Totals& totals) {
  charge_in_.restore(totals.charge_in_uc);
  charge_out_.restore(totals.charge_out_uc);
  energy_in_.restore(totals.energy_in_uj);
  energy_out_.restore(totals.energy_out_uj);
}

}  // namespace powerstack::dsp
