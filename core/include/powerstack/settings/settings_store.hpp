// SettingsStore: small keyed, versioned records in two flash banks, safe against power loss
// at any byte (docs/settings-store.md).
//
// Each bank is one or more erase blocks. The active bank is the one with a valid bank header
// and the highest sequence number; a write appends a record (header + CRC-checked payload) to
// it. When the active bank is full, the newest record of every key plus the new one are
// written into the other, freshly erased bank, and its bank header is written last: a power
// cut before that leaves the old bank in charge, after it the new one. A read returns the
// newest record of a key whose CRCs hold, so a torn or rotted record falls back to the one
// before it. Every write is read back and compared.
//
// No heap, no exceptions; buffers are on the stack (64 bytes) or the caller's.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/hal/nv_storage.hpp"
#include "powerstack/settings/record_format.hpp"

namespace powerstack::settings {

enum class StoreStatus : std::uint8_t {
  kOk = 0,
  kNotFound,        // no intact record of this key
  kBadLayout,       // banks not aligned to erase blocks, outside the device, or too small
  kNotMounted,      // mount() has not succeeded
  kTooLarge,        // the record cannot fit in an empty bank (or exceeds kMaxPayloadBytes)
  kBufferTooSmall,  // the caller's buffer is shorter than the stored payload
  kNoSpace,         // the newest records of all keys plus this one do not fit in a bank
  kTooManyKeys,     // more than SettingsStore::kMaxKeys distinct keys
  kFlashError,      // the flash refused an operation (or the power failed)
  kVerifyFailed,    // what was read back differs from what was written, in both banks
};

const char* to_string(StoreStatus s);

struct StoreLayout {
  std::size_t base_address = 0;  // start of bank 0; a multiple of the erase block
  std::size_t bank_bytes = 0;    // size of each bank; a multiple of the erase block
};

struct ReadInfo {
  std::uint16_t version = 0;        // schema version the record was written with
  std::uint16_t length = 0;         // payload bytes
  bool from_previous_bank = false;  // no intact copy in the active bank: an older one served
  std::uint16_t corrupt_newer = 0;  // newer copies of this key skipped because a CRC failed
};

struct StoreState {
  bool has_active_bank = false;
  std::uint8_t active_bank = 0;
  std::uint32_t sequence = 0;
  std::size_t used_bytes = 0;  // of the active bank, header included
  std::size_t free_bytes = 0;
  std::uint32_t compactions = 0;  // since mount
};

class SettingsStore {
 public:
  static constexpr std::size_t kMaxKeys = 16;
  // Write granularity the store handles (its chunk buffer).
  static constexpr std::size_t kMaxWriteGranularity = 64;

  SettingsStore(hal::NvStorage& flash, StoreLayout layout) : flash_(flash), layout_(layout) {}

  // Finds the active bank and the append point; reads only. Blank or garbage flash mounts as
  // empty. Call again after a reset of the flash (it forgets everything it knew).
  StoreStatus mount();
  StoreStatus read(std::uint16_t key, std::uint8_t* out, std::size_t capacity, ReadInfo& info);
  // On kOk the record is on flash and read back; on any error the store still holds what it
  // held before (after a power cut, mount() again).
  StoreStatus write(std::uint16_t key, std::uint16_t version, const std::uint8_t* payload,
                    std::size_t length);
  [[nodiscard]] StoreState state() const;

 private:
  struct Found {
    std::size_t address = 0;
    RecordHeader header;
  };
  // Every record with a valid header in the bank, in log order.
  template <typename Visit>
  StoreStatus scan(std::uint8_t bank, Visit&& visit);
  // Newest record of `key` in `bank` below `before` whose payload CRC holds.
  StoreStatus find_newest(std::uint8_t bank, std::uint16_t key, std::size_t before, Found& found,
                          std::uint16_t& corrupt);
  StoreStatus find_intact(std::uint8_t bank, std::uint16_t key, Found& found,
                          std::uint16_t& corrupt);
  StoreStatus payload_intact(const Found& f, bool& intact);
  StoreStatus log_tail(std::uint8_t bank, std::size_t& tail);
  StoreStatus write_record(std::size_t address, const RecordHeader& h, const std::uint8_t* payload);
  StoreStatus copy_record(const Found& from, std::size_t to);
  StoreStatus compact_with(const RecordHeader& h, const std::uint8_t* payload);
  [[nodiscard]] std::size_t bank_start(std::uint8_t bank) const {
    return layout_.base_address + bank * layout_.bank_bytes;
  }
  [[nodiscard]] std::size_t bank_end(std::uint8_t bank) const {
    return bank_start(bank) + layout_.bank_bytes;
  }
  [[nodiscard]] std::size_t first_record(std::uint8_t bank) const {
    return bank_start(bank) + align_up(kBankHeaderBytes, granularity_);
  }
  [[nodiscard]] std::size_t record_bytes(std::size_t payload) const {
    return align_up(kRecordHeaderBytes + payload, granularity_);
  }

  hal::NvStorage& flash_;
  StoreLayout layout_;
  std::size_t granularity_ = 1;
  bool mounted_ = false;
  bool has_active_ = false;
  std::uint8_t active_ = 0;
  std::uint32_t sequence_ = 0;
  std::size_t append_ = 0;  // absolute address of the next record in the active bank
  std::uint32_t compactions_ = 0;
};

}  // namespace powerstack::settings
