// libFuzzer target: the update package parser, the host's full verification (libsodium) and
// an install through UpdateSlots on a RamFlash, on arbitrary bytes (issue 9).
//
// The key is fixed (seed bytes 0x00..0x1F; the corpus packages are signed with it, by
// `powerstack update sign` with a key file holding that seed). Checked:
// - a header that parses re-encodes to the same 96 bytes;
// - an install that succeeds was verified by verify_update_package() too, and the slot then
//   holds exactly the package's image; an install never succeeds for another board or an
//   older version (no force);
// - a package that verifies, for this board, newer than the factory image and fitting a slot,
//   installs, and the next boot is a trial of it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "powerstack/app/update_package.hpp"
#include "powerstack/hal/ram_flash.hpp"
#include "powerstack/settings/settings_store.hpp"
#include "powerstack/update/ab_slots.hpp"

namespace {

namespace app = powerstack::app;
namespace up = powerstack::update;
namespace ps = powerstack::settings;
using powerstack::hal::NvGeometry;
using powerstack::hal::RamFlash;

void require(bool ok) {
  if (!ok) {
    std::abort();
  }
}

constexpr NvGeometry kGeometry{1024 + 2 * 4096, 512, 4};
constexpr ps::StoreLayout kStore{0, 512};
constexpr up::SlotLayout kSlots{{1024, 1024 + 4096}, 4096};
constexpr const char* kBoard = "fuzz-board";
constexpr std::uint32_t kFactoryVersion = 0x01000000U;  // 1.0.0

app::UpdatePublicKey fuzz_key() {
  app::UpdateSecretSeed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) {
    seed[i] = static_cast<std::uint8_t>(i);
  }
  std::string error;
  require(app::update_crypto_ready(error));
  return app::public_key_of(seed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const app::UpdatePublicKey key = fuzz_key();
  const std::vector<std::uint8_t> pkg(data, data + size);

  up::PackageHeader h;
  const bool parsed = up::parse_package_header(data, size, h) == up::PackageError::kOk;
  if (parsed) {
    std::uint8_t again[up::kPackageHeaderBytes];
    up::encode_package_header(h, again);
    require(std::memcmp(again, data, sizeof again) == 0);
  }
  const app::PackageCheck check = app::verify_update_package(pkg, key);
  require(!check.ok || parsed);
  require(check.ok || !check.error.empty());

  std::vector<std::uint8_t> image(kGeometry.size_bytes, 0xFF);
  RamFlash flash(image.data(), kGeometry);
  ps::SettingsStore store(flash, kStore);
  require(store.mount() == ps::StoreStatus::kOk);
  up::UpdateSlots slots(flash, store, kSlots, kBoard, 3);
  require(slots.load() == up::UpdateError::kOk);
  const std::uint8_t factory[4] = {1, 2, 3, 4};
  require(slots.install_factory(factory, sizeof factory, kFactoryVersion) == up::UpdateError::kOk);

  const app::SodiumVerifier verifier(key);
  up::PackageHeader begun;
  up::UpdateError e = size >= up::kPackagePrefixBytes
                          ? slots.begin(data, size, verifier, false, begun)
                          : up::UpdateError::kBadPackage;
  if (e == up::UpdateError::kOk) {
    e = slots.write(data + up::kPackagePrefixBytes, size - up::kPackagePrefixBytes);
  }
  if (e == up::UpdateError::kOk) {
    e = slots.finish();
  }
  const bool should_install = check.ok && std::strcmp(check.header.board, kBoard) == 0 &&
                              check.header.version > kFactoryVersion &&
                              check.header.image_bytes <= kSlots.slot_bytes;
  require((e == up::UpdateError::kOk) == should_install);
  if (e == up::UpdateError::kOk) {
    std::vector<std::uint8_t> got(check.header.image_bytes);
    require(flash.read(kSlots.slot_address[1], got.data(), got.size()) == powerstack::Status::kOk);
    require(std::equal(got.begin(), got.end(), data + up::kPackagePrefixBytes));
    up::BootDecision b;
    require(slots.boot(b) == up::UpdateError::kOk && b.trial && b.slot == 1);
  }
  return 0;
}
