// Module addresses of the balancer chain.
//
// A module number n (1..kMaxModules) travels as one or two ASCII characters:
//   n = 1..9     '1'..'9'          (seed 001)
//   n = 10..16   'A'..'G'          (seed 001: 16 modules)
//   n = 17..34   'H'..'Y'          (the seed's letter sequence continued; 'Z' is broadcast)
//   n = 35..254  'a0'..'v9'        (lowercase letter a..v = tens group, digit 0..9;
//                                   n = 35 + 10 * (letter - 'a') + digit)
// 254 is the limit so that a module number fits one EEPROM byte with 0xFF meaning unset.
// n = 0 is written '0': only the argument of ZSMA0 ("before the first module").
// The first character tells the length: a lowercase letter starts a two-character address.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

constexpr uint8_t kNoModule = 0U;
constexpr uint8_t kSeedModules = 16U;
constexpr uint8_t kSingleCharModules = 34U;
constexpr uint8_t kMaxModules = 254U;
constexpr uint8_t kBroadcastChar = 0x5AU;  // 'Z'
constexpr uint8_t kMaxAddressChars = 2U;

// Writes the characters of module number `n` (0..kMaxModules) to `out`; returns 1 or 2, or
// 0 (nothing written) when n > kMaxModules.
uint8_t encode_address(uint8_t n, uint8_t* out);

// Reads an address (0..kMaxModules) at the start of `text` (`available` bytes); returns the
// number of characters used (1 or 2), or 0 when `text` does not start with an address.
uint8_t decode_address(const uint8_t* text, uint8_t available, uint8_t& n);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
