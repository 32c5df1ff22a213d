// SerialLink: the module's half-duplex serial side (seed 001: software serial, a module
// either receives or sends, never both).
//
// State kReceiving: bytes from the upstream neighbour go through the FrameReceiver.
// State kSending: the driver takes bytes with next_tx_byte() and shifts them out; a byte
// that arrives meanwhile is lost (counted), as on the real line. After the last byte of a
// frame the link returns to kReceiving.
//
// A queued frame starts only when
// - the receiver is between lines (a frame being received is never cut off; a partial line
//   idle for kLineTimeoutMs is abandoned, so a lost CR cannot block sending forever), and
// - the inter-frame gap after this module's previous frame has passed: (L + 2) byte times
//   for a frame of L bytes, so the downstream module has finished forwarding it and listens
//   again before the next frame arrives (it cannot receive while it forwards).
// Time is passed in (milliseconds, wrap-safe). Byte time at 4800 baud 8N1: 2.083 ms.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/frame_receiver.hpp"

namespace powerstack {
namespace balancer {

enum class LinkState : uint8_t { kReceiving, kSending };

constexpr uint16_t kBaud = 4800U;
constexpr uint8_t kBitsPerByte = 10U;  // start + 8 data + stop
constexpr uint8_t kGapMarginBytes = 2U;
constexpr uint16_t kLineTimeoutMs = 100U;
constexpr uint8_t kTxQueueFrames = 2U;

// Milliseconds that `bytes` take on the wire at 4800 baud 8N1 (25/12 ms a byte), rounded up.
constexpr uint16_t wire_time_ms(uint8_t bytes) {
  return static_cast<uint16_t>((bytes * 25U + 11U) / 12U);
}
static_assert(kBaud == 4800U && kBitsPerByte == 10U, "wire_time_ms assumes 4800 baud 8N1");

// True when `now_ms` has reached `deadline_ms` (valid while they are < 2^31 ms apart).
inline bool time_reached(uint32_t now_ms, uint32_t deadline_ms) {
  return now_ms - deadline_ms < 0x80000000UL;
}

struct LinkStats {
  uint16_t lost_while_sending = 0;  // bytes that arrived while the module was sending
  uint16_t tx_dropped = 0;          // frames not queued: queue full or invalid payload
  uint16_t line_timeouts = 0;       // partial lines abandoned after kLineTimeoutMs
  uint16_t frames_sent = 0;
};

class SerialLink {
 public:
  // A byte from upstream. Returns the receiver's event (kFrame: see received_payload());
  // kNone when the byte was lost because the link is sending.
  RxEvent receive(uint8_t byte, uint32_t now_ms);
  const uint8_t* received_payload() const { return receiver_.payload(); }
  uint8_t received_length() const { return receiver_.payload_length(); }

  // Encodes and queues a frame; false (counted) when the queue is full or the payload invalid.
  bool queue(const uint8_t* payload, uint8_t length);
  // Starts the next queued frame when allowed; abandons a stale partial line.
  void service(uint32_t now_ms);
  // While kSending: the next byte to shift out (true), or false when nothing is left.
  bool next_tx_byte(uint8_t& byte, uint32_t now_ms);

  LinkState state() const { return state_; }
  // Nothing being sent, queued or half received, and no inter-frame gap running: a module
  // image may stop its millisecond clock and sleep until the next byte or measurement tick.
  // (A clock stopped during a gap would stretch the gap by the time asleep, and delay the
  // next frame that this module forwards.)
  bool quiet() const {
    return state_ == LinkState::kReceiving && count_ == 0U && receiver_.idle() && !gap_pending_;
  }
  uint8_t queued_frames() const { return count_; }
  const LinkStats& stats() const { return stats_; }
  const RxStats& rx_stats() const { return receiver_.stats(); }

 private:
  void expire_stale_line(uint32_t now_ms);

  uint8_t head_ = 0;  // the frame being sent or next to send
  uint8_t count_ = 0;
  uint8_t sent_ = 0;  // bytes of frames_[head_] already handed out
  LinkState state_ = LinkState::kReceiving;
  uint32_t last_rx_ms_ = 0;
  uint32_t gap_end_ms_ = 0;
  bool gap_pending_ = false;  // a sent frame's gap has not been seen to end yet
  LinkStats stats_;
  uint8_t lengths_[kTxQueueFrames] = {};
  FrameReceiver receiver_;
  uint8_t frames_[kTxQueueFrames][kMaxFrame] = {};
};

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
