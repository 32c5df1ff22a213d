#include "powerstack/balancer/command.hpp"

#include "ascii_fields.hpp"
#include "flash_table.hpp"
#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/frame.hpp"

namespace powerstack {
namespace balancer {

namespace {

constexpr uint8_t kKinds = static_cast<uint8_t>(CommandKind::kQueryAddresses) + 1U;
constexpr uint8_t kEntry = 4U;  // three name letters, the argument field

// In CommandKind order.
const uint8_t kTable[kKinds * kEntry] PS_BALANCER_FLASH = {
    'Q', 'U', 'A', fields::kNone,    'Q', 'T', 'A', fields::kNone,
    'Q', 'B', 'U', fields::kNone,    'Q', 'R', 'C', fields::kNone,
    'Q', 'T', 'C', fields::kNone,    'Q', 'O', 'C', fields::kNone,
    'S', 'D', 'B', fields::kNone,    'E', 'D', 'B', fields::kNone,
    'B', 'S', 'V', fields::kDigits4, 'S', 'R', 'C', fields::kSigned1,
    'S', 'T', 'C', fields::kSigned2, 'S', 'O', 'C', fields::kSigned1,
    'D', 'B', 'G', fields::kNone,    'S', 'M', 'A', fields::kAddress,
    'Q', 'M', 'A', fields::kNone,
};

bool is_broadcast_kind(CommandKind kind) {
  return kind == CommandKind::kAssignAddresses || kind == CommandKind::kQueryAddresses;
}

fields::Field field_of(uint8_t kind) {
  return static_cast<fields::Field>(flash_byte(&kTable[kind * kEntry + 3U]));
}

}  // namespace

uint8_t encode_command(const Command& command, uint8_t* out, uint8_t capacity) {
  const auto kind = static_cast<uint8_t>(command.kind);
  if (kind >= kKinds) {
    return 0;
  }
  uint8_t text[kMaxPayload];
  uint8_t n = 0;
  if (command.target == kTargetBroadcast) {
    if (!is_broadcast_kind(command.kind)) {
      return 0;
    }
    text[n++] = kBroadcastChar;
  } else if (command.target == kTargetStandalone) {
    if (command.kind != CommandKind::kDebug) {
      return 0;
    }
  } else {
    n = is_broadcast_kind(command.kind) ? 0 : encode_address(command.target, text);
    if (n == 0U) {
      return 0;
    }
  }
  for (uint8_t i = 0; i < 3U; ++i) {
    text[n++] = flash_byte(&kTable[kind * kEntry + i]);
  }
  const uint8_t argument = fields::put(field_of(kind), command.value, false, text + n);
  if (argument == 0xFFU || n + argument > capacity) {
    return 0;
  }
  n = static_cast<uint8_t>(n + argument);
  for (uint8_t i = 0; i < n; ++i) {
    out[i] = text[i];
  }
  return n;
}

bool decode_command(const uint8_t* payload, uint8_t length, Command& out) {
  if (length < 3U) {
    return false;
  }
  Command c;
  uint8_t used = 0;
  if (payload[0] == kBroadcastChar) {
    c.target = kTargetBroadcast;
    used = 1;
  } else if (length == 3U) {
    c.target = kTargetStandalone;  // only "DBG" qualifies, checked below
  } else {
    used = decode_address(payload, length, c.target);
    if (used == 0U || c.target == kNoModule) {
      return false;
    }
  }
  if (length < used + 3U) {
    return false;
  }
  const uint8_t* name = payload + used;
  for (uint8_t kind = 0; kind < kKinds; ++kind) {
    const uint8_t* entry = &kTable[static_cast<uint8_t>(kind * kEntry)];
    if (name[0] != flash_byte(entry) || name[1] != flash_byte(entry + 1) ||
        name[2] != flash_byte(entry + 2)) {
      continue;
    }
    c.kind = static_cast<CommandKind>(kind);
    if ((c.target == kTargetBroadcast) != is_broadcast_kind(c.kind) ||
        (c.target == kTargetStandalone && c.kind != CommandKind::kDebug)) {
      return false;
    }
    bool unused = false;
    if (!fields::parse(field_of(kind), name + 3, static_cast<uint8_t>(length - used - 3U), c.value,
                       unused)) {
      return false;
    }
    out = c;
    return true;
  }
  return false;
}

}  // namespace balancer
}  // namespace powerstack
