// The seed-001 balancer board around the ATtiny85 (pin map of the original module, see
// docs/balancer-attiny85.md), 1 MHz internal RC oscillator.
//
//            +--\/--+
//  RESET PB5 |1    8| VCC (cell +)
//     RX PB3 |2    7| PB2 bleed switch (Q1, Q2 gates)
//   CELL PB4 |3    6| PB1 TX
//        GND |4    5| PB0 AREF (REF3020, 2.048 V)
//            +------+
//
// RX and TX carry 4800 baud 8N1 with inverted levels (idle 0 V, start bit = VCC). CELL is
// ADC2, the cell through a 20k/20k divider.
#pragma once

#include <avr/io.h>
#include <stdint.h>

namespace board {

constexpr uint8_t kRxBit = PB3;
constexpr uint8_t kTxBit = PB1;
constexpr uint8_t kBleedBit = PB2;

// ADMUX for the cell: external reference on AREF (REFS2:0 = 001), channel ADC2 (PB4).
constexpr uint8_t kAdmuxCell = _BV(REFS0) | _BV(MUX1);
// ADMUX for the temperature sensor: internal 1.1 V reference (REFS2:0 = 010), ADC4.
constexpr uint8_t kAdmuxTemperature = _BV(REFS1) | _BV(MUX3) | _BV(MUX2) | _BV(MUX1) | _BV(MUX0);

}  // namespace board
