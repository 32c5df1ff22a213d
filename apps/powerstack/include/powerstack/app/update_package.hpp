// Signed update packages on the host (libsodium): ed25519 key pairs in files, signing an
// image into a package (core/include/powerstack/update/package_format.hpp, docs/updates.md)
// and verifying one completely (structure, key, signature, image hash).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "powerstack/update/package_format.hpp"

namespace powerstack::app {

using UpdatePublicKey = std::array<std::uint8_t, 32>;
using UpdateSecretSeed = std::array<std::uint8_t, 32>;

// Key files are one line: "powerstack-update-public-key-v1 <64 hex digits>" or
// "powerstack-update-secret-key-v1 <64 hex digits of the ed25519 seed>".
struct UpdateKeyPair {
  UpdatePublicKey public_key{};
  UpdateSecretSeed seed{};
};

// False (with a reason) when libsodium cannot start.
bool update_crypto_ready(std::string& error);
UpdateKeyPair generate_update_keys();
UpdatePublicKey public_key_of(const UpdateSecretSeed& seed);
// First 4 bytes (big-endian) of the SHA-256 of the public key.
std::uint32_t update_key_id(const UpdatePublicKey& key);

// Writes both files (the secret one readable by its owner only); refuses to overwrite an
// existing file unless `overwrite`.
bool write_update_keys(const std::string& secret_path, const std::string& public_path,
                       const UpdateKeyPair& keys, bool overwrite, std::string& error);
std::optional<UpdatePublicKey> read_update_public_key(const std::string& path, std::string& error);
std::optional<UpdateSecretSeed> read_update_secret_key(const std::string& path, std::string& error);

std::optional<std::vector<std::uint8_t>> read_binary_file(const std::string& path,
                                                          std::string& error);
bool write_binary_file(const std::string& path, const std::vector<std::uint8_t>& bytes,
                       std::string& error);

// Header + ed25519 signature of the header + image. Errors: empty or oversized image, a board
// id that is empty, longer than 32 bytes or not printable ASCII without spaces.
std::optional<std::vector<std::uint8_t>> sign_update_package(const std::vector<std::uint8_t>& image,
                                                             const std::string& board,
                                                             std::uint32_t version,
                                                             const UpdateSecretSeed& seed,
                                                             std::string& error);

// ed25519 with libsodium, for UpdateSlots::begin().
class SodiumVerifier final : public update::SignatureVerifier {
 public:
  explicit SodiumVerifier(const UpdatePublicKey& key) : key_(key), id_(update_key_id(key)) {}
  [[nodiscard]] bool verify(const std::uint8_t signature[update::kSignatureBytes],
                            const std::uint8_t* message, std::size_t length) const override;
  [[nodiscard]] std::uint32_t key_id() const override { return id_; }

 private:
  UpdatePublicKey key_;
  std::uint32_t id_;
};

struct PackageCheck {
  bool ok = false;
  std::string error;  // what is wrong, when not ok
  update::PackageHeader header;
};
// Everything a device checks before installing, on a whole package in memory.
PackageCheck verify_update_package(const std::vector<std::uint8_t>& package,
                                   const UpdatePublicKey& key);

}  // namespace powerstack::app
