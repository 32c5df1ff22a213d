#include "powerstack/twin/api_error.hpp"

namespace powerstack::twin {

nlohmann::json error_to_json(const ApiError& e) {
  nlohmann::json fields = nlohmann::json::array();
  for (const FieldError& f : e.fields) {
    nlohmann::json j = {{"field", f.field}, {"message", f.message}, {"value", f.value}};
    if (f.min) {
      j["min"] = *f.min;
    }
    if (f.max) {
      j["max"] = *f.max;
    }
    fields.push_back(std::move(j));
  }
  return {{"error", e.code}, {"message", e.message}, {"fields", fields}};
}

}  // namespace powerstack::twin
