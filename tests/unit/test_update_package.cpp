// Signed update packages with the real ed25519 (libsodium): every tampered byte is refused,
// another key is refused, key files with clear errors; the `powerstack update` commands on an
// emulated flash (install, trial boots, rollback); and the 10,000 random power cuts
// during update installs, each followed by a boot that must run an intact image.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "powerstack/app/cli.hpp"
#include "powerstack/app/update_package.hpp"
#include "powerstack/hal/ram_flash.hpp"
#include "powerstack/settings/settings_store.hpp"
#include "powerstack/update/ab_slots.hpp"
#include "support/cli_run.hpp"

namespace powerstack::app {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> test_image(std::size_t n, std::uint32_t salt) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = static_cast<std::uint8_t>((i * 31U + salt * 7U) ^ (i >> 7U));
  }
  return v;
}

UpdateSecretSeed fixed_seed(std::uint8_t first) {
  UpdateSecretSeed s{};
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i] = static_cast<std::uint8_t>(first + i);
  }
  return s;
}

class UpdatePackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(update_crypto_ready(error)) << error;
    dir_ = fs::temp_directory_path() /
           ("powerstack_update_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(UpdatePackageTest, EveryTamperedByteIsRefused) {
  const UpdateSecretSeed seed = fixed_seed(1);
  const UpdatePublicKey pk = public_key_of(seed);
  std::string error;
  const auto pkg = sign_update_package(test_image(3000, 1), "fugu-esp32", 0x01000000U, seed, error);
  ASSERT_TRUE(pkg) << error;
  ASSERT_TRUE(verify_update_package(*pkg, pk).ok);
  int refused = 0;
  for (std::size_t at = 0; at < pkg->size(); ++at) {
    for (std::uint8_t mask : {0x01, 0x80}) {
      auto bad = *pkg;
      bad[at] ^= mask;
      const PackageCheck c = verify_update_package(bad, pk);
      EXPECT_FALSE(c.ok) << "byte " << at;
      EXPECT_FALSE(c.error.empty());
      refused += c.ok ? 0 : 1;
    }
  }
  EXPECT_EQ(refused, static_cast<int>(2 * pkg->size()));
  auto longer = *pkg;
  longer.push_back(0);
  EXPECT_NE(verify_update_package(longer, pk).error.find("image length"), std::string::npos);
  auto shorter = *pkg;
  shorter.pop_back();
  EXPECT_FALSE(verify_update_package(shorter, pk).ok);
}

TEST_F(UpdatePackageTest, AnotherKeyIsRefused) {
  std::string error;
  const auto pkg = sign_update_package(test_image(100, 2), "b", 1, fixed_seed(1), error);
  ASSERT_TRUE(pkg);
  const PackageCheck c = verify_update_package(*pkg, public_key_of(fixed_seed(2)));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.error.find("another key"), std::string::npos) << c.error;
  // Same key id forged into the header: the signature itself fails.
  auto forged = *pkg;
  const std::uint32_t other_id = update_key_id(public_key_of(fixed_seed(2)));
  for (int i = 0; i < 4; ++i) {
    forged[88 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(other_id >> (8 * i));
  }
  const PackageCheck f = verify_update_package(forged, public_key_of(fixed_seed(2)));
  EXPECT_NE(f.error.find("signature does not verify"), std::string::npos) << f.error;
}

TEST_F(UpdatePackageTest, SigningRefusesBadBoardIds) {
  std::string error;
  const auto seed = fixed_seed(1);
  EXPECT_FALSE(sign_update_package(test_image(10, 1), "", 1, seed, error));
  EXPECT_FALSE(sign_update_package(test_image(10, 1), std::string(33, 'x'), 1, seed, error));
  EXPECT_FALSE(sign_update_package(test_image(10, 1), "with space", 1, seed, error));
  EXPECT_NE(error.find("printable"), std::string::npos);
  EXPECT_FALSE(sign_update_package({}, "b", 1, seed, error));
}

