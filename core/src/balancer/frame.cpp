#include "powerstack/balancer/frame.hpp"

#include "powerstack/balancer/crc.hpp"

namespace powerstack {
namespace balancer {

bool is_valid_payload(const uint8_t* payload, uint8_t length) {
  if (length == 0U || length > kMaxPayload) {
    return false;
  }
  for (uint8_t i = 0; i < length; ++i) {
    if (!is_payload_byte(payload[i], i)) {
      return false;
    }
  }
  return true;
}

uint8_t encode_frame(const uint8_t* payload, uint8_t length, uint8_t* out, uint8_t capacity) {
  if (!is_valid_payload(payload, length) || capacity < length + kCrcBytes + 1U) {
    return 0;
  }
  const uint16_t crc = axpert_crc(payload, length);
  for (uint8_t i = 0; i < length; ++i) {
    out[i] = payload[i];
  }
  out[length] = static_cast<uint8_t>(crc >> 8U);
  out[length + 1U] = static_cast<uint8_t>(crc & 0xFFU);
  out[length + 2U] = kCr;
  return static_cast<uint8_t>(length + kCrcBytes + 1U);
}

bool crc_matches(const uint8_t* line, uint8_t length) {
  if (length <= kCrcBytes) {
    return false;
  }
  const auto n = static_cast<uint8_t>(length - kCrcBytes);
  const uint16_t crc = axpert_crc(line, n);
  return line[n] == static_cast<uint8_t>(crc >> 8U) &&
         line[n + 1U] == static_cast<uint8_t>(crc & 0xFFU);
}

}  // namespace balancer
}  // namespace powerstack
