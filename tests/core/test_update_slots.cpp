// UpdateSlots: checks before install, A/B install, trial boots, confirm, rollback after N
// unconfirmed boots, a damaged slot, and a power cut at every byte of an install and of the
// boots after it: the device always boots an intact image, the old one or the new one.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/hal/ram_flash.hpp"
#include "powerstack/update/ab_slots.hpp"
#include "test_update_fakes.hpp"

namespace {

using namespace update_test;
namespace ps = powerstack::settings;
using powerstack::hal::NvGeometry;
using powerstack::hal::RamFlash;
using up::UpdateError;

constexpr std::size_t kFlash = 2560;
constexpr NvGeometry kGeometry{kFlash, 256, 4};
constexpr up::SlotLayout kSlots{{512, 1536}, 1024};
constexpr std::size_t kImage = 700;
constexpr std::uint8_t kAttempts = 3;
const FakeVerifier kKey(42, 0x0BADCAFEU);

// A device: flash, boot-state store, slots; a "reboot" is a new Device over the same image.
struct Device {
  explicit Device(std::uint8_t* image)
      : flash(image, kGeometry),
        store(flash, ps::StoreLayout{0, 256}),
        slots(flash, store, kSlots, "fugu-esp32", kAttempts) {}
  bool start() { return store.mount() == ps::StoreStatus::kOk && slots.load() == UpdateError::kOk; }
  RamFlash flash;
  ps::SettingsStore store;
  up::UpdateSlots slots;
};

struct Package {
  std::uint8_t bytes[up::kPackagePrefixBytes + kImage];
  std::size_t size = 0;
};

Package make(std::uint32_t version, const char* board = "fugu-esp32",
             const FakeVerifier& key = kKey) {
  Package p;
  std::uint8_t image[kImage];
  fill_image(version, image, kImage);
  p.size = build_package(key, board, version, image, kImage, p.bytes);
  return p;
}

UpdateError install(up::UpdateSlots& slots, const Package& p, bool force = false,
                    const FakeVerifier& key = kKey) {
  up::PackageHeader h;
  UpdateError e = slots.begin(p.bytes, p.size, key, force, h);
  for (std::size_t at = up::kPackagePrefixBytes; e == UpdateError::kOk && at < p.size; at += 100) {
    const std::size_t n = p.size - at < 100 ? p.size - at : 100;
    e = slots.write(p.bytes + at, n);
  }
  return e == UpdateError::kOk ? slots.finish() : e;
}

// Which version the booted slot's bytes are (0: none of 1..9).
std::uint32_t version_in(Device& d, std::uint8_t slot) {
  std::uint8_t got[kImage];
  if (d.flash.read(kSlots.slot_address[slot], got, kImage) != powerstack::Status::kOk) {
    return 0;
  }
  for (std::uint32_t v = 1; v < 10; ++v) {
    std::uint8_t want[kImage];
    fill_image(v, want, kImage);
    if (std::memcmp(got, want, kImage) == 0) {
      return v;
    }
  }
  return 0;
}

void factory(std::uint8_t* image) {
  std::memset(image, 0xFF, kFlash);
  Device d(image);
  std::uint8_t v1[kImage];
  fill_image(1, v1, kImage);
  if (!d.start() || d.slots.install_factory(v1, kImage, 1) != UpdateError::kOk) {
    std::printf("  factory programming failed\n");
  }
}

PS_TEST(update_slots_install_trial_confirm) {
  std::uint8_t image[kFlash];
  factory(image);
  Device d(image);
  PS_CHECK(d.start());
  up::BootDecision b;
  PS_CHECK(d.slots.boot(b) == UpdateError::kOk && b.slot == 0 && !b.trial);
  PS_CHECK(install(d.slots, make(2)) == UpdateError::kOk);
  PS_CHECK(d.slots.state().pending == 1);
  Device r(image);  // reboot
  PS_CHECK(r.start());
  PS_CHECK(r.slots.boot(b) == UpdateError::kOk && b.slot == 1 && b.trial && b.attempt == 1);
  PS_CHECK(version_in(r, b.slot) == 2);
  PS_CHECK(r.slots.confirm() == UpdateError::kOk);
  Device r2(image);
  PS_CHECK(r2.start());
  PS_CHECK(r2.slots.boot(b) == UpdateError::kOk && b.slot == 1 && !b.trial);
  PS_CHECK(r2.slots.confirm() == UpdateError::kNothingToConfirm);
  // The next update goes to slot 0.
  PS_CHECK(install(r2.slots, make(3)) == UpdateError::kOk);
  PS_CHECK(r2.slots.state().pending == 0);
}

PS_TEST(update_slots_unconfirmed_image_rolls_back_after_n_boots) {
  std::uint8_t image[kFlash];
  factory(image);
  {
    Device d(image);
    PS_CHECK(d.start());
    PS_CHECK(install(d.slots, make(2)) == UpdateError::kOk);
  }
  for (std::uint8_t boot = 1; boot <= kAttempts; ++boot) {
    Device d(image);  // the new image crashes or hangs before confirming: reset
    PS_CHECK(d.start());
    up::BootDecision b;
    PS_CHECK(d.slots.boot(b) == UpdateError::kOk);
    PS_CHECK(b.slot == 1 && b.trial && b.attempt == boot);
  }
  Device d(image);
  PS_CHECK(d.start());
  up::BootDecision b;
  PS_CHECK(d.slots.boot(b) == UpdateError::kOk);
  PS_CHECK(b.slot == 0 && b.rolled_back && !b.trial);
  PS_CHECK(version_in(d, 0) == 1);
  PS_CHECK(d.slots.confirm() == UpdateError::kNothingToConfirm);
  Device again(image);
  PS_CHECK(again.start());
  PS_CHECK(again.slots.boot(b) == UpdateError::kOk && b.slot == 0 && !b.rolled_back);
}

PS_TEST(update_slots_refuse_before_erasing_anything) {
  std::uint8_t image[kFlash];
  factory(image);
  Device d(image);
  PS_CHECK(d.start());
  PS_CHECK(install(d.slots, make(3)) == UpdateError::kOk);
  PS_CHECK(d.slots.confirm() == UpdateError::kOk);
  const std::uint64_t erased = d.flash.blocks_erased();
  const FakeVerifier other(7, 0x0BADCAFEU);  // same id, different key
  const FakeVerifier other_id(42, 0x12345678U);
  PS_CHECK(install(d.slots, make(4, "other-board")) == UpdateError::kWrongBoard);
  PS_CHECK(install(d.slots, make(2)) == UpdateError::kNotNewer);
  PS_CHECK(install(d.slots, make(3)) == UpdateError::kNotNewer);
  PS_CHECK(install(d.slots, make(4, "fugu-esp32", other)) == UpdateError::kBadSignature);
  PS_CHECK(install(d.slots, make(4, "fugu-esp32", other_id)) == UpdateError::kUnknownKey);
  Package p = make(4);
  p.bytes[5] ^= 1U;  // in the magic
  PS_CHECK(install(d.slots, p) == UpdateError::kBadPackage);
  PS_CHECK(d.slots.package_error() == up::PackageError::kBadMagic);
  PS_CHECK(d.flash.blocks_erased() == erased);
  // Forced: another board and an older version are accepted.
  PS_CHECK(install(d.slots, make(2, "other-board"), true) == UpdateError::kOk);
  PS_CHECK(d.slots.write(p.bytes, 1) == UpdateError::kNotInstalling);
}

PS_TEST(update_slots_tampered_byte_anywhere_is_refused) {
  std::uint8_t image[kFlash];
  factory(image);
  const Package good = make(2);
  std::uint32_t refused = 0;
  for (std::size_t at = 0; at < good.size; ++at) {
    Device d(image);
    PS_CHECK(d.start());
    Package p = good;
    p.bytes[at] ^= 0x20U;
    const UpdateError e = install(d.slots, p);
    PS_CHECK(e != UpdateError::kOk);
    // Header and signature bytes are refused before anything is erased.
    PS_CHECK(at >= up::kPackagePrefixBytes || d.flash.blocks_erased() == 0);
    PS_CHECK(at < up::kPackagePrefixBytes || e == UpdateError::kHashMismatch);
    up::BootDecision b;
    PS_CHECK(d.slots.boot(b) == UpdateError::kOk && b.slot == 0 && !b.trial);
    ++refused;
  }
  PS_CHECK(refused == good.size);
}

PS_TEST(update_slots_boot_skips_a_damaged_slot) {
  std::uint8_t image[kFlash];
  factory(image);
  Device d(image);
  PS_CHECK(d.start());
  PS_CHECK(install(d.slots, make(2)) == UpdateError::kOk);
  d.flash.flip_bit(kSlots.slot_address[1] + 10, 3);  // the new image rots before its boot
  up::BootDecision b;
  PS_CHECK(d.slots.boot(b) == UpdateError::kOk && b.slot == 0 && b.rolled_back);
  d.flash.flip_bit(kSlots.slot_address[0] + 10, 3);  // and now the old one too
  PS_CHECK(d.slots.boot(b) == UpdateError::kNoBootableImage);
}

// A power cut after every byte of an install, then boots (each of which may be cut too):
// the device boots an intact image every time, and the new one only after a complete install.
PS_TEST(update_slots_power_cut_at_every_byte_of_an_install) {
  std::uint8_t base[kFlash];
  factory(base);
  const Package p = make(2);
  std::uint64_t total = 0;
  {
    std::uint8_t image[kFlash];
    std::memcpy(image, base, kFlash);
    Device d(image);
    PS_CHECK(d.start());
    const std::uint64_t before = d.flash.byte_ops();
    PS_CHECK(install(d.slots, p) == UpdateError::kOk);
    total = d.flash.byte_ops() - before;
  }
  std::uint32_t old_boots = 0;
  std::uint32_t new_boots = 0;
  std::uint32_t unbootable = 0;
  for (std::uint64_t k = 0; k < total; ++k) {
    std::uint8_t image[kFlash];
    std::memcpy(image, base, kFlash);
    {
      Device d(image);
      PS_CHECK(d.start());
      d.flash.schedule_power_cut(k);
      PS_CHECK(install(d.slots, p) != UpdateError::kOk);
    }
    Device d(image);
    PS_CHECK(d.start());
    up::BootDecision b;
    if (d.slots.boot(b) != UpdateError::kOk) {
      ++unbootable;
      continue;
    }
    const std::uint32_t v = version_in(d, b.slot);
    old_boots += v == 1 ? 1U : 0U;
    new_boots += v == 2 ? 1U : 0U;
    unbootable += (v == 1 || v == 2) ? 0U : 1U;
    // After the cut the device can install again and the new image boots on trial.
    if (v == 1) {
      PS_CHECK(install(d.slots, p) == UpdateError::kOk);
      Device r(image);
      PS_CHECK(r.start());
      PS_CHECK(r.slots.boot(b) == UpdateError::kOk && b.trial && version_in(r, b.slot) == 2);
    }
  }
  std::printf("  install power cuts: %llu points, old image booted %u, new %u, unbootable %u\n",
              static_cast<unsigned long long>(total), static_cast<unsigned>(old_boots),
              static_cast<unsigned>(new_boots), static_cast<unsigned>(unbootable));
  PS_CHECK(unbootable == 0);
  PS_CHECK(old_boots + new_boots == total);
}

PS_TEST(update_slots_power_cut_during_trial_boots_and_confirm) {
  std::uint8_t base[kFlash];
  factory(base);
  {
    Device d(base);
    PS_CHECK(d.start());
    PS_CHECK(install(d.slots, make(2)) == UpdateError::kOk);
  }
  // Boot, confirm; each step's flash writes cut at every byte, then the device restarts.
  std::uint32_t points = 0;
  for (std::uint64_t k = 0; k < 400; ++k) {
    std::uint8_t image[kFlash];
    std::memcpy(image, base, kFlash);
    {
      Device d(image);
      PS_CHECK(d.start());
      d.flash.schedule_power_cut(k);
      up::BootDecision b;
      if (d.slots.boot(b) == UpdateError::kOk) {
        (void)d.slots.confirm();
      }
      if (d.flash.powered()) {
        break;  // k is past the last write of boot + confirm
      }
    }
    ++points;
    // From here: boots without confirming; the device always runs v1 or v2 and ends on v1
    // (rolled back) or v2 (if the confirm made it).
    for (int boot = 0; boot < kAttempts + 2; ++boot) {
      Device d(image);
      PS_CHECK(d.start());
      up::BootDecision b;
      PS_CHECK(d.slots.boot(b) == UpdateError::kOk);
      const std::uint32_t v = version_in(d, b.slot);
      PS_CHECK(v == 1 || v == 2);
    }
  }
  PS_CHECK(points > 100);
}

}  // namespace
