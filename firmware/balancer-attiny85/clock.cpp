#include "clock.hpp"

#include <avr/interrupt.h>
#include <util/atomic.h>

volatile bool g_wake_main = false;

namespace {

constexpr uint16_t kWatchdogTickMs = 1024U;  // 128K cycles of the 128 kHz oscillator
// Overflows counted between two steps at most (33 s awake in one frame, never in practice):
// keeps the milliseconds within 16 bits.
constexpr uint16_t kMaxOverflows = 16000U;

// The interrupts only count (short interrupts keep the RX start-bit latency small); the
// main loop turns the counts into milliseconds.
volatile uint8_t g_pending_ticks = 0;  // watchdog ticks not yet added to the time
volatile uint16_t g_overflows = 0;     // Timer0 overflows since the last tick was added
volatile bool g_ticked = false;
uint32_t g_base_ms = 0;  // main loop only

}  // namespace

// Both interrupts let the serial ones in at once (ISR_NOBLOCK): a start bit must not wait.
ISR(WDT_vect, ISR_NOBLOCK) {
  if (g_pending_ticks != 0xFFU) {
    g_pending_ticks = static_cast<uint8_t>(g_pending_ticks + 1U);
  }
  g_ticked = true;
  g_wake_main = true;
  clock_run();
}

ISR(TIMER0_OVF_vect, ISR_NOBLOCK) {
  if (g_overflows != kMaxOverflows) {
    g_overflows = static_cast<uint16_t>(g_overflows + 1U);
  }
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
  uint16_t overflows = 0;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    overflows = g_overflows;
  }
  // 2.048 ms an overflow as 2 + 3/64 ms (0.05 % short): no 32-bit division, which would
  // cost the 1 MHz core most of a byte time at every call.
  return g_base_ms + static_cast<uint16_t>(2U * overflows + ((3U * overflows) >> 6U));
}

void clock_service(bool quiet) {
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
  if (!quiet || g_pending_ticks == 0U) {
    return;
  }
  const uint32_t before = clock_now_ms();
  uint8_t ticks = 0;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    ticks = g_pending_ticks;
    g_pending_ticks = 0;
    g_overflows = 0;
  }
  uint32_t stepped = g_base_ms;
  for (; ticks != 0U; --ticks) {
    stepped += kWatchdogTickMs;
  }
  g_base_ms = stepped > before ? stepped : before;  // never backwards
}
