#include "powerstack/balancer/address.hpp"

namespace powerstack {
namespace balancer {

namespace {
constexpr uint8_t kFirstTwoChar = kSingleCharModules + 1U;                // 35 = "a0"
constexpr uint8_t kLastLead = 'a' + (kMaxModules - kFirstTwoChar) / 10U;  // 'v'
}  // namespace

uint8_t encode_address(uint8_t n, uint8_t* out) {
  if (n > kMaxModules) {
    return 0;
  }
  if (n <= 9U) {
    out[0] = static_cast<uint8_t>('0' + n);
    return 1;
  }
  if (n <= kSingleCharModules) {
    out[0] = static_cast<uint8_t>('A' + (n - 10U));
    return 1;
  }
  const auto k = static_cast<uint8_t>(n - kFirstTwoChar);
  out[0] = static_cast<uint8_t>('a' + k / 10U);
  out[1] = static_cast<uint8_t>('0' + k % 10U);
  return 2;
}

uint8_t decode_address(const uint8_t* text, uint8_t available, uint8_t& n) {
  if (available == 0U) {
    return 0;
  }
  const uint8_t c = text[0];
  if (c >= '0' && c <= '9') {
    n = static_cast<uint8_t>(c - '0');
    return 1;
  }
  if (c >= 'A' && c < kBroadcastChar) {
    n = static_cast<uint8_t>(10U + (c - 'A'));
    return 1;
  }
  if (c >= 'a' && c <= kLastLead && available >= 2U && text[1] >= '0' && text[1] <= '9') {
    n = static_cast<uint8_t>(kFirstTwoChar + 10U * (c - 'a') + (text[1] - '0'));
    return 2;
  }
  return 0;
}

}  // namespace balancer
}  // namespace powerstack
