// DeviceTimePacer: "every period_s of device time" for outputs fed from the twin's snapshots
// (one VE.Direct block a second, one MQTT state message every N seconds). Snapshots arrive at
// the twin's pace, not on the period's grid: due() fires at the first snapshot at or after
// each grid point and, when the twin runs faster than the period (--speed 60), fires once for
// every skipped grid point together, so an output never bursts to catch up.
#pragma once

#include <cmath>

namespace powerstack::twin {

class DeviceTimePacer {
 public:
  explicit DeviceTimePacer(double period_s) : period_s_(period_s > 0.0 ? period_s : 1.0) {}

  // True when t_s has reached the next grid point (the first call is always due).
  bool due(double t_s) {
    if (!std::isfinite(t_s)) {
      return false;
    }
    // A sampler at exactly the period may land a rounding error short of the grid point.
    if (started_ && t_s < next_s_ - kSlack * period_s_) {
      return false;
    }
    started_ = true;
    next_s_ = (std::floor(t_s / period_s_ + kSlack) + 1.0) * period_s_;
    return true;
  }

  [[nodiscard]] double period_s() const { return period_s_; }

 private:
  static constexpr double kSlack = 1e-6;  // of a period
  double period_s_;
  double next_s_ = 0.0;
  bool started_ = false;
};

}  // namespace powerstack::twin
