// NvStorage: flash or EEPROM as the hardware offers it. Erase sets a whole block to the erased
// value 0xFF; a program only clears bits (the stored byte becomes old & new) within units of
// write_granularity_bytes, and a unit is programmed at most once between erases. The settings
// store and the update slots build power-loss-safe data on top of this contract.
//
// Power loss: an interrupted program leaves the units before the cut programmed, the units
// after it untouched and the unit being written with any mix of its old and new bits; an
// interrupted erase leaves the block partly erased. Nothing else changes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/common/status.hpp"

namespace powerstack::hal {

// The value every byte reads after an erase.
inline constexpr std::uint8_t kErasedByte = 0xFF;

struct NvGeometry {
  std::size_t size_bytes = 0;
  std::size_t erase_block_bytes = 0;
  std::size_t write_granularity_bytes = 1;
};

class NvStorage {
 public:
  [[nodiscard]] virtual NvGeometry geometry() const = 0;
  // kOutOfRange when [address, address + length) leaves the device.
  virtual Status read(std::size_t address, std::uint8_t* out, std::size_t length) = 0;
  // address and length must be multiples of write_granularity_bytes (kInvalidArgument).
  virtual Status program(std::size_t address, const std::uint8_t* data, std::size_t length) = 0;
  // Erases the block that starts at `address` (a multiple of erase_block_bytes).
  virtual Status erase_block(std::size_t address) = 0;

 protected:
  ~NvStorage() = default;
};

}  // namespace powerstack::hal
