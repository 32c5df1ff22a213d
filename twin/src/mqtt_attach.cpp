#include "powerstack/twin/mqtt_attach.hpp"

#include <mutex>
#include <utility>

#include "powerstack/twin/device_runner.hpp"
#include "powerstack/twin/settings_service.hpp"
#include "powerstack/twin/status_json.hpp"
#include "powerstack/twin/token_auth.hpp"

namespace powerstack::twin {

std::unique_ptr<MqttBridge> attach_mqtt(const MqttOptions& options, DeviceRunner& runner,
                                        SettingsService& settings, TokenAuth& auth,
                                        std::ostream& log, std::string& error) {
  auto check_token = [&auth](std::string_view token) {
    switch (auth.check("mqtt", "Bearer " + std::string(token)).verdict) {
      case TokenAuth::Verdict::kOk:
        return CommandAuth::kOk;
      case TokenAuth::Verdict::kRateLimited:
        return CommandAuth::kRateLimited;
      case TokenAuth::Verdict::kUnauthorized:
        break;
    }
    return CommandAuth::kUnauthorized;
  };
  auto apply = [&settings](std::string_view body) {
    SettingsService::Result r = settings.apply(body);
    return CommandReply{r.status, std::move(r.body)};
  };
  auto handler = [check_token, apply](std::string_view payload) {
    return handle_settings_command(payload, check_token, apply);
  };
  auto log_line = [&log](const std::string& line) {
    static std::mutex mutex;
    const std::lock_guard<std::mutex> lock(mutex);
    log << line << std::endl;
  };
  auto bridge = MqttBridge::create(options, handler, log_line, error);
  if (!bridge || !bridge->start(error)) {
    return nullptr;
  }
  MqttBridge* b = bridge.get();
  runner.add_sampler(options.state_period_s, [b](const DeviceStatus& s) {
    b->publish_state(s.t_s, status_to_json(s).dump());
  });
  return bridge;
}

}  // namespace powerstack::twin
