// The API's settings body (PUT /api/v1/settings): any bytes must give either settings that
// pass settings::validate or a 400 error with a code, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "powerstack/twin/settings_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const powerstack::settings::ChargerSettings current;
  const auto p = powerstack::twin::parse_settings_json(body, current);
  if (p.ok()) {
    if (!powerstack::settings::validate(*p.settings).ok()) {
      std::abort();
    }
    // What the API answers must read back as the same settings.
    const auto again = powerstack::twin::parse_settings_json(
        powerstack::twin::settings_to_json(*p.settings).dump(), current);
    if (!again.ok()) {
      std::abort();
    }
  } else if (p.error.status != 400 || p.error.code.empty()) {
    std::abort();
  }
  return 0;
}
