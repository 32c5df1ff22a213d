// How long a frame exchange takes on the seed-001 chain, from the bytes on the wire.
//
// The chain is store-and-forward: a module checks a frame's CRC before passing it on, so a
// frame of L bytes costs L byte times on every hop. At 4800 baud 8N1 a byte takes 10 bits =
// 2083.3 us. A command of c bytes for the module at position p (1..n) of an n-module chain is
// sent p times (master -> 1 -> ... -> p); its response of r bytes is sent n - p + 1 times
// (p -> ... -> n -> master). A command nobody takes goes round all n + 1 hops unchanged.
// These are lower bounds: modules add their reaction time and inter-frame gaps.
#pragma once

#include <cstdint>

namespace powerstack::balancer_manager {

inline constexpr std::uint32_t kByteTimeNs = 2'083'333U;  // 10 bits at 4800 baud

// Microseconds that `bytes` bytes take on the wire, rounded up.
constexpr std::uint64_t wire_time_us(std::uint64_t bytes) {
  return (bytes * 25'000U + 11U) / 12U;
}

// Byte times on the wire of one command/response exchange with the module at `position`
// (1..modules); for a position past the chain, the command's round trip over all hops.
constexpr std::uint32_t exchange_bytes(std::uint32_t position, std::uint32_t modules,
                                       std::uint32_t command_bytes, std::uint32_t response_bytes) {
  if (position == 0U || position > modules) {
    return (modules + 1U) * command_bytes;
  }
  return position * command_bytes + (modules - position + 1U) * response_bytes;
}

}  // namespace powerstack::balancer_manager
