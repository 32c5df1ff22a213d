#include "powerstack/balancer/router.hpp"

#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/frame.hpp"

namespace powerstack {
namespace balancer {

Route route(const uint8_t* payload, uint8_t length, uint8_t own_address) {
  if (length == 0U || payload[0] == kResponseStart) {
    return Route::kForward;
  }
  Command c;
  if (payload[0] == kBroadcastChar) {
    if (!decode_command(payload, length, c)) {
      return Route::kForward;
    }
    if (c.kind == CommandKind::kQueryAddresses) {
      return Route::kReportAddress;
    }
    return c.value < kMaxModules ? Route::kAssignAddress : Route::kForward;
  }
  if (length == 3U && decode_command(payload, length, c)) {
    return Route::kHandle;  // bare "DBG": for whoever hears it (stand-alone use)
  }
  uint8_t target = 0;
  if (decode_address(payload, length, target) != 0U && target == own_address) {
    return Route::kHandle;  // even when the command is unknown: the module answers NAK
  }
  return Route::kForward;
}

}  // namespace balancer
}  // namespace powerstack
