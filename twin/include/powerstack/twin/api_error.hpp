// The JSON error of every failed API request (docs/twin-api.md, "Errors"):
// {"error": code, "message": text, "fields": [{"field", "message", "value", "min", "max"}]}.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace powerstack::twin {

struct FieldError {
  std::string field;
  std::string message;
  nlohmann::json value;  // as received (or as merged, for a whole-settings check)
  std::optional<double> min;
  std::optional<double> max;
};

struct ApiError {
  int status = 400;
  std::string code;  // bad-json, bad-field, unauthorized, rate-limited, not-found, ...
  std::string message;
  std::vector<FieldError> fields;
};

nlohmann::json error_to_json(const ApiError& e);

}  // namespace powerstack::twin
