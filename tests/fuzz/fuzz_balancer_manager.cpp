// libFuzzer target: the balancer chain manager (core/balancer_manager) reading an arbitrary
// byte stream from its port, and the CLI's frame-text check (`powerstack balancer frame`).
//
// Input byte 0 chooses the configuration (bits 0-2: cells 0..7, 0 = learn with ZQMA; bit 3:
// ZSMA at start; bit 4: balancing; bit 5: pack charging, else at rest; bit 6: assign on
// conflict). The rest is what the chain sends back, handed out 8 bytes a tick, one tick every
// 3 ms; two 0xFF in a row make the line pause 400 ms. Checked after every tick:
// - every byte the manager wrote forms valid frames that decode as commands;
// - the table is consistent: modules() <= table size, values within their fields;
// - after the input ends, 120 s of silence: the manager keeps sending (it never hangs).
// The whole input, as frame text, must be accepted by balancer_frame_hex exactly when it is a
// valid payload, and then give 3 hex digits and a space per frame byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "powerstack/app/balancer_cli.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/frame_receiver.hpp"
#include "powerstack/balancer_manager/chain_manager.hpp"

namespace {

namespace bal = powerstack::balancer;
namespace bm = powerstack::balancer_manager;

constexpr std::size_t kTable = 12;

class FuzzPort final : public bm::ChainPort {
 public:
  FuzzPort(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::size_t write(std::span<const std::uint8_t> bytes) override {
    for (std::uint8_t b : bytes) {
      const bal::RxEvent e = written_.push(b);
      if (e == bal::RxEvent::kFrame) {
        bal::Command c;
        if (!bal::decode_command(written_.payload(), written_.payload_length(), c)) {
          std::abort();  // the manager sent something that is not a command
        }
        ++frames;
      } else if (e != bal::RxEvent::kNone) {
        std::abort();  // the manager sent a broken frame
      }
    }
    return bytes.size();
  }
  std::size_t read(std::span<std::uint8_t> out) override {
    std::size_t n = 0;
    while (n < out.size() && n < 8U && pos_ < size_) {
      out[n++] = data_[pos_++];
    }
    return n;
  }
  // True (once) when the next two bytes are 0xFF 0xFF: consumed as a pause.
  bool pause() {
    if (pos_ + 1U < size_ && data_[pos_] == 0xFFU && data_[pos_ + 1U] == 0xFFU) {
      pos_ += 2U;
      return true;
    }
    return false;
  }
  bool done() const { return pos_ >= size_; }
  std::uint32_t frames = 0;

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  bal::FrameReceiver written_;
};

void check_table(const bm::ChainManager& m) {
  if (m.modules() > kTable || m.cells().size() != m.modules()) {
    std::abort();
  }
  for (const bm::CellRecord& c : m.cells()) {
    if (c.cell_mv > 9999U || c.temperature_k > 999 || c.temperature_k < -1 ||
        (c.status == bm::CellStatus::kOk && !c.seen)) {
      std::abort();
    }
  }
}

void check_frame_text(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string hex;
  std::string error;
  const bool ok = powerstack::app::balancer_frame_hex(text, hex, error);
  const bool valid =
      size <= bal::kMaxPayload && bal::is_valid_payload(data, static_cast<std::uint8_t>(size));
  if (ok != valid || (ok && hex.size() != 3U * (size + 3U) - 1U) || (!ok && error.empty())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_frame_text(data, size);
  if (size == 0U) {
    return 0;
  }
  bm::ManagerConfig c;
  c.modules = static_cast<std::uint8_t>(data[0] & 7U);
  c.assign_at_start = (data[0] & 8U) != 0U;
  c.balance = (data[0] & 16U) != 0U;
  c.assign_on_conflict = (data[0] & 64U) != 0U;
  FuzzPort port(data + 1, size - 1U);
  bm::CellRecord table[kTable];
  bm::ChainManager m(port, table, c);
  m.set_pack_mode((data[0] & 32U) != 0U ? bm::PackMode::kCharge : bm::PackMode::kRest);
  std::uint32_t now_ms = 0;
  while (!port.done()) {
    now_ms += port.pause() ? 400U : 3U;
    m.tick(now_ms);
    check_table(m);
  }
  const std::uint32_t sent = port.frames;
  for (std::uint32_t t = 0; t < 120'000U; t += 5U) {
    m.tick(now_ms + t);
  }
  check_table(m);
  if (port.frames == sent) {
    std::abort();  // two minutes without sending anything: the manager is stuck
  }
  return 0;
}
