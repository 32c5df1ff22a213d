// Trip reasons and the bounded event log of the protections. Each trip (and each release)
// is one TripEvent with a stable numeric reason code, the offending value and the time since
// start-up; the log keeps the newest kCapacity events and counts the ones it dropped.
#pragma once

#include <cstddef>
#include <cstdint>

namespace powerstack::protection {

// Stable codes: telemetry and logs publish the number, never reorder.
enum class TripReason : std::uint8_t {
  kNone = 0,
  kInputOverVoltage = 1,
  kInputUnderVoltage = 2,
  kOutputOverVoltage = 3,      // seen by the control tick
  kOutputOverVoltageFast = 4,  // the hardware comparator stopped the PWM between ticks
  kOutputOverCurrent = 5,
  kOutputShort = 6,
  kPvBackfeed = 7,
  kInputShort = 8,
  kOverTemperature = 9,
  kSensorImplausible = 10,
  kSensorSaturated = 11,
  kSensorStuck = 12,
};

const char* to_string(TripReason reason);

struct TripEvent {
  std::uint32_t t_ms = 0;  // since start-up
  TripReason reason = TripReason::kNone;
  bool tripped = true;  // false: the condition released
  float value = 0.0f;   // the offending reading (V, A, C)
};

class TripLog {
 public:
  static constexpr std::size_t kCapacity = 32;

  void add(const TripEvent& e);
  // Events oldest first: i in [0, size()).
  [[nodiscard]] const TripEvent& at(std::size_t i) const;
  [[nodiscard]] std::size_t size() const { return count_ < kCapacity ? count_ : kCapacity; }
  [[nodiscard]] std::uint32_t total() const { return count_; }
  [[nodiscard]] std::uint32_t dropped() const {
    return count_ > kCapacity ? count_ - static_cast<std::uint32_t>(kCapacity) : 0U;
  }
  // Number of trips (not releases) with this reason still in the log.
  [[nodiscard]] std::size_t count(TripReason reason) const;

 private:
  TripEvent events_[kCapacity]{};
  std::uint32_t count_ = 0;
};

}  // namespace powerstack::protection
