// The reference for the emulated chain: the same balancer module logic built for the host
// (powerstack_core), one module per cell with fake hardware fed the same inputs as the
// emulated ATtiny85s (the same ADC counts, EEPROM bytes), wired output to input and moved
// one byte slot (2.083 ms at 4800 baud) at a time, as tests/core/test_balancer_chain.cpp
// does. Used to check that the image answers every command with the same bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "avr_chain.hpp"

namespace powerstack::avr_sim {

class HostChain {
 public:
  explicit HostChain(const std::vector<AvrChain::ModuleSetup>& modules);
  ~HostChain();
  HostChain(const HostChain&) = delete;
  HostChain& operator=(const HostChain&) = delete;

  // Sends raw bytes to module 1 and runs until the line has been quiet for `quiet_ms`;
  // returns the bytes the last module put out meanwhile.
  std::vector<uint8_t> exchange(const std::vector<uint8_t>& bytes, uint32_t quiet_ms = 200);
  void run_ms(uint32_t ms);
  [[nodiscard]] bool balancing(int module) const;

  struct Node;

 private:
  void step();

  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<uint8_t> pending_;
  size_t sent_ = 0;
  std::vector<uint8_t> out_;
  uint32_t slot_ = 0;
};

}  // namespace powerstack::avr_sim
