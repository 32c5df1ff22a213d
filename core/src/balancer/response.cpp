#include "powerstack/balancer/response.hpp"

#include "ascii_fields.hpp"
#include "flash_table.hpp"
#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/frame.hpp"

namespace powerstack {
namespace balancer {

namespace {

struct Entry {
  uint8_t name[3];  // 2 or 3 letters, 0-padded
  uint8_t field;    // fields::Field after the name
  uint8_t kind;     // ResponseKind
};

constexpr uint8_t kind_byte(ResponseKind kind) {
  return static_cast<uint8_t>(kind);
}

constexpr uint8_t kEntries = 15U;

// The first entry of a kind is how it is written; later ones are read-only aliases.
const Entry kTable[kEntries] PS_BALANCER_FLASH = {
    {{'U', 'A', 0}, fields::kVoltageFlag, kind_byte(ResponseKind::kVoltage)},
    {{'T', 'A', 0}, fields::kUnsigned3, kind_byte(ResponseKind::kTemperature)},
    {{'B', 'S', 0}, fields::kUnsigned4, kind_byte(ResponseKind::kBalanceStart)},
    {{'R', 'C', 0}, fields::kSigned1, kind_byte(ResponseKind::kReferenceCorrection)},
    {{'T', 'C', 0}, fields::kSigned2, kind_byte(ResponseKind::kTemperatureCorrection)},
    {{'O', 'C', 0}, fields::kSigned1, kind_byte(ResponseKind::kOscillatorCorrection)},
    {{'S', 'D', 'B'}, fields::kOk, kind_byte(ResponseKind::kDynamicStarted)},
    {{'E', 'D', 'B'}, fields::kOk, kind_byte(ResponseKind::kDynamicEnded)},
    {{'B', 'S', 'V'}, fields::kOk, kind_byte(ResponseKind::kBalanceStartSet)},
    {{'R', 'C', 0}, fields::kOk, kind_byte(ResponseKind::kReferenceCorrectionSet)},
    {{'R', 'T', 0}, fields::kOk, kind_byte(ResponseKind::kTemperatureCorrectionSet)},
    {{'O', 'C', 0}, fields::kOk, kind_byte(ResponseKind::kOscillatorCorrectionSet)},
    {{'N', 'A', 'K'}, fields::kNone, kind_byte(ResponseKind::kNak)},
    // Aliases: the original firmware's "(aTCOK" (STC) and "(aMA" (QMA).
    {{'T', 'C', 0}, fields::kOk, kind_byte(ResponseKind::kTemperatureCorrectionSet)},
    {{'M', 'A', 0}, fields::kNone, kind_byte(ResponseKind::kModuleAddress)},
};

// Byte i of an entry: 0..2 the name, 3 the field, 4 the kind.
uint8_t entry_byte(uint8_t entry, uint8_t i) {
  const Entry& e = kTable[entry];
  return flash_byte(i < 3U ? &e.name[i] : (i == 3U ? &e.field : &e.kind));
}

uint8_t name_length(uint8_t entry) {
  return entry_byte(entry, 2) == 0U ? 2U : 3U;
}

}  // namespace

uint8_t encode_response(const Response& response, uint8_t* out, uint8_t capacity) {
  uint8_t text[kMaxPayload];
  text[0] = kResponseStart;
  uint8_t n = 1;
  const bool address_report = response.kind == ResponseKind::kModuleAddress;
  if (address_report) {
    text[n++] = 'M';  // "(MAa": seed 001 puts the address last here
    text[n++] = 'A';
  }
  const uint8_t address_length =
      response.address == kNoModule ? 0 : encode_address(response.address, text + n);
  if (address_length == 0U) {
    return 0;
  }
  n = static_cast<uint8_t>(n + address_length);
  if (!address_report) {
    uint8_t entry = 0;
    while (entry < kEntries && entry_byte(entry, 4) != static_cast<uint8_t>(response.kind)) {
      ++entry;
    }
    if (entry == kEntries) {
      return 0;
    }
    for (uint8_t i = 0; i < name_length(entry); ++i) {
      text[n++] = entry_byte(entry, i);
    }
    const uint8_t field = fields::put(static_cast<fields::Field>(entry_byte(entry, 3)),
                                      response.value, response.balancing, text + n);
    if (field == 0xFFU) {
      return 0;
    }
    n = static_cast<uint8_t>(n + field);
  }
  if (n > capacity) {
    return 0;
  }
  for (uint8_t i = 0; i < n; ++i) {
    out[i] = text[i];
  }
  return n;
}

bool decode_response(const uint8_t* payload, uint8_t length, Response& out) {
  if (length < 4U || payload[0] != kResponseStart) {
    return false;
  }
  Response r;
  uint8_t n = 0;
  // "(MAa" (seed 001) first; "(M" followed by a name starting with 'A' does not exist.
  if (payload[1] == 'M' && payload[2] == 'A') {
    const auto rest = static_cast<uint8_t>(length - 3U);
    if (decode_address(payload + 3, rest, n) == rest && n != kNoModule) {
      r.kind = ResponseKind::kModuleAddress;
      r.address = n;
      out = r;
      return true;
    }
  }
  const uint8_t used = decode_address(payload + 1, static_cast<uint8_t>(length - 1U), n);
  if (used == 0U || n == kNoModule) {
    return false;
  }
  r.address = n;
  const uint8_t* name = payload + 1 + used;
  const auto available = static_cast<uint8_t>(length - 1U - used);
  for (uint8_t entry = 0; entry < kEntries; ++entry) {
    const uint8_t letters = name_length(entry);
    if (available < letters || name[0] != entry_byte(entry, 0) || name[1] != entry_byte(entry, 1) ||
        (letters == 3U && name[2] != entry_byte(entry, 2))) {
      continue;
    }
    if (fields::parse(static_cast<fields::Field>(entry_byte(entry, 3)), name + letters,
                      static_cast<uint8_t>(available - letters), r.value, r.balancing)) {
      r.kind = static_cast<ResponseKind>(entry_byte(entry, 4));
      out = r;
      return true;
    }
  }
  return false;
}

}  // namespace balancer
}  // namespace powerstack
