// The balancer line at the bit level, in emulated CPU cycles (1 MHz): 4800 baud 8N1 with
// inverted levels (idle low, start bit high, a 1 bit low), as seed 001's modules use.
// Deterministic: edges fall on whole cycles, rounded from the exact bit time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace powerstack::avr_sim {

constexpr double kCpuHz = 1'000'000.0;
constexpr double kBaud = 4800.0;
constexpr double kBitCycles = kCpuHz / kBaud;  // 208.33

struct Edge {
  uint64_t cycle = 0;
  bool high = false;
};

// Appends the edges of `byte` starting at `start` (the line must be idle low); returns the
// cycle at which the stop bit ends.
uint64_t encode_byte(uint8_t byte, uint64_t start, std::vector<Edge>& out);

// Decodes bytes from a line's edges as a UART does: a rising edge from idle starts a byte;
// each bit is sampled in its middle; a stop bit found high is a framing error (the byte is
// dropped and the decoder waits for the line to go low again).
class UartDecoder {
 public:
  struct Byte {
    uint8_t value = 0;
    uint64_t start = 0;  // cycle of the start bit's edge
  };
  void add_edge(const Edge& edge);
  // Decodes every byte whose stop bit has been sampled by `now`.
  void advance(uint64_t now);
  std::vector<Byte>& bytes() { return bytes_; }
  [[nodiscard]] int framing_errors() const { return framing_errors_; }

 private:
  [[nodiscard]] bool level_at(uint64_t cycle) const;

  std::vector<Edge> edges_;  // since the last decoded byte
  std::vector<Byte> bytes_;
  uint64_t search_from_ = 0;
  int framing_errors_ = 0;
};

}  // namespace powerstack::avr_sim