TEST_F(UpdatePackageTest, KeyFilesGiveClearErrors) {
  std::string error;
  const UpdateKeyPair keys = generate_update_keys();
  ASSERT_TRUE(write_update_keys(path("k.sec"), path("k.pub"), keys, false, error)) << error;
  EXPECT_EQ(fs::status(path("k.sec")).permissions() & fs::perms::group_read, fs::perms::none);
  EXPECT_FALSE(write_update_keys(path("k.sec"), path("k.pub"), keys, false, error));
  EXPECT_NE(error.find("--force"), std::string::npos);
  const auto pk = read_update_public_key(path("k.pub"), error);
  ASSERT_TRUE(pk);
  EXPECT_EQ(*pk, keys.public_key);
  const auto sk = read_update_secret_key(path("k.sec"), error);
  ASSERT_TRUE(sk);
  EXPECT_EQ(public_key_of(*sk), keys.public_key);

  EXPECT_FALSE(read_update_public_key(path("k.sec"), error));
  EXPECT_NE(error.find("is a secret key"), std::string::npos) << error;
  EXPECT_FALSE(read_update_secret_key(path("k.pub"), error));
  EXPECT_NE(error.find("is a public key"), std::string::npos) << error;
  EXPECT_FALSE(read_update_public_key(path("missing.pub"), error));
  EXPECT_NE(error.find("cannot read key file"), std::string::npos) << error;
  std::ofstream(path("junk.pub")) << "hello world\n";
  EXPECT_FALSE(read_update_public_key(path("junk.pub"), error));
  EXPECT_NE(error.find("not a powerstack update key file"), std::string::npos) << error;
  std::ofstream(path("short.pub")) << "powerstack-update-public-key-v1 abcd\n";
  EXPECT_FALSE(read_update_public_key(path("short.pub"), error));
  EXPECT_NE(error.find("64 hex digits"), std::string::npos) << error;
  std::ofstream(path("nothex.pub"))
      << "powerstack-update-public-key-v1 " << std::string(64, 'z') << "\n";
  EXPECT_FALSE(read_update_public_key(path("nothex.pub"), error));
  EXPECT_NE(error.find("not valid hex"), std::string::npos) << error;
}

using test_support::CliResult;

CliResult cli(std::initializer_list<std::string> args) {
  return test_support::run_powerstack({"update"}, args);
}

