// Half-duplex software UART on two pins: 4800 baud 8N1 with inverted levels (idle 0 V,
// start bit and 0 bits at VCC), as seed 001's modules and their opto couplers expect.
//
// RX: a pin-change interrupt on RX catches the start bit's rising edge (it also wakes the
// core from power-down); Timer0's compare A then samples the line in the middle of the
// start bit (checked again: a glitch is dropped), of the 8 data bits and of the stop bit
// (a byte whose stop bit is not 0 V is dropped as a framing error). Received bytes go to a
// 16-byte ring that the main loop drains.
// TX: compare A shifts the bits out; a one-byte holding register lets the next byte
// follow the stop bit without a gap. While sending, RX is not listened to (half duplex).
//
// Bit time 26 counts of Timer0 at clk/8 = 208 us (4807.7 baud, +0.16 %).
#pragma once

#include <stdint.h>

void serial_init();
// A received byte, if any.
bool serial_take(uint8_t& byte);
// True when serial_send() will take a byte (the holding register is free).
bool serial_can_send();
// Starts sending `byte`, or holds it until the byte being sent or received is done.
void serial_send(uint8_t byte);
// Starts a held byte that had to wait for a received byte; call from the main loop.
void serial_service();
// No bit in flight, nothing to send and no received byte waiting: power-down is allowed.
bool serial_idle();
