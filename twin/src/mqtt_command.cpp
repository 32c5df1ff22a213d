#include "powerstack/twin/mqtt_command.hpp"

#include <utility>

namespace powerstack::twin {

namespace {

using nlohmann::json;

json error_object(std::string code, std::string message, json fields = json::array()) {
  return {
      {"error", std::move(code)}, {"message", std::move(message)}, {"fields", std::move(fields)}};
}

json field_issue(const std::string& field, const std::string& message) {
  return {{"field", field}, {"message", message}};
}

}  // namespace

std::optional<SettingsCommand> parse_settings_command(std::string_view payload, int& status,
                                                      json& error) {
  status = 400;
  if (payload.size() > kMaxCommandBytes) {
    status = 413;
    error = error_object("too-large", "the command is " + std::to_string(payload.size()) +
                                          " bytes, more than the limit of " +
                                          std::to_string(kMaxCommandBytes));
    return std::nullopt;
  }
  const json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = error_object("bad-json",
                         doc.is_discarded()
                             ? "the command is not valid JSON"
                             : R"(the command must be a JSON object {"token", "settings"})");
    return std::nullopt;
  }
  json issues = json::array();
  for (const auto& [key, value] : doc.items()) {
    if (key != "token" && key != "settings" && key != "id") {
      issues.push_back(field_issue(key, "unknown key (expected token, settings, id)"));
    }
  }
  const auto token = doc.find("token");
  if (token == doc.end()) {
    issues.push_back(field_issue("token", "missing: commands need the twin's write token"));
  } else if (!token->is_string()) {
    issues.push_back(field_issue("token", "must be a string"));
  }
  const auto settings = doc.find("settings");
  if (settings == doc.end()) {
    issues.push_back(field_issue("settings", "missing: the settings object to apply"));
  } else if (!settings->is_object()) {
    issues.push_back(field_issue("settings", "must be an object"));
  }
  const auto id = doc.find("id");
  if (id != doc.end() && !id->is_string() && !id->is_number()) {
    issues.push_back(field_issue("id", "must be a string or a number"));
  }
  if (!issues.empty()) {
    error = error_object("bad-field", "the command envelope is not valid", std::move(issues));
    return std::nullopt;
  }
  SettingsCommand cmd;
  cmd.token = token->get<std::string>();
  cmd.settings_json = settings->dump();
  if (id != doc.end()) {
    cmd.id = *id;
  }
  status = 200;
  return cmd;
}

CommandReply handle_settings_command(std::string_view payload, const TokenCheck& check_token,
                                     const SettingsApply& apply) {
  CommandReply reply;
  json error;
  const auto cmd = parse_settings_command(payload, reply.status, error);
  if (!cmd) {
    reply.body = std::move(error);
  } else {
    switch (check_token(cmd->token)) {
      case CommandAuth::kUnauthorized:
        reply.status = 401;
        reply.body = error_object("unauthorized", "missing or wrong token");
        break;
      case CommandAuth::kRateLimited:
        reply.status = 429;
        reply.body =
            error_object("rate-limited", "too many failed authentications: try again later");
        break;
      case CommandAuth::kOk: {
        CommandReply applied = apply(cmd->settings_json);
        reply.status = applied.status;
        if (!applied.body.is_object()) {
          applied.body = {{"result", std::move(applied.body)}};
        }
        if (applied.status == 200) {
          reply.body = {{"settings", std::move(applied.body)}};
        } else {
          reply.body = std::move(applied.body);
        }
        break;
      }
    }
    if (cmd->id) {
      reply.body["id"] = *cmd->id;
    }
  }
  reply.body["status"] = reply.status;
  return reply;
}

}  // namespace powerstack::twin
