// SettingsStore on a RamFlash: reads and writes, several keys, compaction into the other
// bank, corrupted-record recovery, worn cells, and every error it reports. Power cuts:
// test_settings_power_cut.cpp.
#include <cstdint>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/settings/crc32.hpp"
#include "powerstack/settings/record_format.hpp"
#include "test_settings_rig.hpp"

namespace {

using namespace settings_test;
using ps::StoreStatus;

PS_TEST(settings_crc32_matches_the_published_check_value) {
  const char* text = "123456789";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text);
  PS_CHECK(ps::crc32(bytes, 9) == 0xCBF43926U);
  PS_CHECK(ps::crc32(bytes + 4, 5, ps::crc32(bytes, 4)) == 0xCBF43926U);
  PS_CHECK(ps::crc32(bytes, 0) == 0U);
}

PS_TEST(settings_record_header_round_trips_and_rejects_damage) {
  ps::RecordHeader h;
  h.key = 0x1234;
  h.version = 7;
  h.length = 52;
  h.payload_crc = 0xDEADBEEF;
  std::uint8_t b[ps::kRecordHeaderBytes];
  ps::encode_record_header(h, b);
  PS_CHECK(b[0] == 0x52 && b[1] == 0x53 && b[2] == 0x34 && b[3] == 0x12);
  ps::RecordHeader back;
  PS_CHECK(ps::parse_record_header(b, back));
  PS_CHECK(back.key == h.key && back.version == 7 && back.length == 52 &&
           back.payload_crc == 0xDEADBEEF);
  for (std::size_t i = 0; i < sizeof b; ++i) {
    for (std::uint8_t bit = 0; bit < 8; ++bit) {
      b[i] ^= static_cast<std::uint8_t>(1U << bit);
      PS_CHECK(!ps::parse_record_header(b, back));
      b[i] ^= static_cast<std::uint8_t>(1U << bit);
    }
  }
  std::uint8_t erased[ps::kRecordHeaderBytes];
  std::memset(erased, 0xFF, sizeof erased);
  PS_CHECK(!ps::parse_record_header(erased, back));
  std::uint32_t seq = 0;
  ps::encode_bank_header(41, b);
  PS_CHECK(ps::parse_bank_header(b, seq) && seq == 41);
  b[5] ^= 1U;
  PS_CHECK(!ps::parse_bank_header(b, seq));
}

PS_TEST(settings_store_blank_flash_mounts_empty) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(!r.store.state().has_active_bank);
  std::uint8_t buf[8];
  ps::ReadInfo info;
  PS_CHECK(r.store.read(1, buf, sizeof buf, info) == StoreStatus::kNotFound);
  PS_CHECK(r.flash.bytes_programmed() == 0);  // mount never writes
}

PS_TEST(settings_store_refuses_use_before_mount_and_bad_layouts) {
  Rig r;
  std::uint8_t buf[8] = {};
  ps::ReadInfo info;
  PS_CHECK(r.store.write(1, 1, buf, 4) == StoreStatus::kNotMounted);
  PS_CHECK(r.store.read(1, buf, sizeof buf, info) == StoreStatus::kNotMounted);
  const ps::StoreLayout bad[] = {{100, 256}, {0, 100}, {1024, 768}, {0, 0}};
  for (const auto& layout : bad) {
    ps::SettingsStore s(r.flash, layout);
    PS_CHECK(s.mount() == StoreStatus::kBadLayout);
  }
  std::uint8_t image[1024];
  RamFlash wide(image, NvGeometry{1024, 256, 128});  // units wider than the store's chunk
  ps::SettingsStore s(wide, ps::StoreLayout{0, 256});
  PS_CHECK(s.mount() == StoreStatus::kBadLayout);
}

