#include "powerstack/twin/status_json.hpp"

namespace powerstack::twin {

nlohmann::json trip_to_json(const TripRecord& t) {
  return {{"t_s", t.t_s}, {"reason", t.reason}, {"tripped", t.tripped}, {"value", t.value}};
}

nlohmann::json status_to_json(const DeviceStatus& s) {
  nlohmann::json cells = nlohmann::json::array();
  for (const CellStatus& c : s.cells) {
    cells.push_back(
        {{"index", c.index}, {"v_v", c.v_cell_v}, {"soc", c.soc}, {"balancing", c.balancing}});
  }
  nlohmann::json trips = nlohmann::json::array();
  for (const TripRecord& t : s.recent_trips) {
    trips.push_back(trip_to_json(t));
  }
  return {
      {"seq", s.seq},
      {"t_s", s.t_s},
      {"scenario", s.scenario},
      {"pv",
       {{"v_v", s.v_pv_v},
        {"i_a", s.i_pv_a},
        {"p_w", s.p_pv_w},
        {"v_mpp_v", s.v_mpp_v},
        {"p_mpp_w", s.p_mpp_w},
        {"irradiance_w_m2", s.irradiance_w_m2}}},
      {"battery",
       {{"v_v", s.v_bat_v},
        {"i_a", s.i_bat_a},
        {"p_w", s.p_bat_w},
        {"soc", s.soc},
        {"t_c", s.t_bat_c},
        {"connected", s.battery_connected}}},
      {"controller",
       {{"charge_state", s.charge_state},
        {"binding_limit", s.binding_limit},
        {"converter_on", s.converter_on},
        {"duty", s.duty},
        {"t_heatsink_c", s.t_heatsink_c},
        {"last_trip", s.last_trip},
        {"trips", s.trips}}},
      {"energy",
       {{"pv_today_wh", s.pv_today_wh},
        {"pv_total_wh", s.pv_total_wh},
        {"bat_in_today_wh", s.bat_in_today_wh},
        {"bat_out_today_wh", s.bat_out_today_wh},
        {"bat_in_total_wh", s.bat_in_total_wh},
        {"bat_out_total_wh", s.bat_out_total_wh}}},
      {"cells", cells},
      {"trips", trips},
  };
}

}  // namespace powerstack::twin
