// Forwarding rules of the balancer chain (seed 001), as one pure function shared by the
// module firmware and by simulated chains.
//
//   master --> module 1 --> module 2 --> ... --> module N --> master
//
// Every frame travels one way, toward higher positions in the chain. A module that receives
// a valid frame (bad-CRC frames never get this far: they are dropped):
// - a response ('(' first): passes it on unchanged, so it reaches the master at the end;
// - a command addressed to itself, or the bare "DBG" of a stand-alone module: executes it
//   and sends its response onward; the command itself goes no further;
// - ZSMAa: takes address a + 1 (stored), passes on ZSMA<a + 1>; at a = kMaxModules it keeps
//   its address and passes the frame on unchanged (the master sees the chain is too long);
// - ZQMA: sends (MA<own> first, then passes ZQMA on unchanged;
// - anything else (another address, another 'Z' command, an unknown but CRC-valid
//   payload): passes it on unchanged. A command nobody took returns to the master, which so
//   learns at once that no module has that address.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

enum class Route : uint8_t {
  kForward,        // pass the frame on unchanged
  kHandle,         // execute; answer; do not pass the command on
  kAssignAddress,  // ZSMA: take the next address, pass on the rewritten ZSMA
  kReportAddress,  // ZQMA: send (MA<own>, then pass ZQMA on
};

// Where the valid frame `payload` goes at the module whose address is `own_address`.
Route route(const uint8_t* payload, uint8_t length, uint8_t own_address);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
