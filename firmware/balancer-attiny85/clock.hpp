// The module's time: the watchdog's 1 s tick (which also runs in power-down) plus a
// millisecond count from Timer0 while the core is awake.
//
// The watchdog "1 s" is 128K cycles of its 128 kHz oscillator, 1.024 s nominal. Awake,
// Timer0 (clk/8, overflow every 2.048 ms) counts the milliseconds. A watchdog tick moves the
// time on to the tick's 1024 ms step (never backwards), but only when the link is quiet
// (between frames): in power-down Timer0 stands still, so the step can be a jump of most of
// a second, which in the middle of a frame would look like silence and expire the line.
// Deferred, it lands between frames, where the module also measures.
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
// Re-arms the watchdog interrupt after a tick and, when `quiet` (no frame in progress),
// adds the pending ticks to the time. Call from the main loop.
void clock_service(bool quiet);

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
