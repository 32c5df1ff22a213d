#include "powerstack/protection/trip_event.hpp"

namespace powerstack::protection {

const char* to_string(TripReason reason) {
  switch (reason) {
    case TripReason::kNone:
      return "none";
    case TripReason::kInputOverVoltage:
      return "input over-voltage";
    case TripReason::kInputUnderVoltage:
      return "input under-voltage";
    case TripReason::kOutputOverVoltage:
      return "output over-voltage";
    case TripReason::kOutputOverVoltageFast:
      return "output over-voltage (comparator)";
    case TripReason::kOutputOverCurrent:
      return "output over-current";
    case TripReason::kOutputShort:
      return "output short";
    case TripReason::kPvBackfeed:
      return "PV back-feed";
    case TripReason::kInputShort:
      return "input short";
    case TripReason::kOverTemperature:
      return "over-temperature";
    case TripReason::kSensorImplausible:
      return "sensor implausible";
    case TripReason::kSensorSaturated:
      return "sensor saturated";
    case TripReason::kSensorStuck:
      return "sensor stuck";
  }
  return "unknown";
}

void TripLog::add(const TripEvent& e) {
  events_[count_ % kCapacity] = e;
  ++count_;
}

const TripEvent& TripLog::at(std::size_t i) const {
  const std::size_t first = count_ > kCapacity ? count_ % kCapacity : 0U;
  return events_[(first + i) % kCapacity];
}

std::size_t TripLog::count(TripReason reason) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    n += at(i).reason == reason && at(i).tripped ? 1U : 0U;
  }
  return n;
}

}  // namespace powerstack::protection
