// The seed-001 cell balancer module image for the ATtiny85 at 1 MHz: the core's
// BalancerModule (core/include/powerstack/balancer/) on the board's ports. See
// docs/balancer-attiny85.md for pins, timing, sleep and sizes.
//
// Main loop: hand received bytes to the module, run its tick (measurement when due,
// timeouts, sending), feed its outgoing bytes to the serial code, then sleep until an
// interrupt has work for it: power-down when the line and the link are quiet (the watchdog
// tick and the RX pin change wake it), idle otherwise (Timer0 keeps the bit timing and the
// millisecond clock). The ADC converts in ADC noise reduction mode when no bit is in flight.
#include <avr/eeprom.h>
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>

#include "board.hpp"
#include "clock.hpp"
#include "powerstack/balancer/balancer_module.hpp"
#include "soft_serial.hpp"

namespace bal = powerstack::balancer;

namespace {

constexpr uint8_t kByteMs = bal::wire_time_ms(1);
// The link's inter-frame gap leaves the next module 2 byte times (4.2 ms) to turn a frame
// around before this module's next frame; this image takes up to ~4.8 ms at 1 MHz (CRC
// check, routing, encoding; test ForwardsWithinTheGapMargin). Each byte is therefore
// handed over as if it started this much later, which moves the end of the gap after a
// frame's last byte (ZQMA: `(MAa` then `ZQMA`); the bytes themselves are unchanged.
constexpr uint8_t kTurnaroundMarginMs = 3U;

uint8_t g_last_admux = 0;

// One conversion (two after a change of reference or channel: the first is discarded).
uint16_t convert(uint8_t admux) {
  const uint8_t conversions = admux == g_last_admux ? 1U : 2U;
  g_last_admux = admux;
  ADMUX = admux;
  ADCSRA = _BV(ADEN) | _BV(ADIE) | _BV(ADPS1) | _BV(ADPS0);  // 1 MHz / 8 = 125 kHz
  uint16_t counts = 0;
  for (uint8_t i = 0; i < conversions; ++i) {
    ADCSRA |= _BV(ADSC);
    cli();
    while ((ADCSRA & _BV(ADSC)) != 0U) {
      // Noise reduction mode halts Timer0, so only when no bit is in flight.
      set_sleep_mode(serial_idle() ? SLEEP_MODE_ADC : SLEEP_MODE_IDLE);
      sleep_enable();
      sei();
      sleep_cpu();
      sleep_disable();
      cli();
    }
    sei();
    counts = ADC;
  }
  ADCSRA = 0;  // the enabled ADC draws current in sleep
  return counts;
}

// The conversion-complete interrupt only wakes the core from its sleep in convert().
EMPTY_INTERRUPT(ADC_vect)

class CellAdcPort final : public bal::CellAdc {
 public:
  uint16_t read_cell_counts() override { return convert(board::kAdmuxCell); }
  uint16_t read_temperature_counts() override { return convert(board::kAdmuxTemperature); }
};

class BleedSwitch final : public bal::BalanceSwitch {
 public:
  void set_balancing(bool on) override {
    if (on) {
      PORTB |= _BV(board::kBleedBit);
    } else {
      PORTB &= static_cast<uint8_t>(~_BV(board::kBleedBit));
    }
  }
};

class EepromPort final : public bal::ModuleEeprom {
 public:
  uint8_t read_byte(uint16_t address) override {
    return eeprom_read_byte(reinterpret_cast<const uint8_t*>(address));
  }
  void write_byte(uint16_t address, uint8_t value) override {
    eeprom_write_byte(reinterpret_cast<uint8_t*>(address), value);
  }
};

CellAdcPort g_adc;
BleedSwitch g_switch;
EepromPort g_eeprom;
bal::BalancerModule g_module(g_adc, g_switch, g_eeprom);

void init_board() {
  PRR = _BV(PRTIM1) | _BV(PRUSI);   // unused: Timer1, USI
  DIDR0 = _BV(ADC2D) | _BV(AIN0D);  // analog pins: no digital input buffer
  PORTB = 0;                        // TX idle (0 V), bleed switch open
  DDRB = _BV(board::kTxBit) | _BV(board::kBleedBit);
}

// The stored OSCCAL correction, one step at a time (the datasheet asks for small steps).
void apply_oscillator_correction(int8_t steps) {
  for (; steps > 0; --steps) {
    OSCCAL = static_cast<uint8_t>(OSCCAL + 1U);
  }
  for (; steps < 0; ++steps) {
    OSCCAL = static_cast<uint8_t>(OSCCAL - 1U);
  }
}

void sleep_until_work() {
  cli();
  while (!g_wake_main) {
    if (serial_idle() && g_module.link().quiet()) {
      clock_stop();  // the watchdog tick and the RX pin change wake the core
      set_sleep_mode(SLEEP_MODE_PWR_DOWN);
    } else {
      set_sleep_mode(SLEEP_MODE_IDLE);
    }
    sleep_enable();
    sei();
    sleep_cpu();
    sleep_disable();
    cli();
  }
  g_wake_main = false;
  sei();
}

}  // namespace

// Pure virtual functions are never called (every port is implemented); a stray call resets.
extern "C" void __cxa_pure_virtual() {
  for (;;) {
  }
}

int main() {
  init_board();
  clock_init();
  serial_init();
  g_module.start(clock_now_ms());
  apply_oscillator_correction(g_module.oscillator_correction());
  sei();
  for (;;) {
    uint8_t byte = 0;
    while (serial_take(byte)) {
      g_module.receive_byte(byte, clock_now_ms());
    }
    clock_service(serial_idle() && g_module.link().quiet());
    g_module.tick(clock_now_ms());
    serial_service();
    // Each byte is handed over about one byte time before it starts on the wire (it waits
    // in the holding register); the link's inter-frame gap counts from its start.
    while (g_module.link_state() == bal::LinkState::kSending && serial_can_send()) {
      g_module.next_tx_byte(byte, clock_now_ms() + kByteMs + kTurnaroundMarginMs);
      serial_send(byte);
    }
    sleep_until_work();
  }
}
