#include "powerstack/balancer/crc.hpp"

namespace powerstack {
namespace balancer {

uint16_t crc16_xmodem(const uint8_t* data, uint8_t length) {
  uint16_t crc = 0;
  for (uint8_t i = 0; i < length; ++i) {
    crc = static_cast<uint16_t>(crc ^ static_cast<uint16_t>(data[i] << 8U));
    for (uint8_t bit = 0; bit < 8U; ++bit) {
      const bool msb = (crc & 0x8000U) != 0U;
      crc = static_cast<uint16_t>(crc << 1U);
      if (msb) {
        crc = static_cast<uint16_t>(crc ^ 0x1021U);
      }
    }
  }
  return crc;
}

uint16_t axpert_crc(const uint8_t* data, uint8_t length) {
  const uint16_t raw = crc16_xmodem(data, length);
  const uint8_t hi = adjust_crc_byte(static_cast<uint8_t>(raw >> 8U));
  const uint8_t lo = adjust_crc_byte(static_cast<uint8_t>(raw & 0xFFU));
  return static_cast<uint16_t>((static_cast<uint16_t>(hi) << 8U) | lo);
}

}  // namespace balancer
}  // namespace powerstack
