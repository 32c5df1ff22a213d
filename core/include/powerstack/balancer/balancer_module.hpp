// BalancerModule: the logic of one seed-001 cell balancer module (ATtiny85, one per cell),
// the same code in the module image and in host simulations. Time is passed in (ms).
//
// - Measures the cell once a second (ADC counts -> mV with the reference correction), and
//   filters with the 3-value exponential average (cell_measurement.hpp).
// - Automatic balancing: the bleed switch closes when the filtered voltage is above the
//   balance start voltage (default and maximum 3500 mV) and opens again below start - 6 mV.
//   No command can switch it off.
// - Dynamic balancing: SDB closes the switch regardless of voltage; it opens again at the
//   61st measurement cycle after the last SDB (60..61 s later), or at once on EDB
//   (automatic balancing stays in force).
// - DBG: reports the voltage ("(aUA..." frames) at once and every 3rd measurement cycle,
//   and ends at the 60th cycle (1 min).
// The long timers count measurement cycles, as the original firmware did: asleep, the
// ATtiny85 has only its 1 s watchdog tick, so a millisecond deadline would be a fiction.
// - Serial: a SerialLink (half duplex) carries commands and the chain's traffic; the
//   forwarding rules are router.hpp's. Settings live in EEPROM (module_settings.hpp).
// The OSCCAL correction is stored and reported here; the image applies it to the oscillator
// at start-up (read oscillator_correction() after start()), so a new value acts after reset.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

#include "powerstack/balancer/cell_measurement.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/module_hardware.hpp"
#include "powerstack/balancer/module_settings.hpp"
#include "powerstack/balancer/response.hpp"
#include "powerstack/balancer/serial_link.hpp"

namespace powerstack {
namespace balancer {

constexpr uint16_t kMeasurePeriodMs = 1000U;
constexpr uint8_t kBalanceHysteresisMv = 6U;
constexpr uint8_t kDynamicBalancingCycles = 61U;  // ends 60..61 s after the last SDB
constexpr uint8_t kDebugCycles = 60U;
constexpr uint8_t kDebugReportEveryCycles = 3U;

struct ModuleStats {
  uint16_t handled = 0;    // commands executed (including those answered with NAK)
  uint16_t forwarded = 0;  // frames passed on
  uint16_t naks = 0;       // commands refused: unknown, or a value out of range
};

class BalancerModule {
 public:
  constexpr BalancerModule(CellAdc& adc, BalanceSwitch& balance_switch, ModuleEeprom& eeprom)
      : adc_(adc), switch_(balance_switch), eeprom_(eeprom) {}

  // Loads the settings, measures once and opens the switch. Call once at power-up.
  void start(uint32_t now_ms);
  // Call at every wake-up (timer or serial): measurement when due, timers, sending.
  void tick(uint32_t now_ms);

  // Serial side (half duplex): feed received bytes while link_state() is kReceiving (bytes
  // fed while sending are lost, as on the wire); take bytes while it is kSending.
  LinkState link_state() const { return link_.state(); }
  void receive_byte(uint8_t byte, uint32_t now_ms);
  bool next_tx_byte(uint8_t& byte, uint32_t now_ms) { return link_.next_tx_byte(byte, now_ms); }

  uint8_t address() const { return settings_.address; }
  uint16_t cell_mv() const { return filter_.value_mv(); }
  bool balancing() const { return switch_on_; }
  bool auto_balancing() const { return auto_on_; }
  bool dynamic_balancing() const { return dynamic_cycles_ != 0U; }
  bool debug_active() const { return debug_cycles_ != 0U; }
  int8_t oscillator_correction() const { return settings_.oscillator_correction; }
  const ModuleSettings& settings() const { return settings_; }
  const SerialLink& link() const { return link_; }
  const ModuleStats& stats() const { return stats_; }

 private:
  void measure();
  void run_cycle_timers();
  void on_frame(const uint8_t* payload, uint8_t length);
  void execute(const Command& command);
  // Applies a setter's value when in range; returns the acknowledgement or kNak.
  ResponseKind apply_setting(const Command& command);
  void answer(ResponseKind kind, int16_t value);
  void forward(const uint8_t* payload, uint8_t length);
  void update_switch();

  // Small members first: on the AVR, fields within 64 bytes of the object's start are
  // reached with one displacement instruction.
  CellAdc& adc_;
  BalanceSwitch& switch_;
  ModuleEeprom& eeprom_;
  ModuleSettings settings_;
  CellVoltageFilter filter_;
  bool auto_on_ = false;
  bool switch_on_ = false;
  uint8_t dynamic_cycles_ = 0;  // cycles left; 0 = dynamic balancing off
  uint8_t debug_cycles_ = 0;    // cycles left; 0 = DBG off
  uint32_t next_measure_ms_ = 0;
  ModuleStats stats_;
  SerialLink link_;
};

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
