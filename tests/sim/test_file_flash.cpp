// FileFlash (the flash image in a file) and the settings store on it across "reboots"
// (reopening the file): persistence, power cuts that leave the file as the chip would be,
// errors on bad files, and the 10,000 random power cuts during settings writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "powerstack/settings/charger_settings_record.hpp"
#include "powerstack/settings/settings_store.hpp"
#include "sim/engine/random.hpp"
#include "sim/flash/file_flash.hpp"

namespace {

namespace fs = std::filesystem;
namespace ps = powerstack::settings;
using powerstack::Status;
using powerstack::hal::NvGeometry;
using powerstack::sim::FileFlash;
using powerstack::sim::SimRandom;

// A small part: 1 KiB erase blocks, 4-byte writes; two 1 KiB banks after one spare block.
constexpr NvGeometry kGeometry{8192, 1024, 4};
constexpr ps::StoreLayout kLayout{1024, 1024};

class FileFlashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("powerstack_file_flash_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<FileFlash> open(const std::string& name,
                                  FileFlash::Mode mode = FileFlash::Mode::kCreateIfMissing) {
    std::string error;
    auto f = FileFlash::open((dir_ / name).string(), kGeometry, mode, error);
    EXPECT_TRUE(f) << error;
    return f;
  }
  fs::path dir_;
};

TEST_F(FileFlashTest, CreatesAnErasedImageAndKeepsWritesAcrossReopen) {
  {
    auto f = open("a.bin");
    ASSERT_TRUE(f);
    EXPECT_EQ(fs::file_size(dir_ / "a.bin"), kGeometry.size_bytes);
    const std::uint8_t d[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_EQ(f->program(4096, d, 8), Status::kOk);
    ASSERT_EQ(f->program(8, d, 4), Status::kOk);
    ASSERT_EQ(f->erase_block(0), Status::kOk);
  }
  auto f = open("a.bin", FileFlash::Mode::kOpenExisting);
  ASSERT_TRUE(f);
  std::uint8_t got[8];
  ASSERT_EQ(f->read(4096, got, 8), Status::kOk);
  EXPECT_EQ(got[0], 1);
  EXPECT_EQ(got[7], 8);
  ASSERT_EQ(f->read(8, got, 4), Status::kOk);
  EXPECT_EQ(got[0], 0xFF);  // erased again
}

TEST_F(FileFlashTest, PowerCutLeavesThePartialWriteInTheFile) {
  {
    auto f = open("cut.bin");
    ASSERT_TRUE(f);
    const std::uint8_t d[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    f->emulation().schedule_power_cut(5);
    EXPECT_EQ(f->program(64, d, 8), Status::kUnavailable);
    EXPECT_EQ(f->program(128, d, 4), Status::kUnavailable);  // no supply any more
  }
  std::ifstream in(dir_ / "cut.bin", std::ios::binary);
  std::vector<char> bytes(kGeometry.size_bytes);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(static_cast<std::uint8_t>(bytes[64 + i]), i < 5 ? 0x00 : 0xFF) << i;
  }
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[128]), 0xFF);
}

TEST_F(FileFlashTest, BadFilesAndGeometriesAreNamed) {
  std::string error;
  EXPECT_FALSE(FileFlash::open((dir_ / "none.bin").string(), kGeometry,
                               FileFlash::Mode::kOpenExisting, error));
  EXPECT_NE(error.find("cannot open flash image"), std::string::npos) << error;
  EXPECT_NE(error.find("none.bin"), std::string::npos) << error;
  std::ofstream(dir_ / "short.bin") << "short";
  EXPECT_FALSE(FileFlash::open((dir_ / "short.bin").string(), kGeometry,
                               FileFlash::Mode::kCreateIfMissing, error));
  EXPECT_NE(error.find("is not 8192 bytes long"), std::string::npos) << error;
  EXPECT_FALSE(FileFlash::open((dir_ / "g.bin").string(), NvGeometry{8192, 1024, 3},
                               FileFlash::Mode::kCreateIfMissing, error));
  EXPECT_NE(error.find("flash geometry"), std::string::npos) << error;
  EXPECT_FALSE(FileFlash::open((dir_ / "no" / "dir.bin").string(), kGeometry,
                               FileFlash::Mode::kCreateIfMissing, error));
  EXPECT_NE(error.find("cannot"), std::string::npos) << error;
}

// A valid, random set of charger settings (the ranges of validate()).
ps::ChargerSettings random_settings(SimRandom& rng) {
  const ps::Chemistry chem[] = {ps::Chemistry::kLiFePO4, ps::Chemistry::kLiIon,
                                ps::Chemistry::kLeadAcid};
  const auto c = chem[static_cast<int>(rng.uniform() * 3.0)];
  auto s = ps::default_charger_settings(c, static_cast<std::uint8_t>(1 + rng.uniform() * 12.0));
  s.i_charge_max_a = static_cast<float>(rng.uniform(1.0, 40.0));
  s.i_tail_a = static_cast<float>(rng.uniform(0.05, 0.4)) * s.i_charge_max_a;
  s.i_pv_max_a = static_cast<float>(rng.uniform(1.0, 40.0));
  s.p_in_max_w = static_cast<float>(rng.uniform(10.0, 2000.0));
  s.t_absorb_max_s = static_cast<std::uint32_t>(rng.uniform(60.0, 86400.0));
  EXPECT_TRUE(ps::validate(s).ok());
  return s;
}

bool same(const ps::ChargerSettings& a, const ps::ChargerSettings& b) {
  std::uint8_t x[ps::kChargerSettingsV2Bytes];
  std::uint8_t y[ps::kChargerSettingsV2Bytes];
  ps::encode_charger_settings(a, x);
  ps::encode_charger_settings(b, y);
  return std::memcmp(x, y, sizeof x) == 0;
}

