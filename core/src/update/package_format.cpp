#include "powerstack/update/package_format.hpp"

#include "powerstack/settings/byte_order.hpp"

namespace powerstack::update {

using settings::get_u16;
using settings::get_u32;
using settings::put_u16;
using settings::put_u32;

const char* to_string(PackageError e) {
  switch (e) {
    case PackageError::kOk:
      return "ok";
    case PackageError::kTooShort:
      return "shorter than the 160-byte header and signature";
    case PackageError::kBadMagic:
      return "not a powerstack update package (magic is not PSUPDATE)";
    case PackageError::kBadFormat:
      return "unknown package format version";
    case PackageError::kBadBoard:
      return "board id empty, not printable ASCII or not NUL-padded";
    case PackageError::kBadLength:
      return "image length does not match the package size";
    case PackageError::kReservedNotZero:
      return "reserved header fields are not zero";
  }
  return "unknown";
}

// 0 magic[8], 8 u16 format, 10 u16 header bytes (96), 12 u32 version, 16 u32 image bytes,
// 20 u32 reserved 0, 24 board[32], 56 sha256[32], 88 u32 key id, 92 u32 reserved 0.
PackageError parse_package_header(const std::uint8_t* bytes, std::size_t total_bytes,
                                  PackageHeader& out) {
  if (total_bytes < kPackagePrefixBytes) {
    return PackageError::kTooShort;
  }
  for (std::size_t i = 0; i < sizeof kPackageMagic; ++i) {
    if (bytes[i] != kPackageMagic[i]) {
      return PackageError::kBadMagic;
    }
  }
  if (get_u16(bytes + 8) != kPackageFormat || get_u16(bytes + 10) != kPackageHeaderBytes) {
    return PackageError::kBadFormat;
  }
  if (get_u32(bytes + 20) != 0 || get_u32(bytes + 92) != 0) {
    return PackageError::kReservedNotZero;
  }
  PackageHeader h;
  h.version = get_u32(bytes + 12);
  h.image_bytes = get_u32(bytes + 16);
  if (h.image_bytes == 0 || total_bytes - kPackagePrefixBytes != h.image_bytes) {
    return PackageError::kBadLength;
  }
  std::size_t n = 0;
  while (n < kBoardIdBytes && bytes[24 + n] != 0) {
    const std::uint8_t c = bytes[24 + n];
    if (c < 0x21 || c > 0x7E) {
      return PackageError::kBadBoard;
    }
    h.board[n] = static_cast<char>(c);
    ++n;
  }
  if (n == 0) {
    return PackageError::kBadBoard;
  }
  for (std::size_t i = n; i < kBoardIdBytes; ++i) {
    if (bytes[24 + i] != 0) {
      return PackageError::kBadBoard;
    }
  }
  h.board[n] = '\0';
  for (std::size_t i = 0; i < kSha256Bytes; ++i) {
    h.image_sha256[i] = bytes[56 + i];
  }
  h.key_id = get_u32(bytes + 88);
  out = h;
  return PackageError::kOk;
}

void encode_package_header(const PackageHeader& h, std::uint8_t out[kPackageHeaderBytes]) {
  for (std::size_t i = 0; i < kPackageHeaderBytes; ++i) {
    out[i] = 0;
  }
  for (std::size_t i = 0; i < sizeof kPackageMagic; ++i) {
    out[i] = kPackageMagic[i];
  }
  put_u16(out + 8, kPackageFormat);
  put_u16(out + 10, kPackageHeaderBytes);
  put_u32(out + 12, h.version);
  put_u32(out + 16, h.image_bytes);
  for (std::size_t i = 0; i < kBoardIdBytes && h.board[i] != '\0'; ++i) {
    out[24 + i] = static_cast<std::uint8_t>(h.board[i]);
  }
  for (std::size_t i = 0; i < kSha256Bytes; ++i) {
    out[56 + i] = h.image_sha256[i];
  }
  put_u32(out + 88, h.key_id);
}

bool parse_version(const char* text, std::uint32_t& version) {
  std::uint32_t parts[3] = {0, 0, 0};
  const std::uint32_t limits[3] = {255, 255, 65535};
  int part = 0;
  bool digit = false;
  for (const char* p = text;; ++p) {
    if (*p >= '0' && *p <= '9') {
      parts[part] = parts[part] * 10U + static_cast<std::uint32_t>(*p - '0');
      if (parts[part] > limits[part]) {
        return false;
      }
      digit = true;
    } else if ((*p == '.' && part < 2) || *p == '\0') {
      if (!digit) {
        return false;
      }
      if (*p == '\0') {
        break;
      }
      ++part;
      digit = false;
    } else {
      return false;
    }
  }
  if (part != 2) {
    return false;
  }
  version = (parts[0] << 24U) | (parts[1] << 16U) | parts[2];
  return true;
}

void format_version(std::uint32_t version, char out[16]) {
  const std::uint32_t parts[3] = {version >> 24U, (version >> 16U) & 0xFFU, version & 0xFFFFU};
  std::size_t n = 0;
  for (int i = 0; i < 3; ++i) {
    char digits[6];
    int d = 0;
    std::uint32_t v = parts[i];
    do {
      digits[d++] = static_cast<char>('0' + v % 10U);
      v /= 10U;
    } while (v != 0);
    while (d > 0) {
      out[n++] = digits[--d];
    }
    if (i < 2) {
      out[n++] = '.';
    }
  }
  out[n] = '\0';
}

}  // namespace powerstack::update
