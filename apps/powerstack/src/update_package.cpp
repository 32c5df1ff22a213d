#include "powerstack/app/update_package.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "powerstack/update/sha256.hpp"

namespace powerstack::app {

namespace {

constexpr const char* kPublicTag = "powerstack-update-public-key-v1";
constexpr const char* kSecretTag = "powerstack-update-secret-key-v1";

std::string to_hex(const std::uint8_t* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4U];
    s += digits[p[i] & 15U];
  }
  return s;
}

// Reads "<tag> <64 hex>" from a key file into 32 bytes.
bool read_key_file(const std::string& path, const char* want_tag, const char* other_tag,
                   std::array<std::uint8_t, 32>& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read key file '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::string tag;
  std::string hex;
  std::string extra;
  in >> tag >> hex >> extra;
  if (tag == other_tag) {
    error = "'" + path + "' is a " +
            (std::strcmp(other_tag, kPublicTag) == 0 ? "public" : "secret") +
            " key; this needs the " +
            (std::strcmp(want_tag, kPublicTag) == 0 ? "public" : "secret") + " key";
    return false;
  }
  if (tag != want_tag) {
    error = "'" + path + "' is not a powerstack update key file (it must start with '" + want_tag +
            "')";
    return false;
  }
  if (hex.size() != 64 || !extra.empty()) {
    error = "'" + path + "': the key must be 64 hex digits after '" + want_tag + "'";
    return false;
  }
  std::size_t bin_len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.c_str(), hex.size(), nullptr, &bin_len, nullptr) !=
          0 ||
      bin_len != 32) {
    error = "'" + path + "': the key is not valid hex";
    return false;
  }
  return true;
}

}  // namespace

bool update_crypto_ready(std::string& error) {
  if (sodium_init() < 0) {
    error = "libsodium could not be initialised";
    return false;
  }
  return true;
}

UpdateKeyPair generate_update_keys() {
  UpdateKeyPair keys;
  randombytes_buf(keys.seed.data(), keys.seed.size());
  keys.public_key = public_key_of(keys.seed);
  return keys;
}

