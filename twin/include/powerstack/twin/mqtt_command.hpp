// The MQTT settings command (docs/mqtt.md): a JSON envelope on <base>/set/settings
//
//   {"token": "<the twin's write token>", "settings": {<whole or partial settings>}, "id": ..}
//
// checked in three steps, each with the HTTP API's error object: the envelope (size, JSON,
// keys and types), the token (the same check and rate limit as an API write), then the
// settings themselves through the same validation and storage as PUT /api/v1/settings.
// The reply, published on <base>/set/result, carries the API's status code, the stored
// settings or the error, and the command's "id" when it had one. The token is never echoed.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace powerstack::twin {

inline constexpr std::size_t kMaxCommandBytes = 16 * 1024;  // as the API's bodies

enum class CommandAuth { kOk, kUnauthorized, kRateLimited };

// What a valid envelope holds.
struct SettingsCommand {
  std::string token;
  std::string settings_json;         // the "settings" object, re-serialised
  std::optional<nlohmann::json> id;  // echoed in the reply: a string or a number
};

// Parses and checks the envelope. On failure returns nullopt and sets `error` to the API's
// error object ({"error", "message", "fields"}) and `status` to its HTTP code.
std::optional<SettingsCommand> parse_settings_command(std::string_view payload, int& status,
                                                      nlohmann::json& error);

struct CommandReply {
  int status = 200;
  nlohmann::json body;  // the reply object published on <base>/set/result
};

using TokenCheck = std::function<CommandAuth(std::string_view token)>;
// The settings service: the status code and body PUT /api/v1/settings would answer.
using SettingsApply = std::function<CommandReply(std::string_view settings_json)>;

// The whole command: envelope, token, settings. Never applies anything unauthenticated or
// unvalidated (the settings service validates before it stores).
CommandReply handle_settings_command(std::string_view payload, const TokenCheck& check_token,
                                     const SettingsApply& apply);

}  // namespace powerstack::twin
