// Commands of the balancer protocol (seed 001) as typed values, and their payload text.
//
// `a` is a module address (address.hpp). Payloads, without CRC and CR:
//   aQUA  voltage + balancing      aQTA  temperature (K)       aQBU  balance start voltage
//   aQRC  reference correction     aQTC  temperature corr.     aQOC  OSCCAL correction
//   aSDB  start dynamic balancing  aEDB  end dynamic balancing
//   aBSV9999  set balance start voltage (mV, exactly 4 digits)
//   aSRC 9 / aSRC-9    set reference correction (-9..9 mV, sign character + 1 digit)
//   aSTC 9 / aSTC-12   set temperature correction (-99..99 K, sign character + 1..2 digits)
//   aSOC 9 / aSOC-9    set OSCCAL correction (-9..9 steps, sign character + 1 digit)
//   aDBG or bare DBG   debug reports (DBG alone: the module that hears it, stand-alone use)
//   ZSMAa  assign addresses along the chain (a = the previous module's address, 0 at start)
//   ZQMA   every module reports its address
// Decoding checks the wire format only (field widths and digits); the module checks ranges
// that the format allows but the device does not (e.g. BSV outside 3400..3500 mV).
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

enum class CommandKind : uint8_t {
  kQueryVoltage,                // QUA -> (aUA
  kQueryTemperature,            // QTA -> (aTA
  kQueryBalanceStart,           // QBU -> (aBS
  kQueryReferenceCorrection,    // QRC -> (aRC
  kQueryTemperatureCorrection,  // QTC -> (aTC
  kQueryOscillatorCorrection,   // QOC -> (aOC
  kStartDynamicBalancing,       // SDB -> (aSDBOK
  kEndDynamicBalancing,         // EDB -> (aEDBOK
  kSetBalanceStart,             // BSV -> (aBSVOK
  kSetReferenceCorrection,      // SRC -> (aRCOK
  kSetTemperatureCorrection,    // STC -> (aRTOK
  kSetOscillatorCorrection,     // SOC -> (aOCOK
  kDebug,                       // DBG -> voltage reports (aUA every 3 s for 1 min
  kAssignAddresses,             // ZSMA (broadcast)
  kQueryAddresses,              // ZQMA (broadcast) -> (MAa from every module
};

// Command::target values besides module numbers 1..kMaxModules.
constexpr uint8_t kTargetStandalone = 0U;    // bare "DBG": whichever module receives it
constexpr uint8_t kTargetBroadcast = 0xFFU;  // 'Z'

struct Command {
  CommandKind kind = CommandKind::kQueryVoltage;
  uint8_t target = 1;  // module number, kTargetBroadcast or kTargetStandalone
  // The argument: mV for kSetBalanceStart, the correction for the other setters, the
  // previous module's address for kAssignAddresses; 0 otherwise.
  int16_t value = 0;
};

// Writes the payload of `command`; returns its length, or 0 (nothing usable written) when
// the command cannot be written: target and kind do not fit together (broadcast kinds need
// kTargetBroadcast, kTargetStandalone only kDebug), or the value is outside its field.
uint8_t encode_command(const Command& command, uint8_t* out, uint8_t capacity);

// Reads a command payload; false when it is not one (a response, unknown name, bad field).
bool decode_command(const uint8_t* payload, uint8_t length, Command& out);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
