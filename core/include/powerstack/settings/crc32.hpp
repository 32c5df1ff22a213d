// CRC-32 (ISO-HDLC, the zlib/Ethernet CRC: reflected polynomial 0xEDB88320, initial and final
// XOR 0xFFFFFFFF; check value of "123456789" is 0xCBF43926). Guards stored records.
#pragma once

#include <cstddef>
#include <cstdint>

namespace powerstack::settings {

// `crc` continues an earlier call: crc32(b, nb, crc32(a, na)) == crc32(a+b, na+nb).
std::uint32_t crc32(const std::uint8_t* data, std::size_t length, std::uint32_t crc = 0);

}  // namespace powerstack::settings
