// RuntimeEstimator: remaining runtime at the recent average load. The discharge current is
// averaged with an exponential window (tau_s, e.g. one hour, so a Wi-Fi burst or a sleep
// period does not swing it); remaining = SOC x capacity / average discharge current.
#pragma once

#include "powerstack/battery/cell_model.hpp"

namespace powerstack::battery {

class RuntimeEstimator {
 public:
  explicit RuntimeEstimator(float tau_s = 3600.0f) : tau_s_(tau_s) {}

  // i_a: current into the cell (discharge negative). Non-finite values are ignored. The first
  // sample sets the average.
  void update(float dt_s, float i_a);
  [[nodiscard]] float average_discharge_a() const { return i_avg_a_; }
  // Seconds left from `soc` (0..1) of `capacity_ah`; +infinity when the cell is not being
  // discharged on average (average discharge <= 0).
  [[nodiscard]] float remaining_s(float soc, float capacity_ah) const;

 private:
  float tau_s_;
  float i_avg_a_ = 0.0f;
  bool started_ = false;
};

}  // namespace powerstack::battery
