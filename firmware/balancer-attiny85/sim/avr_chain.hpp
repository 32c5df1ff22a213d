// A chain of emulated balancer modules: the ATtiny85 image (ELF) run by simavr in N
// instances, wired pin to pin as in seed 001 (module i's TX, PB1, drives module i+1's RX,
// PB3), with the master (this class's caller) driving module 1's RX and listening to the
// last module's TX at the bit level.
//
// Determinism and exact timing: all modules run at 1 MHz on one cycle count. Data flows one
// way along the chain, so within each time slice the modules run in chain order and every
// edge a module puts on its TX pin is delivered to the next module's RX pin at the cycle it
// happened (through a simavr cycle timer). No wall clock is involved.
//
// Analog inputs: the cell voltage reaches ADC2 (PB4) through the board's 20k/20k divider
// (pin millivolts = cell / 2, integer); the REF3020 on AREF is 2048 mV. simavr 1.6 maps the
// ATtiny85's REFS = 001 (AREF) to its AVCC value, so both AVCC and AREF are set to 2048 mV.
// The temperature channel takes the sensor's voltage in millivolts (against the internal
// 1.1 V). simavr converts counts = mV * 1023 / Vref, truncated (emulated_adc_counts()).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "uart_bits.hpp"

struct avr_t;
struct avr_irq_t;

namespace powerstack::avr_sim {

constexpr uint32_t kAdcReferenceMv = 2048;
constexpr uint32_t kInternalReferenceMv = 1100;
constexpr uint16_t kFactoryOsccal = 0x80;  // the harness's stand-in for the factory value

// ADC counts simavr gives for `mv` at the pin against `reference_mv`.
uint16_t emulated_adc_counts(uint32_t mv, uint32_t reference_mv);

// Sleep modes (MCUCR SM1:0) in which a core was found sleeping.
enum SleepMode : int { kIdle = 0, kAdcNoiseReduction = 1, kPowerDown = 2, kSleepModes = 4 };

class AvrChain {
 public:
  struct ModuleSetup {
    uint32_t cell_mv = 3300;
    uint32_t temperature_mv = 300;
    std::array<uint8_t, 8> eeprom{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  };

  // Loads `elf_path` into one emulated ATtiny85 per entry of `modules`; throws
  // std::runtime_error when the image cannot be loaded.
  AvrChain(const std::string& elf_path, const std::vector<ModuleSetup>& modules);
  ~AvrChain();
  AvrChain(const AvrChain&) = delete;
  AvrChain& operator=(const AvrChain&) = delete;

  [[nodiscard]] int size() const { return static_cast<int>(modules_.size()); }
  [[nodiscard]] uint64_t now() const { return now_; }
  [[nodiscard]] double now_s() const { return static_cast<double>(now_) / kCpuHz; }

  void set_cell_mv(int module, uint32_t mv);
  void set_temperature_mv(int module, uint32_t mv);

  // Master side. send() queues bytes back to back after what is already queued (not before
  // now); send_edges() puts raw edges on module 1's RX (glitches, broken bytes).
  void send(const std::vector<uint8_t>& bytes);
  void send_edges(const std::vector<Edge>& edges);
  [[nodiscard]] uint64_t send_end() const { return tx_end_; }
  // Bytes decoded from the last module's TX so far (taken: the list is cleared).
  std::vector<UartDecoder::Byte> take_received();
  [[nodiscard]] int framing_errors() const { return decoder_.framing_errors(); }
  // Bytes decoded from module `module`'s TX so far, taken (every link is watched).
  std::vector<UartDecoder::Byte> take_line(int module);

  // Runs every module for `cycles` emulated cycles.
  void run_cycles(uint64_t cycles);
  void run_s(double seconds) { run_cycles(static_cast<uint64_t>(seconds * kCpuHz)); }

  // Observations.
  [[nodiscard]] bool bleed_on(int module) const;
  [[nodiscard]] const std::vector<Edge>& bleed_edges(int module) const;
  [[nodiscard]] uint8_t eeprom_byte(int module, uint16_t address) const;
  [[nodiscard]] uint8_t osccal(int module) const;
  [[nodiscard]] uint64_t sleep_cycles(int module, SleepMode mode) const;
  [[nodiscard]] int resets(int module) const;
  // Deepest stack seen (bytes below RAMEND written since start-up, from a painted RAM).
  [[nodiscard]] unsigned stack_bytes(int module) const;
  [[nodiscard]] unsigned static_ram_bytes() const { return static_ram_; }

  struct Module;  // per-module state (public for the simavr callbacks)

 private:
  static void run_module(Module& m, uint64_t target);
  void on_tx_edge(int index, uint64_t cycle, bool high);

  std::vector<std::unique_ptr<Module>> modules_;
  UartDecoder decoder_;
  std::vector<UartDecoder> lines_;  // one per module's TX
  uint64_t now_ = 0;
  uint64_t tx_end_ = 0;
  unsigned static_ram_ = 0;

  friend void on_tx_notify(avr_irq_t* irq, uint32_t value, void* param);
};

}  // namespace powerstack::avr_sim
