// BalancerChain: N seed-001 balancer modules (the host build of the real module logic,
// core/balancer) wired output to input at 4800 baud, one byte slot (10 bits = 2.083 ms) at a
// time, with the faults a real chain suffers:
//   master -> module 1 -> module 2 -> ... -> module N -> master
// - bit errors: every data bit of every byte on every hop flips with probability
//   bit_error_rate (seeded, deterministic);
// - a mute module: it receives and forwards, but its own answers never leave it (a module
//   whose transmitter drops its frames: the master times out on it, the rest still works);
//   its output runs through a one-byte delay line so its frames can be told apart;
// - a cut: nothing passes the wire after a given module (the master hears nothing at all);
// - duplicate addresses: set a module's stored address before start().
// A module reads its cell through the ADC model of its board: counts = cell mV / 4 (1:1
// divider, 2.048 V reference, 10 bits), optionally with Gaussian noise in counts (seeded).
// Also: ChainLink, the master's end of the chain as a balancer_manager::ChainPort.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "powerstack/balancer/balancer_module.hpp"
#include "powerstack/balancer_manager/chain_port.hpp"
#include "sim/engine/random.hpp"

namespace powerstack::sim {

struct ChainFaults {
  double bit_error_rate = 0.0;    // per data bit per hop
  int mute_module = -1;           // 0-based position whose answers are lost; -1 = none
  int cut_after = -1;             // 0-based position whose output wire is cut; -1 = none
  double adc_noise_counts = 0.0;  // sigma of the ADC noise
  std::uint64_t seed = 1;
};

class BalancerChain {
 public:
  BalancerChain(std::size_t modules, const ChainFaults& faults);
  ~BalancerChain();
  BalancerChain(const BalancerChain&) = delete;
  BalancerChain& operator=(const BalancerChain&) = delete;

  // Before start(): the module's stored address (1..254; 0xFF = factory-erased).
  void set_stored_address(std::size_t k, std::uint8_t address);
  void set_cell_mv(std::size_t k, double mv);
  void set_temperature_k(std::size_t k, std::uint16_t kelvin);
  // Cuts the wire after module k (-1: repairs it), at any time.
  void set_cut_after(int k) { faults_.cut_after = k; }
  // Powers every module up at now_ms (loads EEPROM, first measurement).
  void start(std::uint32_t now_ms);

  // One byte slot at now_ms: `in` is the master's byte for module 1 (-1: none); returns the
  // byte the last module delivers to the master in this slot (-1: none).
  int step(std::uint32_t now_ms, int in);

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] const balancer::BalancerModule& module(std::size_t k) const;
  // True while module k's bleed switch is closed.
  [[nodiscard]] bool balancing(std::size_t k) const;
  // EEPROM writes of module k since start() (commands that changed settings).
  [[nodiscard]] int eeprom_writes(std::size_t k) const;
  [[nodiscard]] std::uint64_t bits_flipped() const { return bits_flipped_; }
  // Bytes a module received while it was sending (lost on the half-duplex line).
  [[nodiscard]] std::uint64_t collisions() const { return collisions_; }

 private:
  struct Node;
  int corrupt(int byte);
  int mute_filter(Node& node, int out);

  std::vector<std::unique_ptr<Node>> nodes_;
  ChainFaults faults_;
  SimRandom line_random_;
  std::uint64_t bits_flipped_ = 0;
  std::uint64_t collisions_ = 0;
};

// The master's end of a simulated chain, in simulated time: frames the manager writes leave
// one byte a slot; bytes the chain delivers wait for the manager's read().
class ChainLink final : public balancer_manager::ChainPort {
 public:
  std::size_t write(std::span<const std::uint8_t> bytes) override;
  std::size_t read(std::span<std::uint8_t> out) override;
  // The byte to put on the wire in this slot (-1: nothing to send).
  int next_byte();
  void deliver(int byte);
  [[nodiscard]] bool idle() const { return to_chain_.empty(); }

 private:
  std::deque<std::uint8_t> to_chain_;
  std::deque<std::uint8_t> from_chain_;
};

// Milliseconds at the start of byte slot `slot` (4800 baud: 25/12 ms a byte).
constexpr std::uint32_t chain_slot_ms(std::uint64_t slot) {
  return static_cast<std::uint32_t>(slot * 25U / 12U);
}

}  // namespace powerstack::sim
