// Little-endian field access for stored and transmitted formats, so a record written by one
// CPU reads the same on another (never memcpy of a struct).
#pragma once

#include <cstdint>
#include <cstring>

namespace powerstack::settings {

inline void put_u16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8U);
}
inline void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    p[i] = static_cast<std::uint8_t>(v >> (8U * static_cast<unsigned>(i)));
  }
}
inline void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    p[i] = static_cast<std::uint8_t>(v >> (8U * static_cast<unsigned>(i)));
  }
}
inline std::uint16_t get_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (static_cast<unsigned>(p[1]) << 8U));
}
inline std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) {
    v = (v << 8U) | p[i];
  }
  return v;
}
inline std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) {
    v = (v << 8U) | p[i];
  }
  return v;
}
// IEEE-754 binary32 bits, little-endian.
inline void put_f32(std::uint8_t* p, float v) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  put_u32(p, bits);
}
inline float get_f32(const std::uint8_t* p) {
  const std::uint32_t bits = get_u32(p);
  float v = 0.0f;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

}  // namespace powerstack::settings
