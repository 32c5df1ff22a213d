#include "device.hpp"

#include <cctype>

namespace powerstack::twin {

std::string slug(const char* name) {
  std::string out;
  for (const char* p = name; p != nullptr && *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (std::isalnum(c) != 0) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') {
    out.pop_back();
  }
  return out;
}

const char* binding_name(charger::BindingLimit limit) {
  switch (limit) {
    case charger::BindingLimit::kNone:
      return "none";
    case charger::BindingLimit::kMppt:
      return "mppt";
    case charger::BindingLimit::kSoftStart:
      return "soft-start";
    case charger::BindingLimit::kVout:
      return "v-out";
    case charger::BindingLimit::kIout:
      return "i-out";
    case charger::BindingLimit::kIin:
      return "i-in";
    case charger::BindingLimit::kPin:
      return "p-in";
    case charger::BindingLimit::kDutyMax:
      return "duty-max";
  }
  return "none";
}

std::vector<TripRecord> DeviceRunner::Device::collect_trips() {
  std::vector<TripRecord> fresh;
  const protection::TripLog& log = firmware->controller().protection().log();
  const std::uint32_t total = log.total();
  if (total < trips_seen) {
    trips_seen = 0;  // the controller restarted: a new log
  }
  // The log keeps the newest kCapacity events; older unseen ones are gone.
  const std::uint32_t kept = static_cast<std::uint32_t>(log.size());
  const std::uint32_t first_kept = total - kept;
  for (std::uint32_t n = std::max(trips_seen, first_kept); n < total; ++n) {
    const protection::TripEvent& e = log.at(n - first_kept);
    fresh.push_back({static_cast<double>(e.t_ms) / 1000.0, slug(protection::to_string(e.reason)),
                     e.tripped, static_cast<double>(e.value)});
  }
  trips_seen = total;
  for (const TripRecord& t : fresh) {
    recent_trips.push_back(t);
    if (recent_trips.size() > 32) {
      recent_trips.pop_front();
    }
  }
  return fresh;
}

DeviceStatus DeviceRunner::Device::snapshot() {
  const sim::SolarChargerPlant& p = *plant;
  const telemetry::ChargerSnapshot& t = telemetry.snapshot();
  const control::Measurements m = p.measure();
  DeviceStatus s;
  s.seq = ++seq;
  s.t_s = simulation->time_s();
  s.scenario = scenario.name;
  s.v_pv_v = p.signal("v_pv");
  s.i_pv_a = p.signal("i_pv");
  s.p_pv_w = p.signal("p_pv");
  s.v_mpp_v = p.v_mpp_v();
  s.p_mpp_w = p.signal("p_mpp");
  s.irradiance_w_m2 = p.signal("irradiance");
  s.v_bat_v = p.signal("v_bat");
  s.i_bat_a = p.signal("i_bat");
  s.p_bat_w = s.v_bat_v * s.i_bat_a;
  s.t_bat_c = static_cast<double>(m.t_bat_c);
  s.t_heatsink_c = p.signal("t_fet");
  s.battery_connected = p.battery_connected();
  s.charge_state = charger::to_string(t.charge_state);
  s.binding_limit = binding_name(t.binding);
  s.converter_on = last_actuation.pwm_enabled;
  s.duty = last_actuation.pwm_enabled ? static_cast<double>(last_actuation.duty) : 0.0;
  s.last_trip = slug(protection::to_string(t.last_trip));
  s.trips = trip_base + t.trips;
  s.pv_today_wh = t.pv_today_wh;
  s.pv_total_wh = t.pv_total_wh;
  s.bat_in_today_wh = t.bat_in_today_wh;
  s.bat_out_today_wh = t.bat_out_today_wh;
  s.bat_in_total_wh = t.bat_in_total_wh;
  s.bat_out_total_wh = t.bat_out_total_wh;
  const sim::BatteryString& bat = p.battery();
  double soc_sum = 0.0;
  for (std::size_t k = 0; k < bat.size(); ++k) {
    const double soc = bat.cell(k).soc();
    soc_sum += soc;
    s.cells.push_back({static_cast<int>(k + 1),
                       bat.cell_voltage_v(k, p.battery_connected() ? s.i_bat_a : 0.0, s.t_bat_c),
                       soc, false});
  }
  s.soc = bat.size() > 0 ? soc_sum / static_cast<double>(bat.size()) : 0.0;
  s.recent_trips.assign(recent_trips.begin(), recent_trips.end());
  return s;
}

PvCurve DeviceRunner::Device::pv_curve() const {
  PvCurve c;
  const double voc = plant->panel_voc_v();
  constexpr int kPoints = 64;
  for (int k = 0; k <= kPoints; ++k) {
    const double v = voc * k / kPoints;
    c.points.push_back({v, std::max(0.0, plant->panel_current_a(v))});
  }
  c.operating_point = {plant->signal("v_pv"), plant->signal("i_pv")};
  return c;
}

}  // namespace powerstack::twin
