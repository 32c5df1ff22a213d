#include "sim/systems/balancer_chain.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/module_hardware.hpp"

namespace powerstack::sim {

namespace bal = powerstack::balancer;

namespace {

class CellAdcModel final : public bal::CellAdc {
 public:
  explicit CellAdcModel(SimRandom random) : random_(random) {}
  std::uint16_t read_cell_counts() override {
    // 1:1 divider, 2.048 V reference, 10 bits: 4 mV a count at the cell.
    const double counts = cell_mv / 4.0 + noise_counts * random_.normal();
    return static_cast<std::uint16_t>(std::clamp(std::lround(counts), 0L, 1023L));
  }
  std::uint16_t read_temperature_counts() override { return temperature_k; }
  double cell_mv = 3300.0;
  double noise_counts = 0.0;
  std::uint16_t temperature_k = 298;

 private:
  SimRandom random_;
};

class SwitchModel final : public bal::BalanceSwitch {
 public:
  void set_balancing(bool on) override { closed = on; }
  bool closed = false;
};

class EepromModel final : public bal::ModuleEeprom {
 public:
  EepromModel() { bytes.fill(0xFFU); }
  std::uint8_t read_byte(std::uint16_t address) override {
    return address < bytes.size() ? bytes[address] : 0xFFU;
  }
  void write_byte(std::uint16_t address, std::uint8_t value) override {
    if (address < bytes.size()) {
      bytes[address] = value;
    }
    ++writes;
  }
  std::array<std::uint8_t, 512> bytes{};
  int writes = 0;
};

}  // namespace

struct BalancerChain::Node {
  explicit Node(SimRandom random) : adc(random) {}
  CellAdcModel adc;
  SwitchModel balance_switch;
  EepromModel eeprom;
  bal::BalancerModule module{adc, balance_switch, eeprom};
  int writes_at_start = 0;
  // Mute filter: the byte delayed by one slot, frame boundary, whether the frame is dropped.
  int held = -1;
  bool at_frame_start = true;
  bool dropping = false;
};

BalancerChain::BalancerChain(std::size_t modules, const ChainFaults& faults)
    : faults_(faults), line_random_(faults.seed) {
  SimRandom adc_random = line_random_.fork(0xADC);
  for (std::size_t k = 0; k < modules; ++k) {
    nodes_.push_back(std::make_unique<Node>(adc_random.fork(k)));
    nodes_.back()->adc.noise_counts = faults.adc_noise_counts;
  }
}

BalancerChain::~BalancerChain() = default;

void BalancerChain::set_stored_address(std::size_t k, std::uint8_t address) {
  nodes_.at(k)->eeprom.bytes[1] = address;
}

void BalancerChain::set_cell_mv(std::size_t k, double mv) {
  nodes_.at(k)->adc.cell_mv = mv;
}

void BalancerChain::set_temperature_k(std::size_t k, std::uint16_t kelvin) {
  nodes_.at(k)->adc.temperature_k = kelvin;
}

void BalancerChain::start(std::uint32_t now_ms) {
  for (auto& n : nodes_) {
    n->module.start(now_ms);
    n->writes_at_start = n->eeprom.writes;
  }
}

std::size_t BalancerChain::size() const {
  return nodes_.size();
}

const bal::BalancerModule& BalancerChain::module(std::size_t k) const {
  return nodes_.at(k)->module;
}

bool BalancerChain::balancing(std::size_t k) const {
  return nodes_.at(k)->balance_switch.closed;
}

int BalancerChain::eeprom_writes(std::size_t k) const {
  return nodes_.at(k)->eeprom.writes - nodes_.at(k)->writes_at_start;
}

int BalancerChain::corrupt(int byte) {
  if (byte < 0 || faults_.bit_error_rate <= 0.0) {
    return byte;
  }
  for (int bit = 0; bit < 8; ++bit) {
    if (line_random_.uniform() < faults_.bit_error_rate) {
      byte ^= 1 << bit;
      ++bits_flipped_;
    }
  }
  return byte;
}

// Drops the mute module's own answers ('(' followed by its address) from its output. The
// output is delayed by one slot, so a frame's second byte is known when its first leaves.
int BalancerChain::mute_filter(Node& node, int out) {
  const int emit = node.held;
  node.held = out;
  if (emit < 0) {
    return -1;
  }
  if (node.at_frame_start) {
    std::uint8_t own[bal::kMaxAddressChars] = {};
    bal::encode_address(node.module.address(), own);
    node.dropping = emit == bal::kResponseStart && out == own[0];
    node.at_frame_start = false;
  }
  const bool drop = node.dropping;
  if (emit == bal::kCr) {
    node.at_frame_start = true;
  }
  return drop ? -1 : emit;
}

int BalancerChain::step(std::uint32_t now_ms, int in) {
  int upstream = corrupt(in);
  for (std::size_t k = 0; k < nodes_.size(); ++k) {
    Node& n = *nodes_[k];
    n.module.tick(now_ms);
    int out = -1;
    std::uint8_t byte = 0;
    const bool sending = n.module.link_state() == bal::LinkState::kSending;
    if (sending && n.module.next_tx_byte(byte, now_ms)) {
      out = byte;
    }
    if (upstream >= 0) {
      if (sending) {
        ++collisions_;
      } else {
        n.module.receive_byte(static_cast<std::uint8_t>(upstream), now_ms);
      }
    }
    if (static_cast<int>(k) == faults_.mute_module) {
      out = mute_filter(n, out);
    }
    if (static_cast<int>(k) == faults_.cut_after) {
      out = -1;
    }
    upstream = corrupt(out);
  }
  return upstream;
}

std::size_t ChainLink::write(std::span<const std::uint8_t> bytes) {
  to_chain_.insert(to_chain_.end(), bytes.begin(), bytes.end());
  return bytes.size();
}

std::size_t ChainLink::read(std::span<std::uint8_t> out) {
  std::size_t n = 0;
  while (n < out.size() && !from_chain_.empty()) {
    out[n++] = from_chain_.front();
    from_chain_.pop_front();
  }
  return n;
}

int ChainLink::next_byte() {
  if (to_chain_.empty()) {
    return -1;
  }
  const int b = to_chain_.front();
  to_chain_.pop_front();
  return b;
}

void ChainLink::deliver(int byte) {
  if (byte >= 0) {
    from_chain_.push_back(static_cast<std::uint8_t>(byte));
  }
}

}  // namespace powerstack::sim
