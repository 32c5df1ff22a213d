// FrameReceiver: turns a byte stream into valid balancer frames, one byte at a time.
//
// A line is the bytes since the last line break. Rules (see docs/balancer-protocol.md):
// - CR ends a line: it is a frame when it holds >= 1 payload byte + 2 CRC bytes, the CRC
//   matches and every payload byte is printable ASCII; otherwise it is counted and dropped.
// - LF never occurs inside a frame (neither payload nor adjusted CRC bytes): it abandons a
//   partial line. A CR LF pair from a terminal therefore costs nothing.
// - '(' never occurs inside a frame except as its first byte: it abandons a partial line and
//   starts a new one, so a response survives a lost CR in front of it.
// - A line longer than kMaxPayload + 2 bytes overflows; the rest of it is skipped up to the
//   next CR, LF or '(' (bounded buffer, resynchronisation at the next boundary).
// Every error kind has a saturating counter. No heap, no float: builds for the ATtiny85.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

#include "powerstack/balancer/frame.hpp"

namespace powerstack {
namespace balancer {

enum class RxEvent : uint8_t {
  kNone,        // byte stored or ignored; no line ended
  kFrame,       // a valid frame ended: payload() / payload_length()
  kCrcError,    // a line ended whose CRC does not match its payload
  kTooShort,    // a line ended with fewer than 1 + 2 bytes (an empty line is ignored)
  kBadPayload,  // CRC matched but a payload byte is not printable ASCII
  kOverflow,    // the line outgrew the buffer; skipping to the next boundary
  kBrokenLine,  // a partial line was abandoned (LF, '(' or abandon_line())
};

struct RxStats {
  uint16_t frames = 0;
  uint16_t crc_errors = 0;
  uint16_t too_short = 0;
  uint16_t bad_payload = 0;
  uint16_t overflows = 0;
  uint16_t broken_lines = 0;
};

class FrameReceiver {
 public:
  RxEvent push(uint8_t byte);
  // Drops a partial line (e.g. after an inter-byte timeout); kBrokenLine if there was one.
  RxEvent abandon_line();
  // True between lines (nothing buffered, not skipping).
  bool idle() const { return length_ == 0U && !skipping_; }
  // The last frame's payload; valid after push() returned kFrame, until the next push().
  const uint8_t* payload() const { return line_; }
  uint8_t payload_length() const { return payload_length_; }
  const RxStats& stats() const { return stats_; }

 private:
  RxEvent end_line();
  void restart() {
    length_ = 0;
    skipping_ = false;
  }

  uint8_t length_ = 0;
  uint8_t payload_length_ = 0;
  bool skipping_ = false;
  RxStats stats_;
  uint8_t line_[kMaxPayload + kCrcBytes] = {};
};

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
