// attach_mqtt: the MQTT bridge wired into a running twin (TwinApp). The state goes out from
// a device-time sampler of the runner (every options.state_period_s of device time, the JSON
// of GET /api/v1/status); commands are checked with the API's token (client address "mqtt",
// the API's rate limit) and applied through the settings service, as PUT /api/v1/settings.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "powerstack/twin/mqtt_bridge.hpp"

namespace powerstack::twin {

class DeviceRunner;
class SettingsService;
class TokenAuth;

// Before runner.start(). Null with `error` set when the options are unusable; a broker that
// is down is not an error (the bridge keeps trying). Log lines go to `log`.
std::unique_ptr<MqttBridge> attach_mqtt(const MqttOptions& options, DeviceRunner& runner,
                                        SettingsService& settings, TokenAuth& auth,
                                        std::ostream& log, std::string& error);

}  // namespace powerstack::twin
