// DeviceStatus: one consistent snapshot of the twin's device (the controller firmware on its
// plant), the single data model that the HTTP API, server-sent events, MQTT, VE.Direct, the
// SQLite log and the display page all publish. Field names carry units; the JSON form (the
// same names, nested as below) is documented in docs/twin-api.md.
//
// Sign convention: i_bat_a > 0 charges the battery; i_pv_a >= 0 flows out of the panel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace powerstack::twin {

struct CellStatus {
  int index = 0;  // 1-based position in the string
  double v_cell_v = 0.0;
  double soc = 0.0;  // 0..1
  bool balancing = false;
};

struct TripRecord {
  double t_s = 0.0;     // device time of the event
  std::string reason;   // protection::to_string(TripReason), e.g. "output-over-voltage"
  bool tripped = true;  // false: the condition released
  double value = 0.0;   // the offending reading (V, A or C)
};

struct DeviceStatus {
  std::uint64_t seq = 0;  // increases with every snapshot
  double t_s = 0.0;       // device (simulated) time since the twin started
  std::string scenario;   // the scenario's name

  // PV input.
  double v_pv_v = 0.0;
  double i_pv_a = 0.0;
  double p_pv_w = 0.0;
  double v_mpp_v = 0.0;  // the panel's true maximum power point now (the plant knows it)
  double p_mpp_w = 0.0;
  double irradiance_w_m2 = 0.0;

  // Battery.
  double v_bat_v = 0.0;
  double i_bat_a = 0.0;
  double p_bat_w = 0.0;
  double soc = 0.0;  // 0..1, the pack (mean of the cells)
  double t_bat_c = 0.0;
  double t_heatsink_c = 0.0;
  bool battery_connected = true;

  // Controller.
  std::string charge_state;   // bulk | absorption | equalise | float | full | inhibited
  std::string binding_limit;  // none | mppt | soft-start | v-out | i-out | i-in | p-in | duty-max
  bool converter_on = false;
  double duty = 0.0;      // 0..1
  std::string last_trip;  // "none" or a trip reason
  std::uint32_t trips = 0;

  // Energy counters.
  double pv_today_wh = 0.0;
  double pv_total_wh = 0.0;
  double bat_in_today_wh = 0.0;
  double bat_out_today_wh = 0.0;
  double bat_in_total_wh = 0.0;
  double bat_out_total_wh = 0.0;

  std::vector<CellStatus> cells;         // every cell of the pack
  std::vector<TripRecord> recent_trips;  // newest last, at most 32
};

}  // namespace powerstack::twin
