// A settings store on a RamFlash, for the settings tests: the image lives in the rig, so a
// "reboot" is a new rig over a copy of the old image.
#pragma once

#include <cstdint>
#include <cstring>

#include "powerstack/hal/ram_flash.hpp"
#include "powerstack/settings/settings_store.hpp"

namespace settings_test {

namespace ps = powerstack::settings;
using powerstack::hal::NvGeometry;
using powerstack::hal::RamFlash;

// 8 erase blocks of 256 bytes; the store uses two banks (one block each by default) after one block
// left for something else (so base_address is not 0).
constexpr std::size_t kFlashBytes = 2048;
constexpr std::size_t kBlock = 256;

struct Rig {
  explicit Rig(std::size_t granularity = 4, std::size_t bank_bytes = kBlock)
      : flash(image, NvGeometry{kFlashBytes, kBlock, granularity}),
        store(flash, ps::StoreLayout{kBlock, bank_bytes}) {
    flash.erase_all();
  }
  Rig(const Rig& from, std::size_t granularity, std::size_t bank_bytes = kBlock)
      : flash(image, NvGeometry{kFlashBytes, kBlock, granularity}),
        store(flash, ps::StoreLayout{kBlock, bank_bytes}) {
    std::memcpy(image, from.image, sizeof image);
  }
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  std::uint8_t image[kFlashBytes];
  RamFlash flash;
  ps::SettingsStore store;
};

// A payload that differs for every `value` (and has 0xFF and 0x00 bytes in it).
inline void fill_payload(std::uint32_t value, std::uint8_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<std::uint8_t>((value * 37U + i * 11U) ^ (i == 3 ? 0xFFU : 0U));
  }
  out[0] = static_cast<std::uint8_t>(value);
  out[1] = static_cast<std::uint8_t>(value >> 8U);
}

inline ps::StoreStatus write_value(ps::SettingsStore& s, std::uint16_t key, std::uint32_t value,
                                   std::size_t n) {
  std::uint8_t buf[64];
  fill_payload(value, buf, n);
  return s.write(key, 1, buf, n);
}

// True when the store returns exactly the payload of `value` for `key`.
inline bool holds_value(ps::SettingsStore& s, std::uint16_t key, std::uint32_t value,
                        std::size_t n) {
  std::uint8_t want[64];
  std::uint8_t got[64];
  fill_payload(value, want, n);
  ps::ReadInfo info;
  return s.read(key, got, sizeof got, info) == ps::StoreStatus::kOk && info.length == n &&
         std::memcmp(want, got, n) == 0;
}

}  // namespace settings_test
