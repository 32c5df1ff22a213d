// Balancer frames on the wire (seed 001): <payload><crc-hi><crc-lo><CR>.
//
// The payload is printable ASCII (0x20..0x7E); a response payload starts with '(' and no
// other payload byte may be '('. The two CRC bytes are the Axpert CRC (crc.hpp), which is
// never '(', CR or LF, so CR ends a frame, LF never occurs inside one and '(' always starts
// one: the receiver (frame_receiver.hpp) uses all three to find frame boundaries.
//
// Builds for the host and for the ATtiny85 (avr-g++ C++14, no C++ library).
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

constexpr uint8_t kCr = 0x0DU;
constexpr uint8_t kLf = 0x0AU;
constexpr uint8_t kResponseStart = 0x28U;  // '('
constexpr uint8_t kCrcBytes = 2U;
// Longest payload accepted. The protocol's longest is 11 bytes ("(a0UA9999 1" with a
// two-character address); the margin leaves room without costing much RAM on the module.
constexpr uint8_t kMaxPayload = 16U;
constexpr uint8_t kMaxFrame = kMaxPayload + kCrcBytes + 1U;

// A byte allowed in a payload at `position` (printable ASCII; '(' only at position 0).
inline bool is_payload_byte(uint8_t b, uint8_t position) {
  return b >= 0x20U && b <= 0x7EU && (b != kResponseStart || position == 0U);
}

// True when 1 <= length <= kMaxPayload and every byte is a payload byte.
bool is_valid_payload(const uint8_t* payload, uint8_t length);

// Writes <payload><crc-hi><crc-lo><CR> into `out`; returns the frame length, or 0 (nothing
// written) when the payload is invalid or `capacity` is too small.
uint8_t encode_frame(const uint8_t* payload, uint8_t length, uint8_t* out, uint8_t capacity);

// True when the last two bytes of `line` (payload + CRC, without CR) are the payload's CRC.
bool crc_matches(const uint8_t* line, uint8_t length);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