PS_TEST(settings_store_reads_back_the_newest_value_of_each_key) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 1, 100, 20) == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 2, 200, 9) == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 1, 101, 20) == StoreStatus::kOk);
  PS_CHECK(holds_value(r.store, 1, 101, 20));
  PS_CHECK(holds_value(r.store, 2, 200, 9));
  // After a reboot as well.
  Rig again(r, 4);
  PS_CHECK(again.store.mount() == StoreStatus::kOk);
  PS_CHECK(holds_value(again.store, 1, 101, 20));
  PS_CHECK(holds_value(again.store, 2, 200, 9));
  PS_CHECK(again.store.state().used_bytes == r.store.state().used_bytes);
  std::uint8_t small[4];
  ps::ReadInfo info;
  PS_CHECK(again.store.read(1, small, sizeof small, info) == StoreStatus::kBufferTooSmall);
  PS_CHECK(info.length == 20 && info.version == 1);
  PS_CHECK(again.store.read(9, small, sizeof small, info) == StoreStatus::kNotFound);
}

PS_TEST(settings_store_compaction_keeps_every_key_and_switches_banks) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 7, 7000, 30) == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 8, 8000, 1) == StoreStatus::kOk);
  std::uint32_t compactions = 0;
  std::uint8_t bank = r.store.state().active_bank;
  for (std::uint32_t v = 0; v < 60; ++v) {
    PS_CHECK(write_value(r.store, 1, v, 24) == StoreStatus::kOk);
    PS_CHECK(holds_value(r.store, 1, v, 24));
    PS_CHECK(holds_value(r.store, 7, 7000, 30));
    PS_CHECK(holds_value(r.store, 8, 8000, 1));
    if (r.store.state().active_bank != bank) {
      bank = r.store.state().active_bank;
      ++compactions;
    }
  }
  // 256-byte banks, 16-byte bank header, 40-byte records of key 1, 48 + 20 for keys 7 and 8:
  // every bank takes 4 writes of key 1 (240 - 68 = 172 bytes), so writes 5, 9, ..., 57
  // compact: 14 times.
  PS_CHECK(compactions == 14);
  PS_CHECK(r.store.state().sequence == 1 + compactions);
  PS_CHECK(r.flash.units_reprogrammed() == 0);
}

PS_TEST(settings_store_reports_records_that_cannot_fit) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  std::uint8_t big[ps::kMaxPayloadBytes + 1] = {};
  PS_CHECK(r.store.write(1, 1, big, sizeof big) == StoreStatus::kTooLarge);
  PS_CHECK(r.store.write(1, 1, big, 256 - 16 - 16 + 1) == StoreStatus::kTooLarge);
  PS_CHECK(r.store.write(1, 1, big, 256 - 16 - 16) == StoreStatus::kOk);  // exactly a bank
  // A second key does not fit next to the first in any bank: refused, the first kept.
  PS_CHECK(r.store.write(2, 1, big, 4) == StoreStatus::kNoSpace);
  ps::ReadInfo info;
  PS_CHECK(r.store.read(1, big, sizeof big, info) == StoreStatus::kOk);
  PS_CHECK(info.length == 224);
  PS_CHECK(r.store.read(2, big, sizeof big, info) == StoreStatus::kNotFound);
}

PS_TEST(settings_store_limits_the_number_of_keys) {
  Rig r(4, 512);  // banks of two blocks
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  for (std::uint16_t k = 0; k < ps::SettingsStore::kMaxKeys; ++k) {
    PS_CHECK(write_value(r.store, k, k, 1) == StoreStatus::kOk);
  }
  // Fill the bank with rewrites of key 0 so the next write needs a compaction.
  StoreStatus st = StoreStatus::kOk;
  std::uint32_t v = 0;
  while (r.store.state().free_bytes >= 20) {
    st = write_value(r.store, 0, ++v, 1);
    PS_CHECK(st == StoreStatus::kOk);
  }
  PS_CHECK(write_value(r.store, 100, 1, 1) == StoreStatus::kTooManyKeys);
  PS_CHECK(write_value(r.store, 3, 33, 1) == StoreStatus::kOk);  // a known key still compacts
  for (std::uint16_t k = 1; k < ps::SettingsStore::kMaxKeys; ++k) {
    PS_CHECK(holds_value(r.store, k, k == 3 ? 33U : k, 1));
  }
}

