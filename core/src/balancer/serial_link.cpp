#include "powerstack/balancer/serial_link.hpp"

#include "saturating.hpp"

namespace powerstack {
namespace balancer {

RxEvent SerialLink::receive(uint8_t byte, uint32_t now_ms) {
  if (state_ == LinkState::kSending) {
    count_saturating(stats_.lost_while_sending);
    return RxEvent::kNone;
  }
  expire_stale_line(now_ms);
  last_rx_ms_ = now_ms;
  return receiver_.push(byte);
}

bool SerialLink::queue(const uint8_t* payload, uint8_t length) {
  if (count_ == kTxQueueFrames) {
    count_saturating(stats_.tx_dropped);
    return false;
  }
  const auto slot = static_cast<uint8_t>((head_ + count_) % kTxQueueFrames);
  const uint8_t n = encode_frame(payload, length, frames_[slot], kMaxFrame);
  if (n == 0U) {
    count_saturating(stats_.tx_dropped);
    return false;
  }
  lengths_[slot] = n;
  ++count_;
  return true;
}

void SerialLink::service(uint32_t now_ms) {
  expire_stale_line(now_ms);
  // Forget the gap once it is over: time_reached() only compares times less than 2^31 ms
  // apart, so a gap end kept through 24.9 days of silence would block sending for as long.
  if (gap_pending_ && time_reached(now_ms, gap_end_ms_)) {
    gap_pending_ = false;
  }
  if (state_ == LinkState::kReceiving && count_ != 0U && receiver_.idle() && !gap_pending_) {
    state_ = LinkState::kSending;
    sent_ = 0;
  }
}

bool SerialLink::next_tx_byte(uint8_t& byte, uint32_t now_ms) {
  if (state_ != LinkState::kSending) {
    return false;
  }
  byte = frames_[head_][sent_++];
  if (sent_ == lengths_[head_]) {
    gap_end_ms_ = now_ms + wire_time_ms(static_cast<uint8_t>(sent_ + kGapMarginBytes));
    gap_pending_ = true;
    head_ = static_cast<uint8_t>((head_ + 1U) % kTxQueueFrames);
    --count_;
    state_ = LinkState::kReceiving;
    count_saturating(stats_.frames_sent);
  }
  return true;
}

void SerialLink::expire_stale_line(uint32_t now_ms) {
  if (!receiver_.idle() && time_reached(now_ms, last_rx_ms_ + kLineTimeoutMs)) {
    if (receiver_.abandon_line() == RxEvent::kBrokenLine) {
      count_saturating(stats_.line_timeouts);
    }
  }
}

}  // namespace balancer
}  // namespace powerstack
