// Constant tables of the balancer codec (private to core/src/balancer).
//
// On the AVR, const data is copied to RAM at start-up unless it is placed in flash and read
// with pgm_read_byte; the ATtiny85 has 512 bytes of RAM, so the protocol's name tables live
// in flash there. Elsewhere these are ordinary const arrays.
#pragma once

#include <stdint.h>

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define PS_BALANCER_FLASH PROGMEM
#else
#define PS_BALANCER_FLASH
#endif

namespace powerstack {
namespace balancer {

inline uint8_t flash_byte(const uint8_t* p) {
#if defined(__AVR__)
  return pgm_read_byte(p);
#else
  return *p;
#endif
}

}  // namespace balancer
}  // namespace powerstack
