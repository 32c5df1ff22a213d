// RamFlash: flash semantics (erase to 0xFF, programs only clear bits, geometry checks) and the
// faults the power-loss tests rely on.
#include <cstdint>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/hal/ram_flash.hpp"

namespace {

using powerstack::Status;
using powerstack::hal::NvGeometry;
using powerstack::hal::RamFlash;

constexpr NvGeometry kGeometry{256, 64, 4};

PS_TEST(ram_flash_rejects_inconsistent_geometry) {
  std::uint8_t image[256];
  PS_CHECK(RamFlash(image, kGeometry).valid());
  PS_CHECK(!RamFlash(image, NvGeometry{256, 64, 3}).valid());   // granularity not 2^n
  PS_CHECK(!RamFlash(image, NvGeometry{256, 48, 32}).valid());  // block not whole units
  PS_CHECK(!RamFlash(image, NvGeometry{200, 64, 4}).valid());   // size not whole blocks
  PS_CHECK(!RamFlash(nullptr, kGeometry).valid());
  std::uint8_t b = 0;
  PS_CHECK(RamFlash(image, NvGeometry{256, 64, 3}).read(0, &b, 1) == Status::kUnavailable);
}

PS_TEST(ram_flash_program_clears_bits_only_and_erase_restores) {
  std::uint8_t image[256];
  RamFlash f(image, kGeometry);
  f.erase_all();
  const std::uint8_t first[4] = {0xF0, 0x0F, 0xAA, 0xFF};
  const std::uint8_t second[4] = {0x3C, 0xFF, 0x55, 0x00};
  PS_CHECK(f.program(8, first, 4) == Status::kOk);
  PS_CHECK(f.units_reprogrammed() == 0);
  PS_CHECK(f.program(8, second, 4) == Status::kOk);  // ANDs into what is there
  PS_CHECK(f.units_reprogrammed() == 1);
  std::uint8_t got[4];
  PS_CHECK(f.read(8, got, 4) == Status::kOk);
  PS_CHECK(got[0] == 0x30 && got[1] == 0x0F && got[2] == 0x00 && got[3] == 0x00);
  PS_CHECK(f.erase_block(0) == Status::kOk);
  PS_CHECK(f.read(8, got, 4) == Status::kOk);
  PS_CHECK(got[0] == 0xFF && got[3] == 0xFF);
  PS_CHECK(f.blocks_erased() == 1);
  PS_CHECK(f.bytes_programmed() == 8);
}

PS_TEST(ram_flash_checks_alignment_and_range) {
  std::uint8_t image[256];
  RamFlash f(image, kGeometry);
  f.erase_all();
  const std::uint8_t d[8] = {};
  PS_CHECK(f.program(2, d, 4) == Status::kInvalidArgument);
  PS_CHECK(f.program(4, d, 6) == Status::kInvalidArgument);
  PS_CHECK(f.program(252, d, 8) == Status::kOutOfRange);
  PS_CHECK(f.erase_block(32) == Status::kInvalidArgument);
  PS_CHECK(f.erase_block(256) == Status::kOutOfRange);
  std::uint8_t out[8];
  PS_CHECK(f.read(250, out, 8) == Status::kOutOfRange);
  PS_CHECK(f.read(248, out, 8) == Status::kOk);
}

PS_TEST(ram_flash_power_cut_stops_after_exactly_k_bytes) {
  for (std::uint64_t k = 0; k <= 8; ++k) {
    std::uint8_t image[256];
    RamFlash f(image, kGeometry);
    f.erase_all();
    const std::uint8_t d[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    f.schedule_power_cut(k);
    const Status st = f.program(16, d, 8);
    PS_CHECK((st == Status::kOk) == (k >= 8));
    if (k < 8) {
      PS_CHECK(!f.powered());
      std::uint8_t b = 0;
      PS_CHECK(f.read(0, &b, 1) == Status::kUnavailable);
      PS_CHECK(f.erase_block(0) == Status::kUnavailable);
      f.restore_power();
    }
    for (std::size_t i = 0; i < 8; ++i) {
      PS_CHECK(image[16 + i] == (i < k ? d[i] : 0xFF));
    }
  }
  // An erase cut after 10 bytes: the first 10 bytes erased, the rest as before.
  std::uint8_t image[256];
  RamFlash f(image, kGeometry);
  std::memset(image, 0x00, sizeof image);
  f.schedule_power_cut(10);
  PS_CHECK(f.erase_block(64) == Status::kUnavailable);
  PS_CHECK(image[64 + 9] == 0xFF && image[64 + 10] == 0x00 && image[127] == 0x00);
}

PS_TEST(ram_flash_torn_byte_mixes_old_and_new_bits) {
  int differs = 0;
  for (std::uint64_t seed = 1; seed <= 32; ++seed) {
    std::uint8_t image[256];
    RamFlash f(image, kGeometry);
    f.erase_all();
    f.set_torn_bits(true, seed);
    const std::uint8_t d[4] = {0x00, 0x00, 0x00, 0x00};
    f.schedule_power_cut(2);
    PS_CHECK(f.program(0, d, 4) == Status::kUnavailable);
    PS_CHECK(image[0] == 0x00 && image[1] == 0x00 && image[3] == 0xFF);
    differs += image[2] != 0xFF && image[2] != 0x00 ? 1 : 0;
  }
  PS_CHECK(differs > 16);  // most torn bytes are neither old nor new
}

PS_TEST(ram_flash_stuck_bit_survives_erase) {
  std::uint8_t image[256];
  RamFlash f(image, kGeometry);
  f.erase_all();
  PS_CHECK(f.stick_bit_at_zero(70, 3));
  PS_CHECK(f.erase_block(64) == Status::kOk);
  PS_CHECK(image[70] == 0xF7);
  f.flip_bit(71, 0);
  PS_CHECK(image[71] == 0xFE);
}

}  // namespace
