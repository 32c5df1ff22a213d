// Saturating event counters of the balancer code (private to core/src/balancer).
#pragma once

#include <stdint.h>

namespace powerstack {
namespace balancer {

// Adds one unless the counter is at its maximum (one shared copy: flash on the ATtiny85).
void count_saturating(uint16_t& counter);

}  // namespace balancer
}  // namespace powerstack
