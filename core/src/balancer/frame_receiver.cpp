#include "powerstack/balancer/frame_receiver.hpp"

#include "saturating.hpp"

namespace powerstack {
namespace balancer {

void count_saturating(uint16_t& counter) {
  if (counter != 0xFFFFU) {
    ++counter;
  }
}

RxEvent FrameReceiver::push(uint8_t byte) {
  payload_length_ = 0;
  if (byte == kCr) {
    if (skipping_) {
      restart();
      return RxEvent::kNone;  // the overflow was counted when it happened
    }
    return end_line();
  }
  if (byte == kLf || byte == kResponseStart) {
    const RxEvent event = abandon_line();
    if (byte == kResponseStart) {
      line_[0] = byte;
      length_ = 1;
    }
    return event;
  }
  if (skipping_) {
    return RxEvent::kNone;
  }
  if (length_ == sizeof(line_)) {
    restart();
    skipping_ = true;
    count_saturating(stats_.overflows);
    return RxEvent::kOverflow;
  }
  line_[length_++] = byte;
  return RxEvent::kNone;
}

RxEvent FrameReceiver::abandon_line() {
  const bool partial = length_ != 0U && !skipping_;
  restart();
  if (partial) {
    count_saturating(stats_.broken_lines);
    return RxEvent::kBrokenLine;
  }
  return RxEvent::kNone;
}

RxEvent FrameReceiver::end_line() {
  const uint8_t length = length_;
  restart();
  if (length == 0U) {
    return RxEvent::kNone;  // CR CR or a CR after a frame: nothing lost
  }
  if (length <= kCrcBytes) {
    count_saturating(stats_.too_short);
    return RxEvent::kTooShort;
  }
  if (!crc_matches(line_, length)) {
    count_saturating(stats_.crc_errors);
    return RxEvent::kCrcError;
  }
  const auto n = static_cast<uint8_t>(length - kCrcBytes);
  if (!is_valid_payload(line_, n)) {
    count_saturating(stats_.bad_payload);
    return RxEvent::kBadPayload;
  }
  payload_length_ = n;
  count_saturating(stats_.frames);
  return RxEvent::kFrame;
}

}  // namespace balancer
}  // namespace powerstack
