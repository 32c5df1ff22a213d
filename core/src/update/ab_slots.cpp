#include "powerstack/update/ab_slots.hpp"

#include "powerstack/settings/byte_order.hpp"

namespace powerstack::update {

namespace {

using settings::get_u32;
using settings::put_u32;

// Boot-state record, version 1, 92 bytes: 0 u8 active, 1 u8 pending (0xFF none), 2 u8
// attempts, 3 u8 0, then per slot at 4 + 44 * i: u8 valid, 3 x 0, u32 version, u32 image
// bytes, 32 bytes SHA-256.
constexpr std::uint16_t kBootStateVersion = 1;
constexpr std::size_t kBootStateBytes = 92;

void encode_state(const BootState& s, std::uint8_t* out) {
  for (std::size_t i = 0; i < kBootStateBytes; ++i) {
    out[i] = 0;
  }
  out[0] = s.active;
  out[1] = s.pending;
  out[2] = s.attempts;
  for (int i = 0; i < 2; ++i) {
    std::uint8_t* p = out + 4 + 44 * i;
    p[0] = s.slot[i].valid ? 1 : 0;
    put_u32(p + 4, s.slot[i].version);
    put_u32(p + 8, s.slot[i].image_bytes);
    for (std::size_t k = 0; k < kSha256Bytes; ++k) {
      p[12 + k] = s.slot[i].sha256[k];
    }
  }
}

bool decode_state(const std::uint8_t* in, BootState& s) {
  if (in[0] > 1 || (in[1] > 1 && in[1] != kNoSlot)) {
    return false;
  }
  s.active = in[0];
  s.pending = in[1];
  s.attempts = in[2];
  for (int i = 0; i < 2; ++i) {
    const std::uint8_t* p = in + 4 + 44 * i;
    s.slot[i].valid = p[0] == 1;
    s.slot[i].version = get_u32(p + 4);
    s.slot[i].image_bytes = get_u32(p + 8);
    for (std::size_t k = 0; k < kSha256Bytes; ++k) {
      s.slot[i].sha256[k] = p[12 + k];
    }
  }
  return true;
}

bool same_text(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

}  // namespace

const char* to_string(UpdateError e) {
  switch (e) {
    case UpdateError::kOk:
      return "ok";
    case UpdateError::kBadPackage:
      return "malformed package";
    case UpdateError::kUnknownKey:
      return "package signed with another key";
    case UpdateError::kBadSignature:
      return "signature does not verify (package altered or wrong key)";
    case UpdateError::kWrongBoard:
      return "package is for another board";
    case UpdateError::kNotNewer:
      return "package is not newer than the installed firmware";
    case UpdateError::kImageTooLarge:
      return "image larger than a slot";
    case UpdateError::kNotInstalling:
      return "no install in progress";
    case UpdateError::kTooMuchData:
      return "more image bytes than the package header says";
    case UpdateError::kIncomplete:
      return "image shorter than the package header says";
    case UpdateError::kHashMismatch:
      return "image does not match its signed SHA-256";
    case UpdateError::kFlashError:
      return "flash operation failed";
    case UpdateError::kStoreError:
      return "boot state could not be read or written";
    case UpdateError::kNothingToConfirm:
      return "no new image on trial";
    case UpdateError::kNoBootableImage:
      return "no slot holds an intact image";
    case UpdateError::kBadLayout:
      return "slot layout does not fit the flash";
  }
  return "unknown";
}

bool UpdateSlots::layout_ok() const {
  const hal::NvGeometry g = flash_.geometry();
  if (g.erase_block_bytes == 0 || layout_.slot_bytes == 0 ||
      layout_.slot_bytes % g.erase_block_bytes != 0 || sizeof unit_ % g.write_granularity_bytes) {
    return false;
  }
  for (std::size_t a : layout_.slot_address) {
    if (a % g.erase_block_bytes != 0 || a > g.size_bytes || layout_.slot_bytes > g.size_bytes - a) {
      return false;
    }
  }
  const std::size_t lo = layout_.slot_address[0] < layout_.slot_address[1]
                             ? layout_.slot_address[0]
                             : layout_.slot_address[1];
  const std::size_t hi =
      lo == layout_.slot_address[0] ? layout_.slot_address[1] : layout_.slot_address[0];
  return hi - lo >= layout_.slot_bytes;
}

UpdateError UpdateSlots::load() {
  installing_ = false;
  state_ = BootState{};
  if (!layout_ok()) {
    return UpdateError::kBadLayout;
  }
  std::uint8_t buf[kBootStateBytes];
  settings::ReadInfo info;
  const settings::StoreStatus st = store_.read(kBootStateKey, buf, sizeof buf, info);
  if (st == settings::StoreStatus::kNotFound) {
    return UpdateError::kOk;
  }
  if (st != settings::StoreStatus::kOk || info.version != kBootStateVersion ||
      info.length != kBootStateBytes || !decode_state(buf, state_)) {
    state_ = BootState{};
    return UpdateError::kStoreError;
  }
  return UpdateError::kOk;
}

UpdateError UpdateSlots::save() {
  std::uint8_t buf[kBootStateBytes];
  encode_state(state_, buf);
  return store_.write(kBootStateKey, kBootStateVersion, buf, sizeof buf) ==
                 settings::StoreStatus::kOk
             ? UpdateError::kOk
             : UpdateError::kStoreError;
}

UpdateError UpdateSlots::erase_slot(std::uint8_t slot) {
  const std::size_t block = flash_.geometry().erase_block_bytes;
  for (std::size_t a = 0; a < layout_.slot_bytes; a += block) {
    if (flash_.erase_block(layout_.slot_address[slot] + a) != Status::kOk) {
      return UpdateError::kFlashError;
    }
  }
  return UpdateError::kOk;
}

UpdateError UpdateSlots::program_buffered(bool flush) {
  if (unit_fill_ == 0 || (!flush && unit_fill_ < sizeof unit_)) {
    return UpdateError::kOk;
  }
  const std::size_t g = flash_.geometry().write_granularity_bytes;
  std::size_t n = unit_fill_;
  while (n % g != 0) {
    unit_[n++] = hal::kErasedByte;
  }
  if (flash_.program(layout_.slot_address[target_] + flash_pos_, unit_, n) != Status::kOk) {
    return UpdateError::kFlashError;
  }
  flash_pos_ += n;
  unit_fill_ = 0;
  return UpdateError::kOk;
}

UpdateError UpdateSlots::hash_slot(std::uint8_t slot, std::size_t length,
                                   std::uint8_t out[kSha256Bytes]) {
  if (slot > 1 || length > layout_.slot_bytes) {
    return UpdateError::kBadLayout;
  }
  Sha256 sha;
  std::uint8_t buf[64];
  for (std::size_t done = 0; done < length;) {
    const std::size_t n = length - done < sizeof buf ? length - done : sizeof buf;
    if (flash_.read(layout_.slot_address[slot] + done, buf, n) != Status::kOk) {
      return UpdateError::kFlashError;
    }
    sha.update(buf, n);
    done += n;
  }
  sha.finish(out);
  return UpdateError::kOk;
}

bool UpdateSlots::slot_intact(std::uint8_t slot) {
  const SlotInfo& info = state_.slot[slot];
  std::uint8_t digest[kSha256Bytes];
  if (!info.valid || info.image_bytes == 0 ||
      hash_slot(slot, info.image_bytes, digest) != UpdateError::kOk) {
    return false;
  }
  for (std::size_t i = 0; i < kSha256Bytes; ++i) {
    if (digest[i] != info.sha256[i]) {
      return false;
    }
  }
  return true;
}

UpdateError UpdateSlots::install_factory(const std::uint8_t* image, std::size_t length,
                                         std::uint32_t version) {
  if (!layout_ok()) {
    return UpdateError::kBadLayout;
  }
  if (length == 0 || length > layout_.slot_bytes) {
    return UpdateError::kImageTooLarge;
  }
  state_ = BootState{};
  target_ = 0;
  UpdateError e = save();  // both slots invalid until the image is in
  if (e == UpdateError::kOk) {
    e = erase_slot(0);
  }
  flash_pos_ = 0;
  unit_fill_ = 0;
  Sha256 sha;
  sha.update(image, length);
  for (std::size_t i = 0; i < length && e == UpdateError::kOk; ++i) {
    unit_[unit_fill_++] = image[i];
    e = program_buffered(false);
  }
  if (e == UpdateError::kOk) {
    e = program_buffered(true);
  }
  if (e != UpdateError::kOk) {
    return e;
  }
  SlotInfo& info = state_.slot[0];
  sha.finish(info.sha256);
  info.version = version;
  info.image_bytes = static_cast<std::uint32_t>(length);
  info.valid = true;
  if (!slot_intact(0)) {
    state_.slot[0] = SlotInfo{};
    return UpdateError::kFlashError;
  }
  return save();
}

UpdateError UpdateSlots::begin(const std::uint8_t* prefix, std::size_t total_bytes,
                               const SignatureVerifier& verifier, bool force,
                               PackageHeader& header) {
  installing_ = false;
  if (!layout_ok()) {
    return UpdateError::kBadLayout;
  }
  package_error_ = parse_package_header(prefix, total_bytes, header);
  if (package_error_ != PackageError::kOk) {
    return UpdateError::kBadPackage;
  }
  if (header.key_id != verifier.key_id()) {
    return UpdateError::kUnknownKey;
  }
  if (!verifier.verify(prefix + kPackageHeaderBytes, prefix, kPackageHeaderBytes)) {
    return UpdateError::kBadSignature;
  }
  if (!force && !same_text(header.board, board_)) {
    return UpdateError::kWrongBoard;
  }
  const SlotInfo& running = state_.slot[state_.active];
  if (!force && running.valid && header.version <= running.version) {
    return UpdateError::kNotNewer;
  }
  if (header.image_bytes > layout_.slot_bytes) {
    return UpdateError::kImageTooLarge;
  }
  // The target slot stops being bootable before its first byte is erased.
  target_ = static_cast<std::uint8_t>(1 - state_.active);
  state_.slot[target_] = SlotInfo{};
  if (state_.pending == target_) {
    state_.pending = kNoSlot;
    state_.attempts = 0;
  }
  UpdateError e = save();
  if (e == UpdateError::kOk) {
    e = erase_slot(target_);
  }
  if (e != UpdateError::kOk) {
    return e;
  }
  header_ = header;
  sha_.reset();
  written_ = 0;
  flash_pos_ = 0;
  unit_fill_ = 0;
  installing_ = true;
  return UpdateError::kOk;
}

UpdateError UpdateSlots::write(const std::uint8_t* data, std::size_t length) {
  if (!installing_) {
    return UpdateError::kNotInstalling;
  }
  if (length > header_.image_bytes - written_) {
    installing_ = false;
    return UpdateError::kTooMuchData;
  }
  sha_.update(data, length);
  written_ += length;
  for (std::size_t i = 0; i < length; ++i) {
    unit_[unit_fill_++] = data[i];
    const UpdateError e = program_buffered(false);
    if (e != UpdateError::kOk) {
      installing_ = false;
      return e;
    }
  }
  return UpdateError::kOk;
}

UpdateError UpdateSlots::finish() {
  if (!installing_) {
    return UpdateError::kNotInstalling;
  }
  installing_ = false;
  if (written_ != header_.image_bytes) {
    return UpdateError::kIncomplete;
  }
  UpdateError e = program_buffered(true);
  if (e != UpdateError::kOk) {
    return e;
  }
  std::uint8_t digest[kSha256Bytes];
  sha_.finish(digest);
  for (std::size_t i = 0; i < kSha256Bytes; ++i) {
    if (digest[i] != header_.image_sha256[i]) {
      return UpdateError::kHashMismatch;
    }
  }
  SlotInfo info;
  info.valid = true;
  info.version = header_.version;
  info.image_bytes = header_.image_bytes;
  for (std::size_t i = 0; i < kSha256Bytes; ++i) {
    info.sha256[i] = digest[i];
  }
  const SlotInfo before = state_.slot[target_];
  state_.slot[target_] = info;
  if (!slot_intact(target_)) {  // what is on flash, not what was sent
    state_.slot[target_] = before;
    return UpdateError::kFlashError;
  }
  state_.pending = target_;
  state_.attempts = 0;
  return save();
}

UpdateError UpdateSlots::boot(BootDecision& decision) {
  decision = BootDecision{};
  if (!layout_ok()) {
    return UpdateError::kBadLayout;
  }
  installing_ = false;
  if (state_.pending != kNoSlot) {
    if (state_.attempts < max_attempts_ && slot_intact(state_.pending)) {
      // Count the attempt before running it: a crash in the new image still uses it up.
      ++state_.attempts;
      const UpdateError e = save();
      if (e != UpdateError::kOk) {
        return e;
      }
      decision.slot = state_.pending;
      decision.trial = true;
      decision.attempt = state_.attempts;
      return UpdateError::kOk;
    }
    state_.pending = kNoSlot;
    state_.attempts = 0;
    decision.rolled_back = true;
    const UpdateError e = save();
    if (e != UpdateError::kOk) {
      return e;
    }
  }
  if (slot_intact(state_.active)) {
    decision.slot = state_.active;
    return UpdateError::kOk;
  }
  const auto other = static_cast<std::uint8_t>(1 - state_.active);
  if (slot_intact(other)) {
    state_.active = other;
    decision.slot = other;
    return save();
  }
  return UpdateError::kNoBootableImage;
}

UpdateError UpdateSlots::confirm() {
  if (state_.pending == kNoSlot) {
    return UpdateError::kNothingToConfirm;
  }
  state_.active = state_.pending;
  state_.pending = kNoSlot;
  state_.attempts = 0;
  return save();
}

}  // namespace powerstack::update
