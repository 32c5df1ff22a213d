// SHA-256 (FIPS 180-4), streaming. The update slots hash images with it: the installer while
// it copies, the boot check before it runs a slot. Portable, no heap; ~100 bytes of state.
#pragma once

#include <cstddef>
#include <cstdint>

namespace powerstack::update {

inline constexpr std::size_t kSha256Bytes = 32;

class Sha256 {
 public:
  Sha256() { reset(); }
  void reset();
  void update(const std::uint8_t* data, std::size_t length);
  // Writes the digest; the object must be reset() before reuse.
  void finish(std::uint8_t out[kSha256Bytes]);

 private:
  void block(const std::uint8_t* p);
  std::uint32_t h_[8];
  std::uint8_t buf_[64];
  std::size_t fill_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace powerstack::update
