// UpdateSlots: A/B firmware slots on flash with a boot-confirm flag and rollback
// (docs/updates.md). The boot state (active slot, pending slot, boot attempts, and each
// slot's version, length and SHA-256) is a record in a SettingsStore, so every change of it
// is atomic under power loss.
//
// Install (the running firmware): begin() checks the package (structure, key, signature,
// board, version, size) before anything is erased, then marks the inactive slot invalid
// and erases it; write() streams the image in, hashing it; finish() compares the hash with
// the signed one, reads the slot back and hashes it again, and only then makes it pending.
// Boot (the bootloader): a pending slot gets max_attempts trial boots; if the image has not
// called confirm() by then, the old slot boots again (rollback). A slot boots only if its
// bytes hash to the recorded SHA-256, else the other slot does.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/hal/nv_storage.hpp"
#include "powerstack/settings/settings_store.hpp"
#include "powerstack/update/package_format.hpp"
#include "powerstack/update/sha256.hpp"

namespace powerstack::update {

inline constexpr std::uint16_t kBootStateKey = 0x0010;
inline constexpr std::uint8_t kNoSlot = 0xFF;

struct SlotLayout {
  std::size_t slot_address[2] = {0, 0};  // each a multiple of the erase block
  std::size_t slot_bytes = 0;            // a multiple of the erase block
};

struct SlotInfo {
  bool valid = false;
  std::uint32_t version = 0;
  std::uint32_t image_bytes = 0;
  std::uint8_t sha256[kSha256Bytes] = {};
};

struct BootState {
  std::uint8_t active = 0;
  std::uint8_t pending = kNoSlot;  // a new image on trial, or kNoSlot
  std::uint8_t attempts = 0;       // trial boots of the pending slot so far
  SlotInfo slot[2];
};

enum class UpdateError : std::uint8_t {
  kOk = 0,
  kBadPackage,        // structure (see package_error())
  kUnknownKey,        // signed with another key (key id differs)
  kBadSignature,      // the signature does not verify
  kWrongBoard,        // for another board (install with force to override)
  kNotNewer,          // not newer than the installed version (force to override)
  kImageTooLarge,     // larger than a slot
  kNotInstalling,     // write()/finish() without a successful begin()
  kTooMuchData,       // more image bytes than the header says
  kIncomplete,        // finish() before all image bytes arrived
  kHashMismatch,      // the image does not hash to the signed SHA-256
  kFlashError,        // erase/program/read failed or read back differently
  kStoreError,        // the boot state could not be read or written
  kNothingToConfirm,  // confirm() with no pending slot
  kNoBootableImage,   // neither slot holds an intact image
  kBadLayout,         // slots overlap, are unaligned or outside the flash
};
const char* to_string(UpdateError e);

struct BootDecision {
  std::uint8_t slot = 0;
  bool trial = false;        // a pending image's trial boot: it must confirm()
  bool rolled_back = false;  // the pending image used up its attempts and was dropped
  std::uint8_t attempt = 0;  // which trial boot this is (1-based) when trial
};

class UpdateSlots {
 public:
  // `store` must be mounted; `board` is this device's board id (NUL-terminated).
  UpdateSlots(hal::NvStorage& flash, settings::SettingsStore& store, SlotLayout layout,
              const char* board, std::uint8_t max_attempts)
      : flash_(flash), store_(store), layout_(layout), board_(board), max_attempts_(max_attempts) {}

  // Reads the boot state (none stored: slot 0 active, both slots empty).
  UpdateError load();
  [[nodiscard]] const BootState& state() const { return state_; }

  // Factory programming of slot 0 (no package, no signature: the production line's job).
  UpdateError install_factory(const std::uint8_t* image, std::size_t length, std::uint32_t version);

  // `prefix` holds the package's first kPackagePrefixBytes; `total_bytes` its full length.
  UpdateError begin(const std::uint8_t* prefix, std::size_t total_bytes,
                    const SignatureVerifier& verifier, bool force, PackageHeader& header);
  UpdateError write(const std::uint8_t* data, std::size_t length);
  UpdateError finish();
  [[nodiscard]] PackageError package_error() const { return package_error_; }

  UpdateError boot(BootDecision& decision);
  UpdateError confirm();

  // SHA-256 of a slot's first `length` bytes (for the boot check and tests).
  UpdateError hash_slot(std::uint8_t slot, std::size_t length, std::uint8_t out[kSha256Bytes]);

 private:
  UpdateError save();
  bool layout_ok() const;
  UpdateError erase_slot(std::uint8_t slot);
  UpdateError program_buffered(bool flush);
  bool slot_intact(std::uint8_t slot);

  hal::NvStorage& flash_;
  settings::SettingsStore& store_;
  SlotLayout layout_;
  const char* board_;
  std::uint8_t max_attempts_;
  BootState state_;
  PackageError package_error_ = PackageError::kOk;
  // Install in progress.
  bool installing_ = false;
  std::uint8_t target_ = 0;
  PackageHeader header_;
  Sha256 sha_;
  std::size_t written_ = 0;    // image bytes received
  std::size_t flash_pos_ = 0;  // bytes programmed into the slot
  std::uint8_t unit_[64] = {};
  std::size_t unit_fill_ = 0;
};

}  // namespace powerstack::update
