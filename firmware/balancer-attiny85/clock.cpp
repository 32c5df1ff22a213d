#include "clock.hpp"

#include <avr/interrupt.h>
#include <util/atomic.h>

volatile bool g_wake_main = false;

namespace {

constexpr uint16_t kWatchdogTickMs = 1024U;  // 128K cycles of the 128 kHz oscillator: 2^10
constexpr uint16_t kMaxSubMs = kWatchdogTickMs - 1U;

// The interrupts only count (short interrupts keep the RX start-bit latency small); the
// main loop turns the counts into milliseconds.
volatile uint32_t g_ticks = 0;      // watchdog ticks
volatile uint16_t g_overflows = 0;  // Timer0 overflows since the last tick
volatile bool g_ticked = false;

}  // namespace

// Both interrupts let the serial ones in at once (ISR_NOBLOCK): a start bit must not wait.
ISR(WDT_vect, ISR_NOBLOCK) {
  g_ticks = g_ticks + 1U;
  g_overflows = 0;
  g_ticked = true;
  g_wake_main = true;
  clock_run();
}

ISR(TIMER0_OVF_vect, ISR_NOBLOCK) {
  g_overflows = static_cast<uint16_t>(g_overflows + 1U);
  g_wake_main = true;  // timeouts and inter-frame gaps are checked by the main loop
}

void clock_init() {
  // Interrupt-and-reset mode, 1 s. WDRF must be cleared before WDE can be changed; the
  // second write must follow the first within 4 cycles.
  MCUSR = 0;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    WDTCR = _BV(WDCE) | _BV(WDE);
    WDTCR = _BV(WDIE) | _BV(WDE) | _BV(WDP2) | _BV(WDP1);
  }
  TCCR0A = 0;  // normal mode: compare A is moved along by the serial code
  clock_run();
}

uint32_t clock_now_ms() {
  uint32_t ticks = 0;
  uint16_t overflows = 0;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    ticks = g_ticks;
    overflows = g_overflows;
  }
  // 2.048 ms an overflow as 2 + 3/64 ms (2.047: 0.05 % slow), in 16 bits: a 32-bit
  // division would cost the 1 MHz core most of a byte time at every call.
  const auto sub_ms = static_cast<uint16_t>(2U * overflows + ((3U * overflows) >> 6U));
  return (ticks << 10U) + (sub_ms > kMaxSubMs ? kMaxSubMs : sub_ms);
}

void clock_service() {
  bool ticked = false;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    ticked = g_ticked;
    g_ticked = false;
  }
  if (ticked) {
    // The hardware clears WDIE at each tick in this mode; without it the next tick resets.
    // WDIF is masked out: writing it back as 1 would clear a tick that is pending.
    WDTCR = static_cast<uint8_t>((WDTCR & ~_BV(WDIF)) | _BV(WDIE));
  }
}
