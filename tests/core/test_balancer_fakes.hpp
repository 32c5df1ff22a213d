// Test doubles for the balancer tests: the module's hardware ports, and helpers to move
// frames between a test and a module. Shared by test_balancer_module.cpp and
// test_balancer_chain.cpp.
#pragma once

#include <cstdint>
#include <cstring>

#include "powerstack/balancer/balancer_module.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/module_hardware.hpp"

namespace bal_test {

namespace bal = powerstack::balancer;

inline const uint8_t* bytes(const char* s) {
  return reinterpret_cast<const uint8_t*>(s);
}
inline uint8_t length(const char* s) {
  return static_cast<uint8_t>(std::strlen(s));
}
inline bool same(const uint8_t* payload, uint8_t n, const char* text) {
  return n == length(text) && std::memcmp(payload, text, n) == 0;
}

class FakeAdc final : public bal::CellAdc {
 public:
  uint16_t read_cell_counts() override { return cell_counts; }
  uint16_t read_temperature_counts() override { return temperature_counts; }
  uint16_t cell_counts = 810;  // 3240 mV
  uint16_t temperature_counts = 300;
};

class FakeSwitch final : public bal::BalanceSwitch {
 public:
  void set_balancing(bool closed) override {
    on = closed;
    ++changes;
  }
  bool on = false;
  int changes = 0;
};

// The first bytes of an EEPROM (the settings use bytes 1..6), factory-erased.
class FakeEeprom final : public bal::ModuleEeprom {
 public:
  FakeEeprom() { std::memset(bytes_, 0xFF, sizeof(bytes_)); }
  uint8_t read_byte(uint16_t address) override {
    return address < sizeof(bytes_) ? bytes_[address] : 0xFFU;
  }
  void write_byte(uint16_t address, uint8_t value) override {
    if (address < sizeof(bytes_)) {
      bytes_[address] = value;
    }
    ++writes;
  }
  uint8_t& operator[](uint16_t address) { return bytes_[address]; }
  int writes = 0;

 private:
  uint8_t bytes_[16] = {};
};

// One module with its hardware.
struct Node {
  FakeAdc adc;
  FakeSwitch balance_switch;
  FakeEeprom eeprom;
  bal::BalancerModule module{adc, balance_switch, eeprom};
};

// Wire time of byte number `slot` at 4800 baud (2.083 ms a byte), in ms.
inline uint32_t slot_ms(uint32_t slot) {
  return slot * 25U / 12U;
}

// One byte slot of a chain wired output to input: every module ticks; a sending module puts
// one byte on its output; a module takes its input byte only when listening (else the byte
// is lost and counted in `collisions`). `upstream` is the master's byte (-1: none); returns
// the last module's byte (-1: none). `node_at(i)` gives module i's Node.
template <typename NodeAt>
int step_chain(int n, NodeAt node_at, int upstream, uint32_t now, int& collisions) {
  for (int i = 0; i < n; ++i) {
    bal::BalancerModule& m = node_at(i).module;
    m.tick(now);
    int out = -1;
    uint8_t byte = 0;
    const bool sending = m.link_state() == bal::LinkState::kSending;
    if (sending && m.next_tx_byte(byte, now)) {
      out = byte;
    }
    if (upstream >= 0) {
      if (sending) {
        ++collisions;
      } else {
        m.receive_byte(static_cast<uint8_t>(upstream), now);
      }
    }
    upstream = out;
  }
  return upstream;
}

}  // namespace bal_test
