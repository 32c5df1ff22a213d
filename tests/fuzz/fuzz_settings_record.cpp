// libFuzzer target: the settings store's record parser and mount/read/write on an arbitrary
// flash image, and the charger-settings and board-id decoders on whatever the store returns.
//
// Input: byte 0 picks the write granularity (1, 2, 4 or 8 bytes), the rest is the image of two
// 256-byte banks (missing bytes erased). Checked:
// - every 16-byte window that parses as a record or bank header re-encodes to the same bytes;
// - mount never fails on a well-formed layout, whatever the image holds;
// - reads succeed or find nothing; a decoded ChargerSettings passes validate() and re-encodes
//   to a payload that decodes to the same struct;
// - a write then succeeds or reports a documented reason, and a successful one reads back,
//   also after a remount; keys read before keep their payload (except those served from the
//   previous bank, which a compaction erases: docs/settings-store.md, "Limits").
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "powerstack/board/board_record.hpp"
#include "powerstack/hal/ram_flash.hpp"
#include "powerstack/settings/charger_settings_record.hpp"
#include "powerstack/settings/crc32.hpp"
#include "powerstack/settings/record_format.hpp"
#include "powerstack/settings/settings_store.hpp"

namespace {

namespace ps = powerstack::settings;
namespace pb = powerstack::board;
using powerstack::hal::NvGeometry;
using powerstack::hal::RamFlash;

constexpr std::size_t kBank = 256;
constexpr std::size_t kImage = 2 * kBank;

void require(bool ok) {
  if (!ok) {
    std::abort();
  }
}

void check_headers(const std::uint8_t* image) {
  for (std::size_t i = 0; i + ps::kRecordHeaderBytes <= kImage; ++i) {
    ps::RecordHeader h;
    std::uint8_t again[ps::kRecordHeaderBytes];
    if (ps::parse_record_header(image + i, h)) {
      ps::encode_record_header(h, again);
      require(std::memcmp(again, image + i, sizeof again) == 0);
    }
    std::uint32_t seq = 0;
    if (ps::parse_bank_header(image + i, seq)) {
      ps::encode_bank_header(seq, again);
      require(std::memcmp(again, image + i, sizeof again) == 0);
    }
  }
}

struct Seen {
  bool ok = false;
  bool from_previous_bank = false;
  std::uint16_t length = 0;
  std::uint8_t payload[kBank];
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t granularity = std::size_t{1} << (data[0] & 3U);
  std::uint8_t image[kImage];
  std::memset(image, 0xFF, sizeof image);
  std::memcpy(image, data + 1, size - 1 < kImage ? size - 1 : kImage);
  check_headers(image);

  RamFlash flash(image, NvGeometry{kImage, kBank, granularity});
  ps::SettingsStore store(flash, ps::StoreLayout{0, kBank});
  require(store.mount() == ps::StoreStatus::kOk);

  constexpr std::uint16_t kKeys = 4;  // 0..2 and the charger settings (1)
  Seen seen[kKeys];
  for (std::uint16_t key = 0; key < kKeys; ++key) {
    ps::ReadInfo info;
    Seen& s = seen[key];
    const ps::StoreStatus st = store.read(key, s.payload, sizeof s.payload, info);
    require(st == ps::StoreStatus::kOk || st == ps::StoreStatus::kNotFound);
    if (st != ps::StoreStatus::kOk) {
      continue;
    }
    s.ok = true;
    s.from_previous_bank = info.from_previous_bank;
    s.length = info.length;
    ps::ChargerSettings cs;
    if (ps::decode_charger_settings(info.version, s.payload, info.length, cs) ==
        ps::DecodeStatus::kOk) {
      require(ps::validate(cs).ok());
      std::uint8_t enc[ps::kChargerSettingsV2Bytes];
      ps::encode_charger_settings(cs, enc);
      ps::ChargerSettings back;
      require(ps::decode_charger_settings(2, enc, sizeof enc, back) == ps::DecodeStatus::kOk);
      std::uint8_t enc2[ps::kChargerSettingsV2Bytes];
      ps::encode_charger_settings(back, enc2);
      require(std::memcmp(enc, enc2, sizeof enc) == 0);
    }
  }

  // The board-id record (key 2) through its loader: a profile only for a known, valid id.
  const pb::BoardLoad board = pb::load_board(store);
  require(!board.ok() || (board.profile != nullptr && pb::find_board(board.id) == board.profile &&
                          pb::validate(*board.profile).ok()));

  // A write of key 2 (its payload from the input's first bytes).
  std::uint8_t payload[24];
  for (std::size_t i = 0; i < sizeof payload; ++i) {
    payload[i] = static_cast<std::uint8_t>(i < size ? data[i] ^ 0x5A : i);
  }
  const ps::StoreStatus wst = store.write(2, 7, payload, sizeof payload);
  require(wst == ps::StoreStatus::kOk || wst == ps::StoreStatus::kNoSpace ||
          wst == ps::StoreStatus::kTooManyKeys);
  if (wst == ps::StoreStatus::kOk) {
    ps::SettingsStore again(flash, ps::StoreLayout{0, kBank});
    require(again.mount() == ps::StoreStatus::kOk);
    std::uint8_t got[kBank];
    ps::ReadInfo info;
    require(again.read(2, got, sizeof got, info) == ps::StoreStatus::kOk);
    require(info.version == 7 && info.length == sizeof payload);
    require(std::memcmp(got, payload, sizeof payload) == 0);
    for (std::uint16_t key = 0; key < kKeys; ++key) {
      if (key == 2 || !seen[key].ok || seen[key].from_previous_bank) {
        continue;
      }
      require(again.read(key, got, sizeof got, info) == ps::StoreStatus::kOk);
      require(info.length == seen[key].length &&
              std::memcmp(got, seen[key].payload, info.length) == 0);
    }
  }
  return 0;
}
