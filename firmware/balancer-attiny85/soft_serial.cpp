#include "soft_serial.hpp"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

#include "board.hpp"
#include "clock.hpp"

namespace {

constexpr uint8_t kBitTicks = 26U;  // 208 us
// First sample: half a bit (13 counts) after the edge, less the time from the edge to the
// reading of TCNT0 in the pin-change interrupt and from the compare to the reading of PINB
// in the compare interrupt (entries and register saves: ~65 us in all).
constexpr uint8_t kFirstSampleTicks = 13U - 8U;
constexpr uint8_t kStopBit = 9U;  // bit numbers: 0 start, 1..8 data, 9 stop
constexpr uint8_t kRingSize = 16U;

enum Mode : uint8_t { kIdle, kReceiving, kSending };

volatile uint8_t g_mode = kIdle;
// Touched only by the interrupts, or by the main loop with interrupts off.
uint8_t g_bit = 0;
uint8_t g_shift = 0;
volatile uint8_t g_hold = 0;
volatile bool g_hold_full = false;
volatile uint8_t g_ring[kRingSize];
volatile uint8_t g_head = 0;  // written by the interrupt
volatile uint8_t g_tail = 0;  // written by the main loop
// Small helpers used by the interrupts are forced inline: a call from an interrupt makes it
// save every call-clobbered register (flash and time).
#define PS_ISR_INLINE inline __attribute__((always_inline))

// The pin-change interrupt stays enabled while a byte is received (it returns at once), so
// a start bit that follows the stop bit closely is caught even while the stop bit is being
// handled; it is off only while sending.
PS_ISR_INLINE void end_of_byte() {
  g_mode = kIdle;
  TIMSK &= static_cast<uint8_t>(~_BV(OCIE0A));
}

PS_ISR_INLINE void end_of_sending() {
  end_of_byte();
  GIFR = _BV(PCIF);  // forget edges seen while deaf
  PCMSK = _BV(board::kRxBit);
}

PS_ISR_INLINE void start_compare(uint8_t ticks) {
  OCR0A = static_cast<uint8_t>(TCNT0 + ticks);
  TIFR = _BV(OCF0A);
  TIMSK |= _BV(OCIE0A);
}

PS_ISR_INLINE void tx_level(bool high) {
  if (high) {
    PORTB |= _BV(board::kTxBit);
  } else {
    PORTB &= static_cast<uint8_t>(~_BV(board::kTxBit));
  }
}

void start_byte(uint8_t byte) {
  PCMSK = 0;  // half duplex: deaf while sending
  clock_run();
  g_shift = byte;
  g_bit = 1;
  g_mode = kSending;
  tx_level(true);  // start bit
  start_compare(kBitTicks);
}

PS_ISR_INLINE void receive_bit(uint8_t pins) {
  const bool high = (pins & _BV(board::kRxBit)) != 0U;
  const uint8_t bit = g_bit;
  if (bit == 0U) {
    if (!high) {  // the start bit did not last: a glitch
      end_of_byte();
      return;
    }
  } else if (bit < kStopBit) {
    g_shift = static_cast<uint8_t>((g_shift >> 1U) | (high ? 0U : 0x80U));  // 0 V is a 1
  } else {
    // Done with the line: let the next start bit's pin-change interrupt in at once (it
    // may follow within half a bit) while the byte is stored.
    end_of_byte();
    sei();
    // A stop bit at VCC is a framing error; a full ring drops the byte (both then show as
    // a broken line or a CRC error to the protocol layer, which counts them).
    const auto next = static_cast<uint8_t>((g_head + 1U) % kRingSize);
    if (!high && next != g_tail) {
      g_ring[g_head] = g_shift;
      g_head = next;
      g_wake_main = true;
    }
    return;
  }
  g_bit = static_cast<uint8_t>(bit + 1U);
}

PS_ISR_INLINE void send_bit() {
  const uint8_t bit = g_bit;
  if (bit < kStopBit) {
    tx_level((g_shift & 1U) == 0U);  // inverted: a 1 is 0 V
    g_shift = static_cast<uint8_t>(g_shift >> 1U);
  } else if (bit == kStopBit) {
    tx_level(false);
  } else {  // the stop bit has lasted its time
    if (g_hold_full) {
      g_shift = g_hold;
      g_hold_full = false;
      tx_level(true);
      g_bit = 1;
      g_wake_main = true;  // the holding register is free
      return;
    }
    end_of_sending();
    g_wake_main = true;
    return;
  }
  g_bit = static_cast<uint8_t>(bit + 1U);
}

}  // namespace

ISR(PCINT0_vect) {
  // From idle, only a rising edge (the start bit) matters.
  if (g_mode != kIdle || (PINB & _BV(board::kRxBit)) == 0U) {
    return;
  }
  clock_run();
  g_bit = 0;
  g_mode = kReceiving;
  start_compare(kFirstSampleTicks);
}

ISR(TIMER0_COMPA_vect) {
  const uint8_t pins = PINB;  // first: the sample time is the interrupt's entry
  OCR0A = static_cast<uint8_t>(OCR0A + kBitTicks);
  if (g_mode == kSending) {
    send_bit();
  } else {
    receive_bit(pins);
  }
}

void serial_init() {
  GIMSK |= _BV(PCIE);
  PCMSK = _BV(board::kRxBit);
}

bool serial_take(uint8_t& byte) {
  const uint8_t tail = g_tail;
  if (tail == g_head) {
    return false;
  }
  byte = g_ring[tail];
  g_tail = static_cast<uint8_t>((tail + 1U) % kRingSize);
  return true;
}

bool serial_can_send() {
  return !g_hold_full;
}

void serial_send(uint8_t byte) {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    if (g_mode == kIdle) {
      start_byte(byte);
    } else {  // after the byte being sent, or the one being received (serial_service())
      g_hold = byte;
      g_hold_full = true;
    }
  }
}

void serial_service() {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    if (g_mode == kIdle && g_hold_full) {
      g_hold_full = false;
      start_byte(g_hold);
    }
  }
}

bool serial_idle() {
  return g_mode == kIdle && g_head == g_tail && !g_hold_full;
}
