// The MQTT topics of the twin and its Home Assistant discovery messages (docs/mqtt.md).
//
// <base>/state           the status JSON (docs/twin-api.md), retained, every N s device time
// <base>/availability    "online" / "offline" (retained; "offline" is also the last will)
// <base>/set/settings    settings commands (mqtt_command.hpp)
// <base>/set/result      their replies
// <prefix>/sensor/<node>/<object>/config and <prefix>/binary_sensor/...: discovery, retained
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace powerstack::twin {

struct MqttTopics {
  std::string base;  // e.g. "powerstack/twin"
  std::string state, availability, command, result;
  explicit MqttTopics(const std::string& base_topic)
      : base(base_topic),
        state(base_topic + "/state"),
        availability(base_topic + "/availability"),
        command(base_topic + "/set/settings"),
        result(base_topic + "/set/result") {}
};

// "" when `base` can be a base topic, else why not (empty, wildcards, leading or trailing
// '/', control characters, over 200 bytes).
std::string check_base_topic(std::string_view base);

// Home Assistant's node id from the base topic: [A-Za-z0-9_-], other characters become '_'.
std::string node_id_of(std::string_view base);

struct DiscoveryMessage {
  std::string topic;
  std::string payload;  // JSON
};

struct DeviceInfo {
  std::string name = "powerstack twin";
  std::string model = "powerstack MPPT charge controller (digital twin)";
  std::string sw_version;
};

// The discovery config of every published sensor, pointing at `topics`.
std::vector<DiscoveryMessage> discovery_messages(const MqttTopics& topics,
                                                 std::string_view discovery_prefix,
                                                 const DeviceInfo& device);

}  // namespace powerstack::twin
