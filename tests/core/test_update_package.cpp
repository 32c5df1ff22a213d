// SHA-256 against the FIPS 180-4 examples, and the update package header: layout, every
// structural error, versions.
#include <cstdint>
#include <cstring>

#include "harness/check.hpp"
#include "test_update_fakes.hpp"

namespace {

using namespace update_test;

bool digest_is(const char* text, std::size_t repeat, const std::uint8_t (&want)[32]) {
  up::Sha256 sha;
  for (std::size_t i = 0; i < repeat; ++i) {
    sha.update(reinterpret_cast<const std::uint8_t*>(text), std::strlen(text));
  }
  std::uint8_t got[32];
  sha.finish(got);
  return std::memcmp(got, want, 32) == 0;
}

PS_TEST(update_sha256_matches_the_fips_examples) {
  const std::uint8_t abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  const std::uint8_t empty[32] = {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
                                  0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
                                  0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
  const std::uint8_t two_blocks[32] = {0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8,
                                       0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
                                       0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67,
                                       0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1};
  const std::uint8_t million_a[32] = {0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92,
                                      0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67,
                                      0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e,
                                      0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
  PS_CHECK(digest_is("abc", 1, abc));
  PS_CHECK(digest_is("", 1, empty));
  PS_CHECK(digest_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, two_blocks));
  PS_CHECK(digest_is("aaaaaaaaaa", 100000, million_a));
}

PS_TEST(update_package_header_layout_and_errors) {
  const FakeVerifier key(1, 0xA1B2C3D4U);
  std::uint8_t image[100];
  fill_image(1, image, sizeof image);
  std::uint8_t pkg[up::kPackagePrefixBytes + 100];
  const std::size_t n = build_package(key, "fugu-esp32", 0x01020003U, image, 100, pkg);
  PS_CHECK(n == sizeof pkg);
  PS_CHECK(std::memcmp(pkg, "PSUPDATE", 8) == 0);
  PS_CHECK(pkg[8] == 1 && pkg[10] == 96);
  PS_CHECK(pkg[12] == 0x03 && pkg[14] == 0x02 && pkg[15] == 0x01);  // version 1.2.3
  PS_CHECK(pkg[16] == 100 && pkg[24] == 'f' && pkg[33] == '2' && pkg[34] == 0);
  PS_CHECK(pkg[88] == 0xD4 && pkg[91] == 0xA1);
  up::PackageHeader h;
  PS_CHECK(up::parse_package_header(pkg, n, h) == up::PackageError::kOk);
  PS_CHECK(std::strcmp(h.board, "fugu-esp32") == 0 && h.version == 0x01020003U);
  PS_CHECK(h.image_bytes == 100 && h.key_id == 0xA1B2C3D4U);

  PS_CHECK(up::parse_package_header(pkg, 159, h) == up::PackageError::kTooShort);
  PS_CHECK(up::parse_package_header(pkg, n - 1, h) == up::PackageError::kBadLength);
  PS_CHECK(up::parse_package_header(pkg, n + 1, h) == up::PackageError::kBadLength);
  struct Spoil {
    std::size_t at;
    std::uint8_t value;
    up::PackageError error;
  };
  const Spoil spoils[] = {
      {0, 'X', up::PackageError::kBadMagic},       {8, 2, up::PackageError::kBadFormat},
      {10, 95, up::PackageError::kBadFormat},      {20, 1, up::PackageError::kReservedNotZero},
      {95, 1, up::PackageError::kReservedNotZero}, {24, 0, up::PackageError::kBadBoard},
      {26, ' ', up::PackageError::kBadBoard},      {40, 'x', up::PackageError::kBadBoard},
      {16, 99, up::PackageError::kBadLength},
  };
  for (const Spoil& s : spoils) {
    std::uint8_t copy[sizeof pkg];
    std::memcpy(copy, pkg, sizeof pkg);
    copy[s.at] = s.value;
    PS_CHECK(up::parse_package_header(copy, n, h) == s.error);
    PS_CHECK(std::strlen(up::to_string(s.error)) > 10);
  }
}

PS_TEST(update_versions_parse_and_format) {
  std::uint32_t v = 0;
  PS_CHECK(up::parse_version("1.2.3", v) && v == 0x01020003U);
  PS_CHECK(up::parse_version("255.255.65535", v) && v == 0xFFFFFFFFU);
  char text[16];
  up::format_version(0x0A000101U, text);
  PS_CHECK(std::strcmp(text, "10.0.257") == 0);
  const char* bad[] = {"",      "1",       "1.2",       "1.2.3.4", "1..3",
                       "a.b.c", "256.0.0", "1.2.65536", "1.2.3 ",  "-1.2.3"};
  for (const char* b : bad) {
    PS_CHECK(!up::parse_version(b, v));
  }
}

}  // namespace
