// libFuzzer target: the MQTT settings command envelope (twin/mqtt_command.hpp) on arbitrary
// payloads, and the same bytes as a --mqtt HOST:PORT argument and as a base topic. Checked: the
// reply is always a JSON object carrying its status; the settings service is reached only with the
// right token, and then with a JSON object that the payload's "settings" held; a reply never
// contains the token it was given; an accepted address has a port in 1..65535 and a non-empty host.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "powerstack/twin/mqtt_bridge.hpp"
#include "powerstack/twin/mqtt_command.hpp"
#include "powerstack/twin/mqtt_topics.hpp"

namespace {

constexpr std::string_view kToken = "fuzz-token-0123456789";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace tw = powerstack::twin;
  const std::string payload(reinterpret_cast<const char*>(data), size);
  bool token_ok = false;
  bool applied = false;
  const tw::CommandReply reply = tw::handle_settings_command(
      payload,
      [&](std::string_view token) {
        token_ok = token == kToken;
        return token_ok ? tw::CommandAuth::kOk : tw::CommandAuth::kUnauthorized;
      },
      [&](std::string_view settings) {
        applied = true;
        const auto j = nlohmann::json::parse(settings, nullptr, false);
        if (!token_ok || j.is_discarded() || !j.is_object()) {
          std::abort();
        }
        return tw::CommandReply{400, {{"error", "bad-field"}}};
      });
  if (!reply.body.is_object() || reply.body.value("status", -1) != reply.status) {
    std::abort();
  }
  if (applied && reply.status != 400) {  // the fake service's answer comes back unchanged
    std::abort();
  }
  if (token_ok && reply.body.dump().find(kToken) != std::string::npos) {
    std::abort();
  }
  std::string host;
  int port = 0;
  std::string error;
  if (tw::parse_mqtt_address(payload, host, port, error) &&
      (host.empty() || port < 1 || port > 65535)) {
    std::abort();
  }
  (void)tw::check_base_topic(payload);
  return 0;
}
