// The module's time: the watchdog's 1 s tick (which also runs in power-down) plus a
// millisecond count from Timer0 while the core is awake.
//
// The watchdog "1 s" is 128K cycles of its 128 kHz oscillator, 1.024 s nominal, so a tick
// adds 1024 ms; Timer0 (clk/8, overflow every 2.048 ms) counts the milliseconds within a
// tick, capped at 1023, and restarts from 0 at each tick. The time is monotonic; it stands
// still while the core is in power-down and catches up at the next tick (nothing but the
// next tick waits then: see SerialLink::quiet()).
//
// Timer0 runs in normal mode; its compare unit A paces the serial bits (soft_serial.hpp).
// The watchdog runs in interrupt-and-reset mode: the main loop re-arms the interrupt after
// each tick (clock_service()); a main loop stuck for a whole second resets the chip.
#pragma once

#include <avr/io.h>
#include <stdint.h>

// Set by every interrupt after which the main loop has work (clock tick, serial byte).
extern volatile bool g_wake_main;

void clock_init();
// Milliseconds since start-up (wraps after 49 days; the module logic is wrap-safe).
uint32_t clock_now_ms();
// Re-arms the watchdog interrupt after a tick; call from the main loop.
void clock_service();

// Timer0 on (clk/8, overflow interrupt) or off (before power-down, where it would stop
// anyway). Inline: called from interrupts, where a call would cost a full register save.
inline __attribute__((always_inline)) void clock_run() {
  if (TCCR0B == 0U) {
    TCCR0B = _BV(CS01);
    TIMSK |= _BV(TOIE0);
  }
}
inline __attribute__((always_inline)) void clock_stop() {
  TCCR0B = 0;
  TIMSK &= static_cast<uint8_t>(~_BV(TOIE0));
}
