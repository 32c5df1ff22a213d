// RamFlash: an NvStorage over a caller-owned byte buffer with the semantics of NOR flash
// (erase to 0xFF by block, programs only clear bits, address/length checks against the
// geometry), plus the faults power-loss tests need: a power cut after any number of byte
// operations, torn bits in the byte being written at the cut, bit rot and stuck (worn) bits.
// No heap: the image is the caller's. Used by the core tests and by the host's file flash.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/hal/nv_storage.hpp"

namespace powerstack::hal {

class RamFlash final : public NvStorage {
 public:
  // `bytes` must hold geometry.size_bytes bytes and outlive the RamFlash. The image is taken
  // as it is (call erase_all() for a factory-fresh part).
  RamFlash(std::uint8_t* bytes, NvGeometry geometry);

  // Size a multiple of the erase block, the erase block a multiple of the write granularity,
  // the granularity a power of two; false otherwise (every access then fails).
  [[nodiscard]] bool valid() const { return valid_; }

  [[nodiscard]] NvGeometry geometry() const override { return geometry_; }
  Status read(std::size_t address, std::uint8_t* out, std::size_t length) override;
  Status program(std::size_t address, const std::uint8_t* data, std::size_t length) override;
  Status erase_block(std::size_t address) override;
  void erase_all();

  // Power cut: after `byte_ops` more byte operations (one programmed or erased byte each) the
  // supply fails; the operation in progress stops there and returns kUnavailable, and so does
  // every program, erase and read until restore_power(). With torn bits (seeded), the byte at
  // the cut gets a random mix of its old and new bits instead of staying old.
  void schedule_power_cut(std::uint64_t byte_ops);
  void set_torn_bits(bool on, std::uint64_t seed);
  void restore_power();
  [[nodiscard]] bool powered() const { return powered_; }

  // Bit rot: inverts one stored bit now. Stuck bit: the bit reads 0 from now on, whatever is
  // erased or programmed (a worn cell). At most kMaxStuckBits.
  void flip_bit(std::size_t address, std::uint8_t bit);
  bool stick_bit_at_zero(std::size_t address, std::uint8_t bit);
  static constexpr std::size_t kMaxStuckBits = 8;

  // Counters since construction.
  [[nodiscard]] std::uint64_t byte_ops() const { return byte_ops_; }
  [[nodiscard]] std::uint64_t bytes_programmed() const { return bytes_programmed_; }
  [[nodiscard]] std::uint64_t blocks_erased() const { return blocks_erased_; }
  // Programs of a unit that did not read erased (legal on plain NOR flash, an error on parts
  // with ECC per unit); a power-safe writer keeps this at zero.
  [[nodiscard]] std::uint64_t units_reprogrammed() const { return units_reprogrammed_; }

 private:
  // Counts one byte operation; false when the supply fails at this byte.
  bool step();
  std::uint8_t random_byte();
  void apply_stuck_bits(std::size_t from, std::size_t to);

  std::uint8_t* bytes_;
  NvGeometry geometry_;
  bool valid_ = false;
  bool powered_ = true;
  bool cut_scheduled_ = false;
  std::uint64_t ops_until_cut_ = 0;
  bool torn_bits_ = false;
  std::uint64_t rng_state_ = 0;
  std::uint64_t byte_ops_ = 0;
  std::uint64_t bytes_programmed_ = 0;
  std::uint64_t blocks_erased_ = 0;
  std::uint64_t units_reprogrammed_ = 0;
  struct StuckBit {
    std::size_t address;
    std::uint8_t mask;
  };
  StuckBit stuck_[kMaxStuckBits] = {};
  std::size_t stuck_count_ = 0;
};

}  // namespace powerstack::hal
