#include "powerstack/twin/mqtt_topics.hpp"

#include <nlohmann/json.hpp>

namespace powerstack::twin {

namespace {

using nlohmann::json;

struct Sensor {
  const char* component;  // "sensor" or "binary_sensor"
  const char* object_id;
  const char* name;
  const char* value_template;
  const char* device_class;  // "" for none
  const char* unit;          // "" for none
  const char* state_class;   // "" for none
  bool diagnostic;
};

// The main sensors; the templates read the status JSON of docs/twin-api.md.
constexpr Sensor kSensors[] = {
    {"sensor", "pv_power", "PV power", "{{ value_json.pv.p_w }}", "power", "W", "measurement",
     false},
    {"sensor", "pv_voltage", "PV voltage", "{{ value_json.pv.v_v }}", "voltage", "V", "measurement",
     false},
    {"sensor", "pv_current", "PV current", "{{ value_json.pv.i_a }}", "current", "A", "measurement",
     false},
    {"sensor", "battery_voltage", "Battery voltage", "{{ value_json.battery.v_v }}", "voltage", "V",
     "measurement", false},
    {"sensor", "battery_current", "Battery current", "{{ value_json.battery.i_a }}", "current", "A",
     "measurement", false},
    {"sensor", "battery_power", "Battery power", "{{ value_json.battery.p_w }}", "power", "W",
     "measurement", false},
    {"sensor", "battery_soc", "Battery state of charge",
     "{{ (value_json.battery.soc * 100) | round(1) }}", "battery", "%", "measurement", false},
    {"sensor", "battery_temperature", "Battery temperature", "{{ value_json.battery.t_c }}",
     "temperature", "°C", "measurement", false},
    {"sensor", "charge_state", "Charge state", "{{ value_json.controller.charge_state }}", "enum",
     "", "", false},
    {"sensor", "pv_energy_today", "PV energy today", "{{ value_json.energy.pv_today_wh }}",
     "energy", "Wh", "total_increasing", false},
    {"sensor", "pv_energy_total", "PV energy total", "{{ value_json.energy.pv_total_wh }}",
     "energy", "Wh", "total_increasing", false},
    {"sensor", "battery_energy_in_total", "Battery energy in",
     "{{ value_json.energy.bat_in_total_wh }}", "energy", "Wh", "total_increasing", false},
    {"sensor", "battery_energy_out_total", "Battery energy out",
     "{{ value_json.energy.bat_out_total_wh }}", "energy", "Wh", "total_increasing", false},
    {"sensor", "heatsink_temperature", "Heatsink temperature",
     "{{ value_json.controller.t_heatsink_c }}", "temperature", "°C", "measurement", true},
    {"sensor", "binding_limit", "Binding limit", "{{ value_json.controller.binding_limit }}", "",
     "", "", true},
    {"sensor", "last_trip", "Last trip", "{{ value_json.controller.last_trip }}", "", "", "", true},
    {"sensor", "trips", "Trips", "{{ value_json.controller.trips }}", "", "", "total_increasing",
     true},
    {"binary_sensor", "converter_on", "Converter running",
     "{{ 'ON' if value_json.controller.converter_on else 'OFF' }}", "running", "", "", true},
};

// The values "enum" sensors can take (DeviceStatus::charge_state).
const json kChargeStates = {"bulk", "absorption", "equalise", "float", "full", "inhibited"};

}  // namespace

std::string check_base_topic(std::string_view base) {
  if (base.empty()) {
    return "the MQTT base topic is empty";
  }
  if (base.size() > 200) {
    return "the MQTT base topic is longer than 200 bytes";
  }
  if (base.front() == '/' || base.back() == '/') {
    return "the MQTT base topic '" + std::string(base) + "' starts or ends with '/'";
  }
  for (const char c : base) {
    if (c == '+' || c == '#') {
      return "the MQTT base topic '" + std::string(base) + "' has a wildcard ('+' or '#')";
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "the MQTT base topic has a control character";
    }
  }
  return "";
}

std::string node_id_of(std::string_view base) {
  std::string id;
  for (const char c : base) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    id.push_back(ok ? c : '_');
  }
  return id;
}

std::vector<DiscoveryMessage> discovery_messages(const MqttTopics& topics,
                                                 std::string_view discovery_prefix,
                                                 const DeviceInfo& device) {
  const std::string node = node_id_of(topics.base);
  json device_block = {{"identifiers", json::array({node})},
                       {"name", device.name},
                       {"manufacturer", "powerstack"},
                       {"model", device.model}};
  if (!device.sw_version.empty()) {
    device_block["sw_version"] = device.sw_version;
  }
  std::vector<DiscoveryMessage> out;
  for (const Sensor& s : kSensors) {
    json config = {{"name", s.name},
                   {"unique_id", node + "_" + s.object_id},
                   {"object_id", node + "_" + s.object_id},
                   {"state_topic", topics.state},
                   {"value_template", s.value_template},
                   {"availability_topic", topics.availability},
                   {"payload_available", "online"},
                   {"payload_not_available", "offline"},
                   {"device", device_block}};
    if (*s.device_class != '\0') {
      config["device_class"] = s.device_class;
    }
    if (*s.unit != '\0') {
      config["unit_of_measurement"] = s.unit;
    }
    if (*s.state_class != '\0') {
      config["state_class"] = s.state_class;
    }
    if (std::string_view(s.device_class) == "enum") {
      config["options"] = kChargeStates;
    }
    if (s.diagnostic) {
      config["entity_category"] = "diagnostic";
    }
    out.push_back({std::string(discovery_prefix) + "/" + s.component + "/" + node + "/" +
                       s.object_id + "/config",
                   config.dump()});
  }
  return out;
}

}  // namespace powerstack::twin
