#include "ascii_fields.hpp"

#include "powerstack/balancer/address.hpp"

namespace powerstack {
namespace balancer {
namespace fields {

namespace {

constexpr uint8_t kInvalid = 0xFFU;

uint8_t put_unsigned(uint8_t* out, uint16_t value, uint8_t width, uint8_t pad) {
  uint8_t i = width;
  do {
    out[--i] = static_cast<uint8_t>('0' + value % 10U);
    value = static_cast<uint16_t>(value / 10U);
  } while (value != 0U && i != 0U);
  if (value != 0U) {
    return kInvalid;
  }
  while (i != 0U) {
    out[--i] = pad;
  }
  return width;
}

// Skips spaces from `i`.
uint8_t skip_spaces(const uint8_t* text, uint8_t length, uint8_t i) {
  while (i < length && text[i] == ' ') {
    ++i;
  }
  return i;
}

// Reads digits text[i..length) (1..max_digits of them, nothing else).
bool parse_digits(const uint8_t* text, uint8_t length, uint8_t i, uint8_t max_digits,
                  int16_t& value) {
  if (i == length || static_cast<uint8_t>(length - i) > max_digits) {
    return false;
  }
  int16_t v = 0;
  for (; i < length; ++i) {
    const uint8_t c = text[i];
    if (c < '0' || c > '9') {
      return false;
    }
    v = static_cast<int16_t>(v * 10 + (c - '0'));
  }
  value = v;
  return true;
}

}  // namespace

uint8_t put(Field field, int16_t value, bool flag, uint8_t* out) {
  switch (field) {
    case kNone:
      return 0;
    case kOk:
      out[0] = 'O';
      out[1] = 'K';
      return 2;
    case kAddress:
      return (value < 0 || value > kMaxModules) ? kInvalid
                                                : encode_address(static_cast<uint8_t>(value), out);
    case kSigned1:
    case kSigned2: {
      const int16_t limit = field == kSigned1 ? 9 : 99;
      if (value < -limit || value > limit) {
        return kInvalid;
      }
      out[0] = value < 0 ? '-' : ' ';
      const auto magnitude = static_cast<uint16_t>(value < 0 ? -value : value);
      return static_cast<uint8_t>(1U +
                                  put_unsigned(out + 1, magnitude, magnitude >= 10U ? 2 : 1, ' '));
    }
    default:
      break;
  }
  // The unsigned kinds.
  if (value < 0) {
    return kInvalid;
  }
  const uint8_t width = field == kUnsigned3 ? 3U : 4U;
  const uint8_t n =
      put_unsigned(out, static_cast<uint16_t>(value), width, field == kDigits4 ? '0' : ' ');
  if (n == kInvalid || field != kVoltageFlag) {
    return n;
  }
  out[4] = ' ';
  out[5] = flag ? '1' : '0';
  return 6;
}

bool parse(Field field, const uint8_t* text, uint8_t length, int16_t& value, bool& flag) {
  switch (field) {
    case kNone:
      return length == 0U;
    case kOk:
      return length == 2U && text[0] == 'O' && text[1] == 'K';
    case kAddress: {
      uint8_t n = 0;
      if (length == 0U || decode_address(text, length, n) != length) {
        return false;
      }
      value = n;
      return true;
    }
    case kSigned1:
    case kSigned2: {
      uint8_t i = skip_spaces(text, length, 0);
      const bool negative = i < length && text[i] == '-';
      if (i < length && (negative || text[i] == '+')) {
        i = skip_spaces(text, length, static_cast<uint8_t>(i + 1U));
      }
      if (!parse_digits(text, length, i, field == kSigned1 ? 1 : 2, value)) {
        return false;
      }
      if (negative) {
        value = static_cast<int16_t>(-value);
      }
      return true;
    }
    case kVoltageFlag:
      if (length != 6U || text[4] != ' ' || (text[5] != '0' && text[5] != '1')) {
        return false;
      }
      flag = text[5] == '1';
      length = 4;
      break;
    case kDigits4:
      if (length != 4U) {
        return false;
      }
      return parse_digits(text, length, 0, 4, value);
    default:
      break;
  }
  // kUnsigned3, kUnsigned4 and the voltage of kVoltageFlag: leading spaces allowed.
  return parse_digits(text, length, skip_spaces(text, length, 0), field == kUnsigned3 ? 3 : 4,
                      value);
}

}  // namespace fields
}  // namespace balancer
}  // namespace powerstack