TEST_F(UpdatePackageTest, CommandsInstallBootRollBackAndConfirm) {
  std::string error;
  for (int v = 1; v <= 3; ++v) {
    ASSERT_TRUE(write_binary_file(
        path("fw" + std::to_string(v)),
        test_image(4000U + 100U * static_cast<unsigned>(v), static_cast<std::uint32_t>(v)), error));
  }
  ASSERT_EQ(cli({"keygen", "--secret", path("k.sec"), "--public", path("k.pub")}).code, 0);
  for (int v = 1; v <= 3; ++v) {
    const std::string s = std::to_string(v);
    const CliResult r = cli({"sign", path("fw" + s), "--key", path("k.sec"), "--board",
                             "powerstack-twin", "--version", "1." + s + ".0", "-o", path("p" + s)});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  CliResult r = cli({"verify", path("p2"), "--key", path("k.pub")});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("signature ok; version 1.2.0"), std::string::npos) << r.out;

  const std::string flash = path("device.bin");
  ASSERT_EQ(cli({"install", path("p1"), "--key", path("k.pub"), "--flash", flash}).code, 0);
  EXPECT_EQ(cli({"boot", "--flash", flash}).code, 0);
  ASSERT_EQ(cli({"confirm", "--flash", flash}).code, 0);
  r = cli({"install", path("p1"), "--key", path("k.pub"), "--flash", flash});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not newer"), std::string::npos) << r.err;
  ASSERT_EQ(cli({"install", path("p2"), "--key", path("k.pub"), "--flash", flash}).code, 0);
  for (int boot = 1; boot <= 3; ++boot) {
    r = cli({"boot", "--flash", flash});
    EXPECT_NE(r.out.find("version 1.2.0 (trial boot " + std::to_string(boot)), std::string::npos)
        << r.out;
  }
  r = cli({"boot", "--flash", flash});
  EXPECT_NE(r.out.find("rollback"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("booting slot B: version 1.1.0"), std::string::npos) << r.out;
  // The next one is confirmed on its first boot and stays.
  ASSERT_EQ(cli({"install", path("p3"), "--key", path("k.pub"), "--flash", flash}).code, 0);
  EXPECT_EQ(cli({"boot", "--flash", flash}).code, 0);
  EXPECT_EQ(cli({"confirm", "--flash", flash}).code, 0);
  r = cli({"boot", "--flash", flash});
  EXPECT_NE(r.out.find("version 1.3.0\n"), std::string::npos) << r.out;
  r = cli({"status", "--flash", flash});
  EXPECT_NE(r.out.find("slot A: version 1.3.0, 4300 bytes, active"), std::string::npos) << r.out;

  // Refusals, each naming the reason.
  ASSERT_EQ(cli({"keygen", "--secret", path("o.sec"), "--public", path("o.pub")}).code, 0);
  r = cli({"install", path("p3"), "--key", path("o.pub"), "--flash", flash});
  EXPECT_NE(r.err.find("another key"), std::string::npos) << r.err;
  std::vector<std::uint8_t> tampered = *read_binary_file(path("p3"), error);
  tampered[200] ^= 1U;
  ASSERT_TRUE(write_binary_file(path("t"), tampered, error));
  r = cli({"install", path("t"), "--key", path("k.pub"), "--flash", flash, "--force"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("SHA-256"), std::string::npos) << r.err;
  r = cli({"verify", path("p3"), "--key", path("k.sec")});
  EXPECT_NE(r.err.find("is a secret key"), std::string::npos) << r.err;
  r = cli({"sign", path("fw1"), "--key", path("k.sec"), "--board", "x", "--version", "1.2", "-o",
           path("x")});
  EXPECT_NE(r.err.find("MAJOR.MINOR.PATCH"), std::string::npos) << r.err;
  r = cli({"status", "--flash", path("k.pub")});
  EXPECT_NE(r.err.find("is not 532480 bytes long"), std::string::npos) << r.err;
}

// The acceptance count for installs: power cut at 10,000 random byte operations of an install
// (ed25519-signed package, RamFlash with torn bits on every other cut), then a boot.
TEST_F(UpdatePackageTest, TenThousandRandomPowerCutsDuringInstalls) {
  constexpr hal::NvGeometry kGeometry{2048 + 2 * 8192, 1024, 4};
  constexpr settings::StoreLayout kStore{0, 1024};
  constexpr update::SlotLayout kSlots{{2048, 2048 + 8192}, 8192};
  std::string error;
  const UpdateSecretSeed seed = fixed_seed(9);
  const SodiumVerifier verifier(public_key_of(seed));
  const auto v1 = test_image(6000, 1);
  const auto v2 = test_image(7000, 2);
  const auto pkg = sign_update_package(v2, "fugu-esp32", 0x02000000U, seed, error);
  ASSERT_TRUE(pkg);

  std::vector<std::uint8_t> base(kGeometry.size_bytes, 0xFF);
  struct Device {
    Device(std::uint8_t* image, hal::NvGeometry g, settings::StoreLayout s, update::SlotLayout l)
        : flash(image, g), store(flash, s), slots(flash, store, l, "fugu-esp32", 3) {}
    bool start() {
      return store.mount() == settings::StoreStatus::kOk &&
             slots.load() == update::UpdateError::kOk;
    }
    hal::RamFlash flash;
    settings::SettingsStore store;
    update::UpdateSlots slots;
  };
  {
    Device d(base.data(), kGeometry, kStore, kSlots);
    ASSERT_TRUE(d.start());
    ASSERT_EQ(d.slots.install_factory(v1.data(), v1.size(), 0x01000000U), update::UpdateError::kOk);
  }
  auto install = [&](Device& d) {
    update::PackageHeader h;
    update::UpdateError e = d.slots.begin(pkg->data(), pkg->size(), verifier, false, h);
    for (std::size_t at = update::kPackagePrefixBytes;
         e == update::UpdateError::kOk && at < pkg->size(); at += 512) {
      e = d.slots.write(pkg->data() + at, std::min<std::size_t>(512, pkg->size() - at));
    }
    return e == update::UpdateError::kOk ? d.slots.finish() : e;
  };
  std::uint64_t total = 0;
  {
    auto image = base;
    Device d(image.data(), kGeometry, kStore, kSlots);
    ASSERT_TRUE(d.start());
    ASSERT_EQ(install(d), update::UpdateError::kOk);
    total = d.flash.byte_ops();
  }
  std::uint64_t rng = 12345;
  int old_boots = 0;
  int new_boots = 0;
  int unbootable = 0;
  constexpr int kCuts = 10000;
  for (int trial = 0; trial < kCuts; ++trial) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::uint64_t k = (rng >> 20U) % total;
    auto image = base;
    {
      Device d(image.data(), kGeometry, kStore, kSlots);
      ASSERT_TRUE(d.start());
      d.flash.set_torn_bits(trial % 2 == 1, rng);
      d.flash.schedule_power_cut(k);
      ASSERT_NE(install(d), update::UpdateError::kOk);
    }
    Device d(image.data(), kGeometry, kStore, kSlots);
    ASSERT_TRUE(d.start());
    update::BootDecision b;
    if (d.slots.boot(b) != update::UpdateError::kOk) {
      ++unbootable;
      continue;
    }
    std::vector<std::uint8_t> got(d.slots.state().slot[b.slot].image_bytes);
    ASSERT_EQ(d.flash.read(kSlots.slot_address[b.slot], got.data(), got.size()), Status::kOk);
    old_boots += got == v1 ? 1 : 0;
    new_boots += got == v2 ? 1 : 0;
    unbootable += (got == v1 || got == v2) ? 0 : 1;
  }
  std::printf(
      "%d random power cuts during update installs: old image booted %d, new %d, "
      "unbootable %d\n",
      kCuts, old_boots, new_boots, unbootable);
  EXPECT_EQ(unbootable, 0);
  EXPECT_EQ(old_boots + new_boots, kCuts);
}

}  // namespace
}  // namespace powerstack::app
