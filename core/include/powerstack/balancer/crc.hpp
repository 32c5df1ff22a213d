// The balancer frame check: the CRC of the Axpert/Voltronic (PIP4048) inverter protocol,
// which seed 001's modules reuse. It is CRC-16/XMODEM (polynomial 0x1021, initial value 0,
// no reflection, no final XOR) over the payload bytes, followed by a byte adjustment: a CRC
// byte equal to '(' 0x28, CR 0x0D or LF 0x0A is sent incremented (0x29, 0x0E, 0x0B), so the
// two raw CRC bytes can never be mistaken for a response start or a line end.
//
// Builds for the host (C++20) and for the ATtiny85 (avr-g++ C++14, no C++ library): only
// <stdint.h>, no std::, no float. Bitwise loop (no table): a few dozen bytes of flash.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

// Plain CRC-16/XMODEM of `length` bytes (check value: "123456789" -> 0x31C3).
uint16_t crc16_xmodem(const uint8_t* data, uint8_t length);

// The adjustment applied to each of the two transmitted CRC bytes.
inline uint8_t adjust_crc_byte(uint8_t b) {
  return (b == 0x28U || b == 0x0DU || b == 0x0AU) ? static_cast<uint8_t>(b + 1U) : b;
}

// The CRC as transmitted: high byte first, both bytes adjusted.
uint16_t axpert_crc(const uint8_t* data, uint8_t length);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
