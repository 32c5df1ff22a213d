// The state store on a fake flash that can lose power after any number of programmed bytes.
#include <cstdint>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/power/state_store.hpp"

using powerstack::Status;
using powerstack::hal::NvGeometry;
using powerstack::power::crc32;
using powerstack::power::SavedBatteryState;
using powerstack::power::StateStore;

namespace {

class FakeFlash final : public powerstack::hal::NvStorage {
 public:
  static constexpr std::size_t kSize = 1024;
  static constexpr std::size_t kBlock = 256;
  FakeFlash() { std::memset(mem_, 0xFF, sizeof(mem_)); }
  [[nodiscard]] NvGeometry geometry() const override { return {kSize, kBlock, 4}; }
  Status read(std::size_t a, std::uint8_t* out, std::size_t n) override {
    if (a + n > kSize) {
      return Status::kOutOfRange;
    }
    std::memcpy(out, mem_ + a, n);
    return Status::kOk;
  }
  Status program(std::size_t a, const std::uint8_t* d, std::size_t n) override {
    if (a + n > kSize) {
      return Status::kOutOfRange;
    }
    if (a % 4 != 0 || n % 4 != 0) {
      return Status::kInvalidArgument;
    }
    for (std::size_t k = 0; k < n; ++k) {
      if (!consume()) {
        return Status::kUnavailable;
      }
      mem_[a + k] &= d[k];  // flash: a program only clears bits
    }
    return Status::kOk;
  }
  Status erase_block(std::size_t a) override {
    if (a % kBlock != 0 || a + kBlock > kSize) {
      return Status::kInvalidArgument;
    }
    // An erase cut half way leaves half the block erased (counted as one budget unit per
    // 16 bytes).
    for (std::size_t k = 0; k < kBlock; ++k) {
      if (k % 16 == 0 && !consume()) {
        return Status::kUnavailable;
      }
      mem_[a + k] = 0xFF;
    }
    return Status::kOk;
  }
  // Power fails after `budget` more units of work; negative = never.
  int budget = -1;

 private:
  bool consume() {
    if (budget == 0) {
      return false;
    }
    if (budget > 0) {
      --budget;
    }
    return true;
  }
  std::uint8_t mem_[kSize];
};

SavedBatteryState state_n(int n) {
  SavedBatteryState s;
  s.soc = 0.01f * static_cast<float>(n);
  s.soc_sigma = 0.02f;
  s.capacity_ah = 4.0f - 0.01f * static_cast<float>(n);
  s.r0_ohm = 0.025f;
  s.shutdown_count = static_cast<std::uint32_t>(n);
  s.boot_count = static_cast<std::uint32_t>(2 * n);
  return s;
}

bool same(const SavedBatteryState& a, const SavedBatteryState& b) {
  return std::memcmp(&a, &b, sizeof(a)) == 0;
}

}  // namespace

PS_TEST(crc32_check_value) {
  const char* s = "123456789";
  PS_CHECK(crc32(reinterpret_cast<const std::uint8_t*>(s), 9) == 0xCBF43926U);
}

PS_TEST(state_store_round_trip_and_alternation) {
  FakeFlash flash;
  StateStore store(flash, 256);
  PS_CHECK(store.load().status() == Status::kNotReady);
  for (int n = 1; n <= 5; ++n) {
    PS_CHECK(store.save(state_n(n)) == Status::kOk);
    const auto got = store.load();
    PS_CHECK(got.ok() && same(got.value(), state_n(n)));
  }
  StateStore bad(flash, 768);  // second slot would leave the device
  PS_CHECK(bad.save(state_n(1)) == Status::kOutOfRange);
}

PS_TEST(state_store_power_cut_leaves_old_or_new_never_garbage) {
  // Cut at every point of a save (erase units + payload and header bytes), from both slots.
  for (int first = 1; first <= 2; ++first) {
    for (int cut = 0; cut < 80; ++cut) {
      FakeFlash flash;
      StateStore store(flash, 0);
      for (int n = 1; n <= first; ++n) {
        PS_CHECK(store.save(state_n(n)) == Status::kOk);
      }
      flash.budget = cut;
      const Status s = store.save(state_n(first + 1));
      flash.budget = -1;
      const auto got = store.load();
      PS_CHECK(got.ok());
      PS_CHECK(same(got.value(), state_n(first)) || same(got.value(), state_n(first + 1)));
      if (s == Status::kOk) {
        PS_CHECK(same(got.value(), state_n(first + 1)));
      }
    }
  }
}