UpdatePublicKey public_key_of(const UpdateSecretSeed& seed) {
  UpdatePublicKey pk{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  sodium_memzero(sk.data(), sk.size());
  return pk;
}

std::uint32_t update_key_id(const UpdatePublicKey& key) {
  update::Sha256 sha;
  sha.update(key.data(), key.size());
  std::uint8_t digest[update::kSha256Bytes];
  sha.finish(digest);
  return (static_cast<std::uint32_t>(digest[0]) << 24U) |
         (static_cast<std::uint32_t>(digest[1]) << 16U) |
         (static_cast<std::uint32_t>(digest[2]) << 8U) | digest[3];
}

bool write_update_keys(const std::string& secret_path, const std::string& public_path,
                       const UpdateKeyPair& keys, bool overwrite, std::string& error) {
  for (const std::string& p : {secret_path, public_path}) {
    if (!overwrite && std::filesystem::exists(p)) {
      error = "'" + p + "' exists; not overwriting a key (use --force)";
      return false;
    }
  }
  {
    std::ofstream f(secret_path, std::ios::trunc);
    if (!f) {
      error = "cannot write '" + secret_path + "': " + std::strerror(errno);
      return false;
    }
    ::chmod(secret_path.c_str(), S_IRUSR | S_IWUSR);
    f << kSecretTag << ' ' << to_hex(keys.seed.data(), keys.seed.size()) << '\n';
    if (!f) {
      error = "error while writing '" + secret_path + "'";
      return false;
    }
  }
  std::ofstream f(public_path, std::ios::trunc);
  if (!f) {
    error = "cannot write '" + public_path + "': " + std::strerror(errno);
    return false;
  }
  f << kPublicTag << ' ' << to_hex(keys.public_key.data(), keys.public_key.size()) << '\n';
  if (!f) {
    error = "error while writing '" + public_path + "'";
    return false;
  }
  return true;
}

std::optional<UpdatePublicKey> read_update_public_key(const std::string& path, std::string& error) {
  UpdatePublicKey k{};
  if (!read_key_file(path, kPublicTag, kSecretTag, k, error)) {
    return std::nullopt;
  }
  return k;
}

std::optional<UpdateSecretSeed> read_update_secret_key(const std::string& path,
                                                       std::string& error) {
  UpdateSecretSeed k{};
  if (!read_key_file(path, kSecretTag, kPublicTag, k, error)) {
    return std::nullopt;
  }
  return k;
}

std::optional<std::vector<std::uint8_t>> read_binary_file(const std::string& path,
                                                          std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
  return bytes;
}

bool write_binary_file(const std::string& path, const std::vector<std::uint8_t>& bytes,
                       std::string& error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) {
    error = "error while writing '" + path + "'";
    return false;
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> sign_update_package(const std::vector<std::uint8_t>& image,
                                                             const std::string& board,
                                                             std::uint32_t version,
                                                             const UpdateSecretSeed& seed,
                                                             std::string& error) {
  if (image.empty() || image.size() > 0xFFFFFFFFULL - update::kPackagePrefixBytes) {
    error = "the image is empty or larger than 4 GiB";
    return std::nullopt;
  }
  if (board.empty() || board.size() > update::kBoardIdBytes) {
    error = "board id must be 1 to 32 characters";
    return std::nullopt;
  }
  for (char c : board) {
    if (c < 0x21 || c > 0x7E) {
      error = "board id must be printable ASCII without spaces";
      return std::nullopt;
    }
  }
  update::PackageHeader h;
  h.version = version;
  h.image_bytes = static_cast<std::uint32_t>(image.size());
  std::memcpy(h.board, board.data(), board.size());
  update::Sha256 sha;
  sha.update(image.data(), image.size());
  sha.finish(h.image_sha256);
  const UpdatePublicKey pk = public_key_of(seed);
  h.key_id = update_key_id(pk);

  std::vector<std::uint8_t> pkg(update::kPackagePrefixBytes + image.size());
  update::encode_package_header(h, pkg.data());
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  UpdatePublicKey pk_again{};
  crypto_sign_seed_keypair(pk_again.data(), sk.data(), seed.data());
  crypto_sign_detached(pkg.data() + update::kPackageHeaderBytes, nullptr, pkg.data(),
                       update::kPackageHeaderBytes, sk.data());
  sodium_memzero(sk.data(), sk.size());
  std::memcpy(pkg.data() + update::kPackagePrefixBytes, image.data(), image.size());
  return pkg;
}

bool SodiumVerifier::verify(const std::uint8_t signature[update::kSignatureBytes],
                            const std::uint8_t* message, std::size_t length) const {
  return crypto_sign_verify_detached(signature, message, length, key_.data()) == 0;
}

PackageCheck verify_update_package(const std::vector<std::uint8_t>& package,
                                   const UpdatePublicKey& key) {
  PackageCheck r;
  const update::PackageError pe =
      update::parse_package_header(package.data(), package.size(), r.header);
  if (pe != update::PackageError::kOk) {
    r.error = std::string("malformed package: ") + update::to_string(pe);
    return r;
  }
  const SodiumVerifier verifier(key);
  if (r.header.key_id != verifier.key_id()) {
    std::ostringstream s;
    s << "signed with another key (key id " << std::hex << r.header.key_id << ", this key "
      << verifier.key_id() << ")";
    r.error = s.str();
    return r;
  }
  if (!verifier.verify(package.data() + update::kPackageHeaderBytes, package.data(),
                       update::kPackageHeaderBytes)) {
    r.error = "signature does not verify: the header or signature was altered";
    return r;
  }
  update::Sha256 sha;
  sha.update(package.data() + update::kPackagePrefixBytes,
             package.size() - update::kPackagePrefixBytes);
  std::uint8_t digest[update::kSha256Bytes];
  sha.finish(digest);
  if (std::memcmp(digest, r.header.image_sha256, sizeof digest) != 0) {
    r.error = "image does not match its signed SHA-256: the image was altered";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace powerstack::app
