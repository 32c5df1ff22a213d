// settings::ChargerSettings as the API's settings object (docs/twin-api.md, "Settings
// object"), and the parser of a PUT body: a whole or partial object merged over the current
// settings, then validated as a whole (settings::validate). Every problem is reported, not
// only the first: unknown keys, wrong JSON types, numbers outside their storage type, and
// the range issues of the merged result. Never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "powerstack/settings/charger_settings.hpp"
#include "powerstack/twin/api_error.hpp"

namespace powerstack::twin {

nlohmann::json settings_to_json(const settings::ChargerSettings& s);

struct SettingsParse {
  std::optional<settings::ChargerSettings> settings;  // set when the body is acceptable
  ApiError error;                                     // 400 bad-json / bad-field otherwise
  [[nodiscard]] bool ok() const { return settings.has_value(); }
};

SettingsParse parse_settings_json(std::string_view body, const settings::ChargerSettings& current);

}  // namespace powerstack::twin
