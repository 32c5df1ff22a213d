#include "powerstack/power/state_store.hpp"

#include <cstring>

namespace powerstack::power {

namespace {

constexpr std::uint32_t kMagic = 0x42535431U;  // "BST1"
// Header: magic, sequence, crc (12 bytes), padded to the write granularity; payload after it.
constexpr std::size_t kHeaderCore = 12;
constexpr std::size_t kPayload = sizeof(SavedBatteryState);
constexpr std::size_t kMaxGranularity = 16;

constexpr std::size_t round_up(std::size_t n, std::size_t g) {
  return (n + g - 1) / g * g;
}

void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) {
    p[k] = static_cast<std::uint8_t>(v >> (8 * k));
  }
}
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int k = 0; k < 4; ++k) {
    v |= static_cast<std::uint32_t>(p[k]) << (8 * k);
  }
  return v;
}

std::uint32_t record_crc(std::uint32_t sequence, const std::uint8_t* payload) {
  std::uint8_t seq[4];
  put_u32(seq, sequence);
  return crc32(payload, kPayload, crc32(seq, sizeof(seq)));
}

}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t length, std::uint32_t crc) {
  crc = ~crc;
  for (std::size_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b) {
      crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
    }
  }
  return ~crc;
}

std::size_t StateStore::header_bytes() const {
  const std::size_t g = nv_.geometry().write_granularity_bytes;
  return round_up(kHeaderCore, g == 0 ? 1 : g);
}

StateStore::Slot StateStore::read_slot(std::size_t address) {
  Slot slot;
  std::uint8_t header[kHeaderCore];
  std::uint8_t payload[kPayload];
  if (nv_.read(address, header, sizeof(header)) != Status::kOk ||
      nv_.read(address + header_bytes(), payload, sizeof(payload)) != Status::kOk) {
    return slot;
  }
  const std::uint32_t sequence = get_u32(header + 4);
  if (get_u32(header) != kMagic || get_u32(header + 8) != record_crc(sequence, payload)) {
    return slot;
  }
  slot.valid = true;
  slot.sequence = sequence;
  std::memcpy(&slot.state, payload, kPayload);
  return slot;
}

Result<SavedBatteryState> StateStore::load() {
  const std::size_t block = nv_.geometry().erase_block_bytes;
  const Slot a = read_slot(base_);
  const Slot b = read_slot(base_ + block);
  // Sequence numbers compare modulo 2^32 so a wrap does not pick the older record.
  if (a.valid && (!b.valid || static_cast<std::int32_t>(a.sequence - b.sequence) > 0)) {
    return a.state;
  }
  if (b.valid) {
    return b.state;
  }
  return Status::kNotReady;
}

Status StateStore::save(const SavedBatteryState& state) {
  const hal::NvGeometry geo = nv_.geometry();
  const std::size_t g = geo.write_granularity_bytes == 0 ? 1 : geo.write_granularity_bytes;
  const std::size_t payload_bytes = round_up(kPayload, g);
  if (g > kMaxGranularity || geo.erase_block_bytes < header_bytes() + payload_bytes ||
      base_ % geo.erase_block_bytes != 0 || base_ + 2 * geo.erase_block_bytes > geo.size_bytes) {
    return Status::kOutOfRange;
  }
  const Slot a = read_slot(base_);
  const Slot b = read_slot(base_ + geo.erase_block_bytes);
  // Write over the older (or invalid) slot; the newest stays intact until the header lands.
  const bool a_newest =
      a.valid && (!b.valid || static_cast<std::int32_t>(a.sequence - b.sequence) > 0);
  const std::size_t target = a_newest ? base_ + geo.erase_block_bytes : base_;
  const std::uint32_t newest = a_newest ? a.sequence : (b.valid ? b.sequence : 0U);
  const std::uint32_t sequence = newest + 1U;

  std::uint8_t payload[round_up(kPayload, kMaxGranularity)];
  std::memset(payload, 0xFF, sizeof(payload));
  std::memcpy(payload, &state, kPayload);
  std::uint8_t header[round_up(kHeaderCore, kMaxGranularity)];
  std::memset(header, 0xFF, sizeof(header));
  put_u32(header, kMagic);
  put_u32(header + 4, sequence);
  put_u32(header + 8, record_crc(sequence, payload));

  Status s = nv_.erase_block(target);
  if (s == Status::kOk) {
    s = nv_.program(target + header_bytes(), payload, payload_bytes);
  }
  if (s == Status::kOk) {
    s = nv_.program(target, header, header_bytes());
  }
  return s;
}

}  // namespace powerstack::power