PS_TEST(settings_store_a_rotted_record_falls_back_to_the_one_before) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 1, 1, 20) == StoreStatus::kOk);
  const std::size_t second =
      kBlock + r.store.state().active_bank * kBlock + r.store.state().used_bytes;
  PS_CHECK(write_value(r.store, 1, 2, 20) == StoreStatus::kOk);
  // A bit of the payload rots: the CRC fails, the older value is served and says so.
  r.flash.flip_bit(second + ps::kRecordHeaderBytes + 5, 2);
  ps::ReadInfo info;
  std::uint8_t buf[32];
  PS_CHECK(r.store.read(1, buf, sizeof buf, info) == StoreStatus::kOk);
  PS_CHECK(info.corrupt_newer == 1 && !info.from_previous_bank);
  PS_CHECK(holds_value(r.store, 1, 1, 20));
  // A bit of the header rots instead: the record does not parse at all; the scan steps over
  // it and still finds a newer one written after it.
  r.flash.flip_bit(second + ps::kRecordHeaderBytes + 5, 2);
  r.flash.flip_bit(second + 6, 0);
  PS_CHECK(holds_value(r.store, 1, 1, 20));
  PS_CHECK(write_value(r.store, 1, 3, 20) == StoreStatus::kOk);
  Rig again(r, 4);
  PS_CHECK(again.store.mount() == StoreStatus::kOk);
  PS_CHECK(holds_value(again.store, 1, 3, 20));
}

PS_TEST(settings_store_serves_the_previous_bank_when_the_active_one_rotted) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  std::uint32_t v = 0;
  while (r.store.state().sequence < 2) {
    PS_CHECK(write_value(r.store, 1, ++v, 40) == StoreStatus::kOk);
  }
  // Bank 1 is active and holds only v; bank 0 still holds v - 1 and older.
  PS_CHECK(r.store.state().active_bank == 1 && r.store.state().used_bytes == 16 + 56);
  r.flash.flip_bit(kBlock + kBlock + 16 + ps::kRecordHeaderBytes, 0);
  ps::ReadInfo info;
  std::uint8_t buf[64];
  PS_CHECK(r.store.read(1, buf, sizeof buf, info) == StoreStatus::kOk);
  PS_CHECK(info.from_previous_bank && info.corrupt_newer == 1);
  PS_CHECK(holds_value(r.store, 1, v - 1, 40));
}

PS_TEST(settings_store_moves_to_the_other_bank_when_a_cell_is_worn) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 1, 1, 20) == StoreStatus::kOk);
  PS_CHECK(write_value(r.store, 2, 2, 20) == StoreStatus::kOk);
  // The next append lands on a bit that no longer holds a 1: the read-back catches it and the
  // record is written to the other bank together with key 2.
  const std::size_t next = kBlock + r.store.state().used_bytes;
  std::uint8_t payload[20];
  fill_payload(3, payload, sizeof payload);
  std::uint8_t bit = 0;
  while ((payload[4] & (1U << bit)) == 0) {
    ++bit;
  }
  PS_CHECK(r.flash.stick_bit_at_zero(next + ps::kRecordHeaderBytes + 4, bit));
  PS_CHECK(write_value(r.store, 1, 3, 20) == StoreStatus::kOk);
  PS_CHECK(r.store.state().active_bank == 1);
  PS_CHECK(holds_value(r.store, 1, 3, 20));
  PS_CHECK(holds_value(r.store, 2, 2, 20));
  Rig again(r, 4);
  PS_CHECK(again.store.mount() == StoreStatus::kOk);
  PS_CHECK(holds_value(again.store, 1, 3, 20));
}

PS_TEST(settings_store_garbage_flash_mounts_and_is_reused) {
  Rig r;
  for (std::size_t i = 0; i < kFlashBytes; ++i) {
    r.image[i] = static_cast<std::uint8_t>(i * 131U + 7U);
  }
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(!r.store.state().has_active_bank);
  PS_CHECK(write_value(r.store, 1, 5, 20) == StoreStatus::kOk);
  PS_CHECK(holds_value(r.store, 1, 5, 20));
  PS_CHECK(r.image[0] == 7U);  // the block before the store is not touched
}

}  // namespace
