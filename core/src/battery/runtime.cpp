#include "powerstack/battery/runtime.hpp"

#include <cmath>
#include <limits>

namespace powerstack::battery {

void RuntimeEstimator::update(float dt_s, float i_a) {
  if (!std::isfinite(i_a) || !(dt_s >= 0.0f)) {
    return;
  }
  if (!started_) {
    i_avg_a_ = -i_a;
    started_ = true;
    return;
  }
  i_avg_a_ += -std::expm1(-dt_s / tau_s_) * (-i_a - i_avg_a_);
}

float RuntimeEstimator::remaining_s(float soc, float capacity_ah) const {
  if (!(i_avg_a_ > 0.0f)) {
    return std::numeric_limits<float>::infinity();
  }
  return soc * capacity_ah * 3600.0f / i_avg_a_;
}

}  // namespace powerstack::battery
