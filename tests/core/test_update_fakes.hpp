// Test doubles for the update tests: a keyed stand-in for ed25519 (the real one, libsodium,
// is tested on the host in tests/unit/test_update_package.cpp) and a package builder.
#pragma once

#include <cstdint>
#include <cstring>

#include "powerstack/update/package_format.hpp"
#include "powerstack/update/sha256.hpp"

namespace update_test {

namespace up = powerstack::update;

// "Signature" = SHA-256(secret | message) | SHA-256(message | secret).
class FakeVerifier final : public up::SignatureVerifier {
 public:
  FakeVerifier(std::uint8_t secret, std::uint32_t id) : secret_(secret), id_(id) {}
  void sign(const std::uint8_t* message, std::size_t length,
            std::uint8_t out[up::kSignatureBytes]) const {
    up::Sha256 a;
    a.update(&secret_, 1);
    a.update(message, length);
    a.finish(out);
    up::Sha256 b;
    b.update(message, length);
    b.update(&secret_, 1);
    b.finish(out + 32);
  }
  [[nodiscard]] bool verify(const std::uint8_t signature[up::kSignatureBytes],
                            const std::uint8_t* message, std::size_t length) const override {
    std::uint8_t want[up::kSignatureBytes];
    sign(message, length, want);
    return std::memcmp(want, signature, sizeof want) == 0;
  }
  [[nodiscard]] std::uint32_t key_id() const override { return id_; }

 private:
  std::uint8_t secret_;
  std::uint32_t id_;
};

// An image of `length` bytes that differs per version.
inline void fill_image(std::uint32_t version, std::uint8_t* out, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    out[i] = static_cast<std::uint8_t>(i * 7U + version * 13U + (i >> 8U));
  }
}

// Builds header + signature + image into `out` (kPackagePrefixBytes + length bytes).
inline std::size_t build_package(const FakeVerifier& key, const char* board, std::uint32_t version,
                                 const std::uint8_t* image, std::size_t length, std::uint8_t* out) {
  up::PackageHeader h;
  h.version = version;
  h.image_bytes = static_cast<std::uint32_t>(length);
  std::strncpy(h.board, board, up::kBoardIdBytes);
  up::Sha256 sha;
  sha.update(image, length);
  sha.finish(h.image_sha256);
  h.key_id = key.key_id();
  up::encode_package_header(h, out);
  key.sign(out, up::kPackageHeaderBytes, out + up::kPackageHeaderBytes);
  std::memcpy(out + up::kPackagePrefixBytes, image, length);
  return up::kPackagePrefixBytes + length;
}

}  // namespace update_test
