#include "powerstack/hal/ram_flash.hpp"

namespace powerstack::hal {

namespace {

bool is_power_of_two(std::size_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

}  // namespace

RamFlash::RamFlash(std::uint8_t* bytes, NvGeometry geometry) : bytes_(bytes), geometry_(geometry) {
  valid_ = bytes != nullptr && geometry.size_bytes > 0 && geometry.erase_block_bytes > 0 &&
           is_power_of_two(geometry.write_granularity_bytes) &&
           geometry.erase_block_bytes % geometry.write_granularity_bytes == 0 &&
           geometry.size_bytes % geometry.erase_block_bytes == 0;
}

bool RamFlash::step() {
  if (cut_scheduled_) {
    if (ops_until_cut_ == 0) {
      powered_ = false;
      cut_scheduled_ = false;
      return false;
    }
    --ops_until_cut_;
  }
  ++byte_ops_;
  return true;
}

std::uint8_t RamFlash::random_byte() {
  // xorshift64: deterministic from the seed, identical on every platform.
  rng_state_ ^= rng_state_ << 13U;
  rng_state_ ^= rng_state_ >> 7U;
  rng_state_ ^= rng_state_ << 17U;
  return static_cast<std::uint8_t>(rng_state_ >> 32U);
}

void RamFlash::apply_stuck_bits(std::size_t from, std::size_t to) {
  for (std::size_t i = 0; i < stuck_count_; ++i) {
    if (stuck_[i].address >= from && stuck_[i].address < to) {
      bytes_[stuck_[i].address] &= static_cast<std::uint8_t>(~stuck_[i].mask);
    }
  }
}

Status RamFlash::read(std::size_t address, std::uint8_t* out, std::size_t length) {
  if (!valid_ || !powered_) {
    return Status::kUnavailable;
  }
  if (address > geometry_.size_bytes || length > geometry_.size_bytes - address) {
    return Status::kOutOfRange;
  }
  for (std::size_t i = 0; i < length; ++i) {
    out[i] = bytes_[address + i];
  }
  return Status::kOk;
}

Status RamFlash::program(std::size_t address, const std::uint8_t* data, std::size_t length) {
  if (!valid_ || !powered_) {
    return Status::kUnavailable;
  }
  if (address > geometry_.size_bytes || length > geometry_.size_bytes - address) {
    return Status::kOutOfRange;
  }
  const std::size_t g = geometry_.write_granularity_bytes;
  if (address % g != 0 || length % g != 0) {
    return Status::kInvalidArgument;
  }
  for (std::size_t unit = address; unit < address + length; unit += g) {
    for (std::size_t i = unit; i < unit + g; ++i) {
      if (bytes_[i] != kErasedByte) {
        ++units_reprogrammed_;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < length; ++i) {
    std::uint8_t& cell = bytes_[address + i];
    if (!step()) {
      if (torn_bits_) {
        // Some of the bits this byte was to clear are cleared.
        cell &= static_cast<std::uint8_t>(data[i] | random_byte());
        apply_stuck_bits(address + i, address + i + 1);
      }
      return Status::kUnavailable;
    }
    cell &= data[i];
    ++bytes_programmed_;
  }
  apply_stuck_bits(address, address + length);
  return Status::kOk;
}

Status RamFlash::erase_block(std::size_t address) {
  if (!valid_ || !powered_) {
    return Status::kUnavailable;
  }
  if (address % geometry_.erase_block_bytes != 0) {
    return Status::kInvalidArgument;
  }
  if (address >= geometry_.size_bytes) {
    return Status::kOutOfRange;
  }
  const std::size_t end = address + geometry_.erase_block_bytes;
  for (std::size_t i = address; i < end; ++i) {
    if (!step()) {
      if (torn_bits_) {
        bytes_[i] |= random_byte();
      }
      apply_stuck_bits(address, end);
      return Status::kUnavailable;
    }
    bytes_[i] = kErasedByte;
  }
  apply_stuck_bits(address, end);
  ++blocks_erased_;
  return Status::kOk;
}

void RamFlash::erase_all() {
  if (!valid_) {
    return;
  }
  for (std::size_t i = 0; i < geometry_.size_bytes; ++i) {
    bytes_[i] = kErasedByte;
  }
  apply_stuck_bits(0, geometry_.size_bytes);
}

void RamFlash::schedule_power_cut(std::uint64_t byte_ops) {
  cut_scheduled_ = true;
  ops_until_cut_ = byte_ops;
}

void RamFlash::set_torn_bits(bool on, std::uint64_t seed) {
  torn_bits_ = on;
  rng_state_ = seed | 1U;  // xorshift must not start at zero
}

void RamFlash::restore_power() {
  powered_ = true;
  cut_scheduled_ = false;
}

void RamFlash::flip_bit(std::size_t address, std::uint8_t bit) {
  if (valid_ && address < geometry_.size_bytes && bit < 8) {
    bytes_[address] ^= static_cast<std::uint8_t>(1U << bit);
  }
}

bool RamFlash::stick_bit_at_zero(std::size_t address, std::uint8_t bit) {
  if (!valid_ || address >= geometry_.size_bytes || bit >= 8 || stuck_count_ == kMaxStuckBits) {
    return false;
  }
  stuck_[stuck_count_++] = {address, static_cast<std::uint8_t>(1U << bit)};
  apply_stuck_bits(address, address + 1);
  return true;
}

}  // namespace powerstack::hal
