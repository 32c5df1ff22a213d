// StateStore: the battery state a device saves before it powers off, kept power-loss safe on
// a hal::NvStorage. Two slots, each in its own erase block; a save goes to the slot NOT
// holding the newest record: erase, program the payload, then program the header (magic,
// sequence number, CRC-32 of sequence and payload) last. A record counts only when its magic
// and CRC match, so a power cut at any point leaves the previous record (or, once the header
// is complete, the new one) as the newest valid one: old or new state, never garbage.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/common/status.hpp"
#include "powerstack/hal/nv_storage.hpp"

namespace powerstack::power {

struct SavedBatteryState {
  float soc = 0.0f;
  float soc_sigma = 1.0f;
  float capacity_ah = 0.0f;
  float r0_ohm = 0.0f;
  std::uint32_t shutdown_count = 0;
  std::uint32_t boot_count = 0;
};

// CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320, init and final XOR 0xFFFFFFFF).
std::uint32_t crc32(const std::uint8_t* data, std::size_t length, std::uint32_t crc = 0);

class StateStore {
 public:
  // Uses the erase blocks at base_address and base_address + erase_block_bytes.
  StateStore(hal::NvStorage& nv, std::size_t base_address) : nv_(nv), base_(base_address) {}

  // kOutOfRange when the two slots do not fit the device or a record does not fit a block;
  // otherwise the NvStorage's status of the first failing call.
  Status save(const SavedBatteryState& state);
  // The newest valid record; kNotReady when neither slot holds one.
  [[nodiscard]] Result<SavedBatteryState> load();

 private:
  struct Slot {
    bool valid = false;
    std::uint32_t sequence = 0;
    SavedBatteryState state{};
  };
  Slot read_slot(std::size_t address);
  [[nodiscard]] std::size_t header_bytes() const;

  hal::NvStorage& nv_;
  std::size_t base_;
};

}  // namespace powerstack::power
