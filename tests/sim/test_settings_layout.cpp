// The settings store reads images written by an independent encoder of the documented layout
// (tests/fuzz/make_settings_corpus.py: Python, CRC-32 from zlib), the fuzz seed corpus.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "powerstack/hal/ram_flash.hpp"
#include "powerstack/settings/charger_settings_record.hpp"

namespace {

namespace ps = powerstack::settings;
using powerstack::hal::NvGeometry;
using powerstack::hal::RamFlash;

struct Image {
  std::vector<std::uint8_t> bytes;
  std::size_t granularity = 1;
};

Image load(const std::string& name) {
  std::ifstream in(std::string(POWERSTACK_SETTINGS_CORPUS) + "/" + name, std::ios::binary);
  std::vector<std::uint8_t> raw{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
  EXPECT_EQ(raw.size(), 513U) << name;
  Image im;
  im.granularity = std::size_t{1} << raw.at(0);
  im.bytes.assign(raw.begin() + 1, raw.end());
  return im;
}

struct Mounted {
  explicit Mounted(Image& im)
      : flash(im.bytes.data(), NvGeometry{512, 256, im.granularity}),
        store(flash, ps::StoreLayout{0, 256}) {
    EXPECT_EQ(store.mount(), ps::StoreStatus::kOk);
  }
  RamFlash flash;
  ps::SettingsStore store;
};

TEST(SettingsLayout, ReadsAV2RecordWrittenByAnotherEncoder) {
  Image im = load("one_bank_v2");
  Mounted m(im);
  ps::ChargerSettings s;
  const auto r = ps::load_charger_settings(m.store, s);
  ASSERT_TRUE(r.ok()) << ps::to_string(r.store) << " / " << ps::to_string(r.decode);
  EXPECT_EQ(r.stored_version, 2);
  EXPECT_FLOAT_EQ(s.v_absorb_cell_v, 3.55f);
  EXPECT_EQ(s.cells_in_series, 8);
  EXPECT_EQ(m.store.state().sequence, 1U);
}

TEST(SettingsLayout, MigratesAV1RecordWrittenByAnotherEncoder) {
  Image im = load("v1_to_migrate");
  Mounted m(im);
  ps::ChargerSettings s;
  const auto r = ps::load_charger_settings(m.store, s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.migrated);
  EXPECT_FLOAT_EQ(s.v_absorb_cell_v, 3.6f);
  EXPECT_EQ(s.t_absorb_max_s, 5400U);
}

TEST(SettingsLayout, PicksTheNewerBankAndSkipsTornAndRottedRecords) {
  {
    Image im = load("two_banks_newer_second");
    Mounted m(im);
    ps::ChargerSettings s;
    ASSERT_TRUE(ps::load_charger_settings(m.store, s).ok());
    EXPECT_EQ(s.chemistry, ps::Chemistry::kLeadAcid);  // bank 1, sequence 5
    EXPECT_EQ(m.store.state().active_bank, 1);
  }
  {
    Image im = load("torn_second_record");
    Mounted m(im);
    ps::ChargerSettings s;
    ASSERT_TRUE(ps::load_charger_settings(m.store, s).ok());
    EXPECT_EQ(s.chemistry, ps::Chemistry::kLiFePO4);  // the torn lead-acid record is ignored
  }
  {
    Image im = load("rotted_newest");
    Mounted m(im);
    ps::ChargerSettings s;
    const auto r = ps::load_charger_settings(m.store, s);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(s.chemistry, ps::Chemistry::kLiFePO4);
    EXPECT_EQ(r.info.corrupt_newer, 1);
    std::uint8_t buf[64];
    ps::ReadInfo info;
    ASSERT_EQ(m.store.read(3, buf, sizeof buf, info), ps::StoreStatus::kOk);  // found past it
    EXPECT_EQ(info.version, 9);
  }
  {
    Image im = load("interrupted_erase");
    Mounted m(im);
    ps::ChargerSettings s;
    ASSERT_TRUE(ps::load_charger_settings(m.store, s).ok());
    EXPECT_EQ(s.chemistry, ps::Chemistry::kLeadAcid);  // bank 0: bank 1 lost its header
  }
}

TEST(SettingsLayout, ReportsNewerSchemaAndOutOfRangeValues) {
  Image a = load("newer_schema");
  Mounted ma(a);
  ps::ChargerSettings s;
  EXPECT_EQ(ps::load_charger_settings(ma.store, s).decode, ps::DecodeStatus::kNewerVersion);
  Image b = load("invalid_values");
  Mounted mb(b);
  EXPECT_EQ(ps::load_charger_settings(mb.store, s).decode, ps::DecodeStatus::kInvalid);
}

}  // namespace
