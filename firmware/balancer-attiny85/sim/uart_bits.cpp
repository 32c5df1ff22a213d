#include "uart_bits.hpp"

#include <cmath>

namespace powerstack::avr_sim {

namespace {

uint64_t bit_edge(uint64_t start, int bit) {
  return start + static_cast<uint64_t>(std::llround(bit * kBitCycles));
}

}  // namespace

uint64_t encode_byte(uint8_t byte, uint64_t start, std::vector<Edge>& out) {
  // Bit 0 start (high), 1..8 data LSB first (a 1 is low), 9 stop (low).
  bool level = false;
  for (int bit = 0; bit < 10; ++bit) {
    bool high = false;
    if (bit == 0) {
      high = true;
    } else if (bit <= 8) {
      high = ((byte >> (bit - 1)) & 1U) == 0U;
    }
    if (high != level) {
      out.push_back({bit_edge(start, bit), high});
      level = high;
    }
  }
  return bit_edge(start, 10);
}

void UartDecoder::add_edge(const Edge& edge) {
  if (edges_.empty() || edges_.back().high != edge.high) {
    edges_.push_back(edge);
  }
}

bool UartDecoder::level_at(uint64_t cycle) const {
  bool level = false;
  for (const Edge& e : edges_) {
    if (e.cycle > cycle) {
      break;
    }
    level = e.high;
  }
  return level;
}

void UartDecoder::advance(uint64_t now) {
  for (;;) {
    // The next rising edge at or after search_from_.
    const Edge* start = nullptr;
    for (const Edge& e : edges_) {
      if (e.high && e.cycle >= search_from_) {
        start = &e;
        break;
      }
    }
    if (start == nullptr) {
      return;
    }
    const uint64_t t0 = start->cycle;
    auto sample = [&](int bit) {
      return t0 + static_cast<uint64_t>(std::llround((bit + 0.5) * kBitCycles));
    };
    if (sample(9) > now) {
      return;  // the byte is not complete yet
    }
    if (!level_at(sample(0))) {  // a glitch, not a start bit
      search_from_ = t0 + 1;
      continue;
    }
    uint8_t value = 0;
    for (int bit = 1; bit <= 8; ++bit) {
      if (!level_at(sample(bit))) {
        value = static_cast<uint8_t>(value | (1U << (bit - 1)));
      }
    }
    if (level_at(sample(9))) {
      ++framing_errors_;
    } else {
      bytes_.push_back({value, t0});
    }
    search_from_ = sample(9);
    // Edges before the stop bit's sample are no longer needed (keep the last level).
    while (edges_.size() > 1 && edges_[1].cycle <= search_from_) {
      edges_.erase(edges_.begin());
    }
  }
}

}  // namespace powerstack::avr_sim
