// The settings store's on-flash layout (docs/settings-store.md, byte by byte): a bank header
// that commits a bank, and records appended after it. All fields little-endian; every header
// carries its own CRC-32, so garbage from a torn write or an interrupted erase never parses.
#pragma once

#include <cstddef>
#include <cstdint>

namespace powerstack::settings {

// Record header, 16 bytes, followed by `length` payload bytes; the record is padded with
// 0xFF (left erased) to the next multiple of the flash's write granularity.
//   0 u16 magic 0x5352   2 u16 key   4 u16 schema version   6 u16 payload length
//   8 u32 CRC-32 of the payload   12 u32 CRC-32 of bytes 0..11
struct RecordHeader {
  std::uint16_t key = 0;
  std::uint16_t version = 0;
  std::uint16_t length = 0;
  std::uint32_t payload_crc = 0;
};
inline constexpr std::size_t kRecordHeaderBytes = 16;
inline constexpr std::uint16_t kRecordMagic = 0x5352;
// Largest payload a record carries (a bound for buffers; the bank may allow less).
inline constexpr std::size_t kMaxPayloadBytes = 1024;

void encode_record_header(const RecordHeader& h, std::uint8_t* out);
// False unless the magic and the header CRC hold and length <= kMaxPayloadBytes.
bool parse_record_header(const std::uint8_t* in, RecordHeader& h);

// Bank header, 16 bytes at the start of a bank, written last when a bank is filled, so a
// bank is in use only once everything in it is on flash.
//   0 u32 magic 0x4B425350 ("PSBK")   4 u32 sequence (higher is newer)
//   8 u16 format 1   10 u16 0xFFFF   12 u32 CRC-32 of bytes 0..11
inline constexpr std::size_t kBankHeaderBytes = 16;
inline constexpr std::uint32_t kBankMagic = 0x4B425350;
inline constexpr std::uint16_t kStoreFormat = 1;

void encode_bank_header(std::uint32_t sequence, std::uint8_t* out);
bool parse_bank_header(const std::uint8_t* in, std::uint32_t& sequence);

inline constexpr std::size_t align_up(std::size_t n, std::size_t unit) {
  return (n + unit - 1) / unit * unit;
}

}  // namespace powerstack::settings
