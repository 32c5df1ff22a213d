// Status and Result: how fallible core calls report failure without exceptions.
// A Status names what went wrong; Result<T> carries either a value or a non-ok Status.
#pragma once

#include <cstdint>

namespace powerstack {

enum class Status : std::uint8_t {
  kOk = 0,
  kInvalidArgument,   // a parameter is non-finite, zero where it must not be, or out of its domain
  kOutOfOrder,        // a timestamp did not advance
  kNotReady,          // not enough data yet to answer
  kInsufficientData,  // data arrived but carries too little information (e.g. excitation)
  kUnavailable,       // the hardware or resource did not answer
  kOutOfRange,        // an address or index outside the device
};

// Short stable name for logs and error messages.
constexpr const char* to_string(Status s) {
  switch (s) {
    case Status::kOk:
      return "ok";
    case Status::kInvalidArgument:
      return "invalid argument";
    case Status::kOutOfOrder:
      return "timestamp out of order";
    case Status::kNotReady:
      return "not ready";
    case Status::kInsufficientData:
      return "insufficient data";
    case Status::kUnavailable:
      return "unavailable";
    case Status::kOutOfRange:
      return "out of range";
  }
  return "unknown";
}

// Either a value or the reason there is none. T must be default-constructible and copyable
// (core types are small plain structs).
template <typename T>
class Result {
 public:
  constexpr Result(const T& value)
      : value_(value), status_(Status::kOk) {}  // NOLINT(google-explicit-constructor)
  constexpr Result(Status status)
      : value_(), status_(status) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] constexpr bool ok() const { return status_ == Status::kOk; }
  [[nodiscard]] constexpr Status status() const { return status_; }
  // Only meaningful when ok(); a default-constructed T otherwise.
  [[nodiscard]] constexpr const T& value() const { return value_; }

 private:
  T value_;
  Status status_;
};

}  // namespace powerstack
