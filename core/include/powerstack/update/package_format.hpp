// The signed update package (docs/updates.md, byte by byte): a 96-byte header (magic, format,
// image version, image length, target board, SHA-256 of the image, key id), a 64-byte
// ed25519 signature of that header, then the image. The signature covers the header and the
// header covers the image through its hash, so no byte can change unnoticed.
// Parsing here checks structure only; the signature is checked by a SignatureVerifier.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/update/sha256.hpp"

namespace powerstack::update {

inline constexpr std::size_t kPackageHeaderBytes = 96;
inline constexpr std::size_t kSignatureBytes = 64;
inline constexpr std::size_t kPackagePrefixBytes = kPackageHeaderBytes + kSignatureBytes;
inline constexpr std::size_t kBoardIdBytes = 32;
inline constexpr std::uint16_t kPackageFormat = 1;
// "PSUPDATE"
inline constexpr std::uint8_t kPackageMagic[8] = {'P', 'S', 'U', 'P', 'D', 'A', 'T', 'E'};

struct PackageHeader {
  std::uint32_t version = 0;  // major << 24 | minor << 16 | patch
  std::uint32_t image_bytes = 0;
  char board[kBoardIdBytes + 1] = {};  // NUL-terminated
  std::uint8_t image_sha256[kSha256Bytes] = {};
  std::uint32_t key_id = 0;  // first 4 bytes (big-endian) of SHA-256 of the public key
};

enum class PackageError : std::uint8_t {
  kOk = 0,
  kTooShort,        // fewer bytes than the header and signature
  kBadMagic,        // not an update package
  kBadFormat,       // a format version this code does not read
  kBadBoard,        // board id empty, not printable ASCII, or not NUL-padded
  kBadLength,       // image length 0, or the file is not header + signature + image long
  kReservedNotZero  // reserved fields must be 0
};
const char* to_string(PackageError e);

// `total_bytes` is the whole package's length (header, signature, image).
PackageError parse_package_header(const std::uint8_t* bytes, std::size_t total_bytes,
                                  PackageHeader& out);
void encode_package_header(const PackageHeader& h, std::uint8_t out[kPackageHeaderBytes]);

// "1.2.3" <-> packed; parse fails (false) on anything else (each part 0..255, patch 0..65535).
bool parse_version(const char* text, std::uint32_t& version);
// Writes at most 16 bytes including the NUL.
void format_version(std::uint32_t version, char out[16]);

// The ed25519 check of a package's signature over its header, by whatever the platform has
// (libsodium on the host and ESP-IDF; docs/updates.md for MCUs).
class SignatureVerifier {
 public:
  [[nodiscard]] virtual bool verify(const std::uint8_t signature[kSignatureBytes],
                                    const std::uint8_t* message, std::size_t length) const = 0;
  [[nodiscard]] virtual std::uint32_t key_id() const = 0;

 protected:
  ~SignatureVerifier() = default;
};

}  // namespace powerstack::update
