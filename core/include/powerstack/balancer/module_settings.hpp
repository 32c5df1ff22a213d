// The balancer module's stored settings: address and corrections in EEPROM.
//
// Erased EEPROM reads 0xFF, which means "unset": the default applies. Any other byte
// outside the setting's range is treated the same way (a torn or foreign write cannot give
// an absurd value). Signed corrections are stored in excess-128 form (byte = value + 128),
// so 0xFF is never a valid correction; the original firmware stored them in two's
// complement, where an erased byte read back as a correction of -1.
//
// Layout (byte 0 is left unused: on AVRs it is the byte most exposed to brown-out writes):
//   1  module address 1..254                 default 1
//   2  reference correction -9..9 mV         default 0
//   3  temperature correction -99..99 K      default 0
//   4  OSCCAL correction -9..9 steps         default 0
//   5  balance start voltage, high byte      } 3400..3500 mV, default 3500
//   6  balance start voltage, low byte       }
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

#include "powerstack/balancer/module_hardware.hpp"

namespace powerstack {
namespace balancer {

constexpr uint16_t kEepromAddress = 1U;
constexpr uint16_t kEepromReferenceCorrection = 2U;
constexpr uint16_t kEepromTemperatureCorrection = 3U;
constexpr uint16_t kEepromOscillatorCorrection = 4U;
constexpr uint16_t kEepromBalanceStart = 5U;  // two bytes, big-endian

constexpr int8_t kMaxReferenceCorrectionMv = 9;
constexpr int8_t kMaxTemperatureCorrectionK = 99;
constexpr int8_t kMaxOscillatorCorrection = 9;
// Seed 001's MAX_BALANCE_VOLTAGE: balancing always starts above 3.5 V; a lower start may be
// set, down to 3.4 V (the original firmware's lower limit).
constexpr uint16_t kMaxBalanceStartMv = 3500U;
constexpr uint16_t kMinBalanceStartMv = 3400U;

struct ModuleSettings {
  uint8_t address = 1;
  int8_t reference_correction_mv = 0;
  int8_t temperature_correction_k = 0;
  int8_t oscillator_correction = 0;
  uint16_t balance_start_mv = kMaxBalanceStartMv;
};

// Reads every setting; unset or out-of-range bytes give the defaults.
ModuleSettings load_settings(ModuleEeprom& eeprom);

// Writes every setting, touching only the bytes that change (EEPROM wear). Values must be in
// range (the module checks commands before storing).
void store_settings(ModuleEeprom& eeprom, const ModuleSettings& settings);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
