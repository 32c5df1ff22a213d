// libFuzzer target: the battery-state store reading arbitrary flash content (a record the
// device finds after a power cut, a worn cell, another firmware's data). Loading must never
// crash and may only return a record whose CRC matched; a save on top must then load back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "powerstack/power/state_store.hpp"

namespace {

using powerstack::Status;

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

class Flash final : public powerstack::hal::NvStorage {
 public:
  static constexpr std::size_t kSize = 512;
  explicit Flash(const std::uint8_t* data, std::size_t size) {
    std::memset(mem_, 0xFF, sizeof(mem_));
    std::memcpy(mem_, data, size < kSize ? size : kSize);
  }
  [[nodiscard]] powerstack::hal::NvGeometry geometry() const override { return {kSize, 256, 4}; }
  Status read(std::size_t a, std::uint8_t* out, std::size_t n) override {
    if (a > kSize || n > kSize - a) {
      return Status::kOutOfRange;
    }
    std::memcpy(out, mem_ + a, n);
    return Status::kOk;
  }
  Status program(std::size_t a, const std::uint8_t* d, std::size_t n) override {
    if (a > kSize || n > kSize - a || a % 4 != 0 || n % 4 != 0) {
      return Status::kInvalidArgument;
    }
    for (std::size_t k = 0; k < n; ++k) {
      mem_[a + k] &= d[k];
    }
    return Status::kOk;
  }
  Status erase_block(std::size_t a) override {
    if (a % 256 != 0 || a >= kSize) {
      return Status::kInvalidArgument;
    }
    std::memset(mem_ + a, 0xFF, 256);
    return Status::kOk;
  }

 private:
  std::uint8_t mem_[kSize];
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Flash flash(data, size);
  powerstack::power::StateStore store(flash, 0);
  (void)store.load();
  powerstack::power::SavedBatteryState s;
  s.soc = 0.42f;
  s.boot_count = 7;
  check(store.save(s) == Status::kOk);
  const auto back = store.load();
  check(back.ok() && std::memcmp(&back.value(), &s, sizeof(s)) == 0);
  return 0;
}
