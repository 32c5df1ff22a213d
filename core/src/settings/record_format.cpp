#include "powerstack/settings/record_format.hpp"

#include "powerstack/settings/byte_order.hpp"
#include "powerstack/settings/crc32.hpp"

namespace powerstack::settings {

void encode_record_header(const RecordHeader& h, std::uint8_t* out) {
  put_u16(out, kRecordMagic);
  put_u16(out + 2, h.key);
  put_u16(out + 4, h.version);
  put_u16(out + 6, h.length);
  put_u32(out + 8, h.payload_crc);
  put_u32(out + 12, crc32(out, 12));
}

bool parse_record_header(const std::uint8_t* in, RecordHeader& h) {
  if (get_u16(in) != kRecordMagic || get_u32(in + 12) != crc32(in, 12)) {
    return false;
  }
  h.key = get_u16(in + 2);
  h.version = get_u16(in + 4);
  h.length = get_u16(in + 6);
  h.payload_crc = get_u32(in + 8);
  return h.length <= kMaxPayloadBytes;
}

void encode_bank_header(std::uint32_t sequence, std::uint8_t* out) {
  put_u32(out, kBankMagic);
  put_u32(out + 4, sequence);
  put_u16(out + 8, kStoreFormat);
  put_u16(out + 10, 0xFFFF);
  put_u32(out + 12, crc32(out, 12));
}

bool parse_bank_header(const std::uint8_t* in, std::uint32_t& sequence) {
  if (get_u32(in) != kBankMagic || get_u16(in + 8) != kStoreFormat ||
      get_u32(in + 12) != crc32(in, 12)) {
    return false;
  }
  sequence = get_u32(in + 4);
  return true;
}

}  // namespace powerstack::settings