// The acceptance: 10,000 random cut points during settings writes on the file flash,
// half of them with torn bits; after each, reopen the file, and the charger settings must be
// the ones before or the ones being saved, and the board id (another key) unchanged.
TEST_F(FileFlashTest, TenThousandRandomPowerCutsDuringSettingsWrites) {
  constexpr int kSaves = 120;  // enough to compact several times in 1 KiB banks
  SimRandom script_rng(2026);
  std::vector<ps::ChargerSettings> script;
  for (int i = 0; i < kSaves; ++i) {
    script.push_back(random_settings(script_rng));
  }
  const std::uint8_t board_id[6] = {'F', 'U', 'G', 'U', '-', '2'};
  constexpr std::uint16_t kBoardKey = 0x0002;

  // Returns how many saves completed; `ops` the byte operations after each save.
  auto run = [&](FileFlash& f, std::vector<std::uint64_t>* ops) {
    ps::SettingsStore store(f, kLayout);
    if (store.mount() != ps::StoreStatus::kOk ||
        store.write(kBoardKey, 1, board_id, sizeof board_id) != ps::StoreStatus::kOk) {
      return -1;
    }
    if (ops != nullptr) {
      ops->push_back(f.emulation().byte_ops());
    }
    for (int i = 0; i < kSaves; ++i) {
      if (!ps::save_charger_settings(store, script[static_cast<std::size_t>(i)]).ok()) {
        return i;
      }
      if (ops != nullptr) {
        ops->push_back(f.emulation().byte_ops());
      }
    }
    return kSaves;
  };
  std::vector<std::uint64_t> ops;
  std::uint64_t programmed = 0;
  std::uint64_t erased = 0;
  std::uint32_t compactions = 0;
  {
    auto f = open("reference.bin");
    ASSERT_TRUE(f);
    ASSERT_EQ(run(*f, &ops), kSaves);
    programmed = f->emulation().bytes_programmed();
    erased = f->emulation().blocks_erased() * kGeometry.erase_block_bytes;
    ps::SettingsStore store(*f, kLayout);
    ASSERT_EQ(store.mount(), ps::StoreStatus::kOk);
    compactions = store.state().sequence - 1;
  }
  const double payload = kSaves * static_cast<double>(ps::kChargerSettingsV2Bytes);
  std::printf(
      "settings on file flash: %d saves of %zu bytes, %u compactions, %llu bytes "
      "programmed (%.2f per payload byte), %llu bytes erased (%.1f per payload byte)\n",
      kSaves, ps::kChargerSettingsV2Bytes, compactions, static_cast<unsigned long long>(programmed),
      static_cast<double>(programmed) / payload, static_cast<unsigned long long>(erased),
      static_cast<double>(erased) / payload);
  EXPECT_GE(compactions, 3U);

  SimRandom cut_rng(7);
  int old_count = 0;
  int new_count = 0;
  int corrupted = 0;
  int lost = 0;
  constexpr int kCuts = 10000;
  for (int trial = 0; trial < kCuts; ++trial) {
    // After the board id is written (ops[0]), anywhere in the settings saves.
    const auto k = ops[0] + static_cast<std::uint64_t>(cut_rng.uniform() *
                                                       static_cast<double>(ops.back() - ops[0]));
    const std::string name = "cut.bin";
    fs::remove(dir_ / name);
    int done = 0;
    {
      auto f = open(name);
      ASSERT_TRUE(f);
      f->emulation().set_torn_bits(trial % 2 == 1, static_cast<std::uint64_t>(trial) + 1U);
      f->emulation().schedule_power_cut(k);
      done = run(*f, nullptr);
    }
    ASSERT_LT(done, kSaves);
    auto f = open(name, FileFlash::Mode::kOpenExisting);
    ASSERT_TRUE(f);
    ps::SettingsStore store(*f, kLayout);
    ASSERT_EQ(store.mount(), ps::StoreStatus::kOk);
    std::uint8_t id[16];
    ps::ReadInfo info;
    const bool id_ok = store.read(kBoardKey, id, sizeof id, info) == ps::StoreStatus::kOk &&
                       info.length == sizeof board_id &&
                       std::memcmp(id, board_id, sizeof board_id) == 0;
    ASSERT_GE(done, 0);
    lost += id_ok ? 0 : 1;
    ps::ChargerSettings got;
    const ps::ChargerSettingsLoad load = ps::load_charger_settings(*&store, got);
    if (!load.ok()) {
      // Nothing stored is the old state only when the cut came during the very first save.
      const bool none_before = done == 0 && load.store == ps::StoreStatus::kNotFound;
      old_count += none_before ? 1 : 0;
      lost += none_before ? 0 : 1;
      continue;
    }
    const bool is_new = same(got, script[static_cast<std::size_t>(done)]);
    const bool is_old = done > 0 && same(got, script[static_cast<std::size_t>(done - 1)]);
    old_count += is_old ? 1 : 0;
    new_count += is_new ? 1 : 0;
    corrupted += (is_old || is_new) ? 0 : 1;
  }
  std::printf(
      "%d random power cuts during settings writes: old settings %d, new settings %d, "
      "corrupted %d, lost %d\n",
      kCuts, old_count, new_count, corrupted, lost);
  EXPECT_EQ(corrupted, 0);
  EXPECT_EQ(lost, 0);
  // "New" needs the cut to fall after the last byte that changes anything: in the 4-byte
  // padding of a record (none for 52-byte payloads) or past the bank header, so it is rare.
  EXPECT_EQ(old_count + new_count, kCuts);
}

}  // namespace
