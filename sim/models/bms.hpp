// Battery management system protection: opens the string (disconnect) when any cell crosses
// the over-voltage or under-voltage threshold, and closes it again only when every cell is
// back past the reset (hysteresis) threshold. This is seed 000's "sudden battery cut": the
// LiFePO4 BMS opens and the charger's output loses its battery.
//
// Sign convention: the BMS only reads cell voltages (V); currents are not involved. Seen
// from the string, open() means no current can flow (a single-switch BMS); a dual-FET BMS
// that blocks only charging on OV and only discharging on UV can be built on ov_tripped() /
// uv_tripped().
//
// Crossing: OV when max cell > v_ov_v, UV when min cell < v_uv_v. Detection delay: a
// condition must be seen continuously for detection_delay_s, counted from the first update
// that sees it (the dt_s of later updates add up); 0 trips on the first such update. Release:
// OV when max cell < v_ov_reset_v, UV when min cell > v_uv_reset_v (no delay).
#pragma once

#include <span>

#include "sim/models/battery_chemistry.hpp"

namespace powerstack::sim {

// LibreSolar bms-firmware's default cell_ov_delay_ms / cell_uv_delay_ms (2000 ms).
inline constexpr double kLibreSolarCellVoltageDelayS = 2.0;

struct BmsParams {
  double v_ov_v = 0.0;
  double v_ov_reset_v = 0.0;
  double v_uv_v = 0.0;
  double v_uv_reset_v = 0.0;
  double detection_delay_s = 0.0;
};

// The protection thresholds of a chemistry's limits (LiFePO4: OV 3.80 reset 3.40, UV 2.50
// reset 3.10; Li-ion/NMC: OV 4.25 reset 4.05, UV 3.00 reset 3.50).
BmsParams bms_params_from(const CellVoltageLimits& limits, double detection_delay_s = 0.0);

class Bms {
 public:
  explicit Bms(const BmsParams& params) : params_(params) {}

  // Feeds the cell voltages now and the time dt_s since the previous update; returns open().
  bool update(std::span<const double> cell_v, double dt_s);

  [[nodiscard]] bool open() const { return ov_tripped_ || uv_tripped_; }
  [[nodiscard]] bool ov_tripped() const { return ov_tripped_; }
  [[nodiscard]] bool uv_tripped() const { return uv_tripped_; }
  // Time an OV (UV) condition has been seen without tripping yet, 0 when none is pending.
  [[nodiscard]] double ov_pending_s() const { return ov_.elapsed_s; }
  [[nodiscard]] double uv_pending_s() const { return uv_.elapsed_s; }

  // Closes the string and forgets pending detections.
  void reset();

  [[nodiscard]] const BmsParams& params() const { return params_; }

 private:
  struct Detector {
    bool pending = false;
    double elapsed_s = 0.0;
    // Returns true when the condition has now lasted for delay_s.
    bool see(bool condition, double dt_s, double delay_s);
  };

  BmsParams params_;
  bool ov_tripped_ = false;
  bool uv_tripped_ = false;
  Detector ov_;
  Detector uv_;
};

}  // namespace powerstack::sim
