#include "sim/models/bms.hpp"

#include <algorithm>

namespace powerstack::sim {

BmsParams bms_params_from(const CellVoltageLimits& limits, double detection_delay_s) {
  BmsParams p;
  p.v_ov_v = limits.v_ov_v;
  p.v_ov_reset_v = limits.v_ov_reset_v;
  p.v_uv_v = limits.v_uv_v;
  p.v_uv_reset_v = limits.v_uv_reset_v;
  p.detection_delay_s = detection_delay_s;
  return p;
}

bool Bms::Detector::see(bool condition, double dt_s, double delay_s) {
  if (!condition) {
    pending = false;
    elapsed_s = 0.0;
    return false;
  }
  if (pending) {
    elapsed_s += std::max(dt_s, 0.0);
  } else {
    pending = true;
    elapsed_s = 0.0;
  }
  return elapsed_s >= delay_s;
}

bool Bms::update(std::span<const double> cell_v, double dt_s) {
  if (cell_v.empty()) {
    return open();
  }
  const auto [min_it, max_it] = std::minmax_element(cell_v.begin(), cell_v.end());
  const double v_min = *min_it;
  const double v_max = *max_it;

  if (ov_tripped_) {
    if (v_max < params_.v_ov_reset_v) {
      ov_tripped_ = false;
    }
  } else if (ov_.see(v_max > params_.v_ov_v, dt_s, params_.detection_delay_s)) {
    ov_tripped_ = true;
    ov_ = Detector{};
  }

  if (uv_tripped_) {
    if (v_min > params_.v_uv_reset_v) {
      uv_tripped_ = false;
    }
  } else if (uv_.see(v_min < params_.v_uv_v, dt_s, params_.detection_delay_s)) {
    uv_tripped_ = true;
    uv_ = Detector{};
  }
  return open();
}

void Bms::reset() {
  ov_tripped_ = false;
  uv_tripped_ = false;
  ov_ = Detector{};
  uv_ = Detector{};
}

}  // namespace powerstack::sim
