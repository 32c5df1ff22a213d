// Responses of the balancer protocol (seed 001) as typed values, and their payload text.
//
// `a` is the answering module's address (address.hpp). Payloads, without CRC and CR:
//   (aUA3239 0   cell mV (4 characters, space padded) + ' ' + balancing 0/1   <- QUA, DBG
//   (aTA298      temperature in kelvin (3 characters, space padded)          <- QTA
//   (aBS3500     balance start voltage in mV (4 characters)                  <- QBU
//   (aRC 9 / (aRC-9     reference correction in mV       (sign + 1 digit)    <- QRC
//   (aTC 9 / (aTC-12    temperature correction in K      (sign + 1..2 digits) <- QTC
//   (aOC 9 / (aOC-9     OSCCAL correction in steps       (sign + 1 digit)    <- QOC
//   (aSDBOK  (aEDBOK  (aBSVOK  (aRCOK  (aRTOK  (aOCOK    set/start/end acknowledgements
//   (MAa         the module's address                                       <- ZQMA
//   (aNAK        the addressed module did not understand or refused the command
// Read leniently as well: "(aTCOK" (the original firmware's STC acknowledgement), "(aMA" (its
// address report), 3-character corrections such as "(aTC  9" / "(aTC- 9".
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

enum class ResponseKind : uint8_t {
  kVoltage,                   // UA: value = mV, balancing = switch state
  kTemperature,               // TA: value = K
  kBalanceStart,              // BS: value = mV
  kReferenceCorrection,       // RC: value = mV
  kTemperatureCorrection,     // TC: value = K
  kOscillatorCorrection,      // OC: value = OSCCAL steps
  kDynamicStarted,            // SDBOK
  kDynamicEnded,              // EDBOK
  kBalanceStartSet,           // BSVOK
  kReferenceCorrectionSet,    // RCOK
  kTemperatureCorrectionSet,  // RTOK
  kOscillatorCorrectionSet,   // OCOK
  kModuleAddress,             // (MAa
  kNak,                       // NAK
};

struct Response {
  ResponseKind kind = ResponseKind::kNak;
  uint8_t address = 1;     // the answering module, 1..kMaxModules
  int16_t value = 0;       // see ResponseKind; 0 when the kind carries none
  bool balancing = false;  // kVoltage only
};

// Writes the payload of `response`; returns its length, or 0 when the address or the value
// does not fit its field (mV 0..9999, K 0..999, corrections -9..9 / -99..99).
uint8_t encode_response(const Response& response, uint8_t* out, uint8_t capacity);

// Reads a response payload (starting with '('); false when it is not one.
bool decode_response(const uint8_t* payload, uint8_t length, Response& out);

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
