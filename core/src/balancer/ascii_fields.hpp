// The argument and value fields of balancer payloads (private to core/src/balancer).
//
// Written canonically, read leniently, so that frames of the original module firmware and
// hand-typed frames are understood:
// - unsigned: right-aligned in a fixed width ("3239", " 950" in responses; commands are
//   zero-padded: "BSV3450"); read with leading spaces or zeros, >= 1 digit, nothing after.
// - signed: a sign character (' ' for >= 0, '-' for < 0) then the digits without padding
//   (" 9", "-9", " 12", "-12"); read as spaces, optional '+'/'-', spaces, 1..max digits.
#pragma once

#include <stdint.h>

namespace powerstack {
namespace balancer {
namespace fields {

enum Field : uint8_t {
  kNone = 0,     // nothing after the name
  kOk,           // "OK"
  kUnsigned3,    // 0..999, 3 characters, space padded
  kUnsigned4,    // 0..9999, 4 characters, space padded
  kDigits4,      // 0..9999, exactly 4 characters, zero padded
  kSigned1,      // -9..9
  kSigned2,      // -99..99
  kVoltageFlag,  // kUnsigned4, ' ', '0' or '1'
  kAddress,      // a module address 0..kMaxModules (address.hpp)
};

// Writes the field; returns its length, or 0xFF when the value does not fit.
uint8_t put(Field field, int16_t value, bool flag, uint8_t* out);
// Parses exactly `length` characters as the field.
bool parse(Field field, const uint8_t* text, uint8_t length, int16_t& value, bool& flag);

}  // namespace fields
}  // namespace balancer
}  // namespace powerstack
