#include "powerstack/twin/vedirect.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "powerstack/protection/trip_event.hpp"

namespace powerstack::twin::vedirect {

namespace {

using protection::TripReason;

// VE.Direct codes (public "VE.Direct Protocol" document).
constexpr int kCsOff = 0;
constexpr int kCsFault = 2;
constexpr int kCsBulk = 3;
constexpr int kCsAbsorption = 4;
constexpr int kCsFloat = 5;
constexpr int kCsEqualize = 7;
constexpr int kCsStartingUp = 245;

constexpr int kMpptOff = 0;
constexpr int kMpptLimited = 1;
constexpr int kMpptTracking = 2;

constexpr int kErrNone = 0;
constexpr int kErrBatteryVoltageHigh = 2;
constexpr int kErrChargerTemperatureHigh = 17;
constexpr int kErrChargerOverCurrent = 18;
constexpr int kErrChargerCurrentReversed = 19;
constexpr int kErrCurrentSensor = 21;
constexpr int kErrInputVoltageHigh = 33;
constexpr int kErrInputCurrentHigh = 34;

constexpr std::uint32_t kOrNone = 0x0;
constexpr std::uint32_t kOrNoInputPower = 0x1;
constexpr std::uint32_t kOrProtectionActive = 0x10;

// The panel counts as present when it could push current into the battery.
constexpr double kPvPresentMarginV = 1.0;
constexpr double kPvPresentMinW = 1.0;

// Letters and digits only, lower case: "output over-voltage" and "output-over-voltage" (the
// core's and the JSON's spelling) compare equal.
std::string squash(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

TripReason reason_of(std::string_view text) {
  const std::string key = squash(text);
  for (int r = 1; r <= static_cast<int>(TripReason::kSensorStuck); ++r) {
    const auto reason = static_cast<TripReason>(r);
    if (squash(protection::to_string(reason)) == key) {
      return reason;
    }
  }
  return TripReason::kNone;
}

int error_of(TripReason r) {
  switch (r) {
    case TripReason::kInputOverVoltage:
      return kErrInputVoltageHigh;
    case TripReason::kOutputOverVoltage:
    case TripReason::kOutputOverVoltageFast:
      return kErrBatteryVoltageHigh;
    case TripReason::kOutputOverCurrent:
    case TripReason::kOutputShort:
      return kErrChargerOverCurrent;
    case TripReason::kPvBackfeed:
      return kErrChargerCurrentReversed;
    case TripReason::kInputShort:
      return kErrInputCurrentHigh;
    case TripReason::kOverTemperature:
      return kErrChargerTemperatureHigh;
    case TripReason::kSensorImplausible:
    case TripReason::kSensorSaturated:
    case TripReason::kSensorStuck:
      return kErrCurrentSensor;
    case TripReason::kNone:
    case TripReason::kInputUnderVoltage:  // the panel is dark: "off, no input power"
      break;
  }
  return kErrNone;
}

// The newest trip that has not been released and that VE.Direct reports as an error.
TripReason active_fault(const DeviceStatus& s) {
  for (auto it = s.recent_trips.rbegin(); it != s.recent_trips.rend(); ++it) {
    const TripReason r = reason_of(it->reason);
    if (!it->tripped || error_of(r) == kErrNone) {
      continue;
    }
    // Released later? A release of the same reason newer than this trip clears it.
    bool released = false;
    for (auto later = s.recent_trips.rbegin(); later != it; ++later) {
      if (!later->tripped && reason_of(later->reason) == r) {
        released = true;
        break;
      }
    }
    if (!released) {
      return r;
    }
  }
  return TripReason::kNone;
}

bool pv_present(const DeviceStatus& s) {
  return s.v_pv_v > s.v_bat_v + kPvPresentMarginV && s.p_mpp_w >= kPvPresentMinW;
}

// An integer field value in `unit` (1000 for mV from V); "---" when the reading is not finite.
std::string scaled(double value, double per_unit) {
  const double v = value * per_unit;
  if (!std::isfinite(v)) {
    return "---";
  }
  return std::to_string(std::lround(v));
}

std::string hex32(std::uint32_t v) {
  std::array<char, 11> buf{};
  (void)std::snprintf(buf.data(), buf.size(), "0x%08X", static_cast<unsigned>(v));
  return buf.data();
}

}  // namespace

int state_of_operation(const DeviceStatus& s) {
  if (active_fault(s) != TripReason::kNone) {
    return kCsFault;
  }
  if (s.charge_state == "inhibited") {
    return kCsOff;
  }
  if (!s.converter_on) {
    if (!pv_present(s)) {
      return kCsOff;
    }
    // The panel is there but the converter is not switching: the tracker is about to start
    // (or the charge is done and it waits for the recharge voltage).
    return s.charge_state == "full" || s.charge_state == "float" ? kCsFloat : kCsStartingUp;
  }
  if (s.charge_state == "absorption") {
    return kCsAbsorption;
  }
  if (s.charge_state == "float" || s.charge_state == "full") {
    return kCsFloat;
  }
  if (s.charge_state == "equalise") {
    return kCsEqualize;
  }
  return kCsBulk;
}

int tracker_mode(const DeviceStatus& s) {
  if (!s.converter_on) {
    return kMpptOff;
  }
  return s.binding_limit == "mppt" || s.binding_limit == "none" ? kMpptTracking : kMpptLimited;
}

int error_code(const DeviceStatus& s) {
  return error_of(active_fault(s));
}

std::uint32_t off_reason(const DeviceStatus& s) {
  if (active_fault(s) != TripReason::kNone || s.charge_state == "inhibited") {
    return kOrProtectionActive;
  }
  if (!s.converter_on && !pv_present(s)) {
    return kOrNoInputPower;
  }
  return kOrNone;
}

std::uint8_t checksum_byte(std::string_view bytes) {
  unsigned sum = 0;
  for (const char c : bytes) {
    sum += static_cast<unsigned char>(c);
  }
  return static_cast<std::uint8_t>((256U - sum % 256U) % 256U);
}

std::string frame_block(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& f : fields) {
    out += "\r\n";
    out += f.label;
    out += '\t';
    out += f.value;
  }
  out += "\r\nChecksum\t";
  out.push_back(static_cast<char>(checksum_byte(out)));
  return out;
}

void Encoder::observe(const DeviceStatus& s) {
  const bool new_day =
      seen_ && (s.pv_today_wh < prev_pv_today_wh_ || s.bat_in_today_wh < prev_bat_in_today_wh_ ||
                s.bat_out_today_wh < prev_bat_out_today_wh_);
  if (new_day) {
    yield_yesterday_wh_ = prev_pv_today_wh_;
    max_pv_yesterday_w_ = max_pv_today_w_;
    max_pv_today_w_ = 0.0;
    day_ = (day_ + 1) % 365;  // HSDS counts 0..364
  }
  seen_ = true;
  prev_pv_today_wh_ = s.pv_today_wh;
  prev_bat_in_today_wh_ = s.bat_in_today_wh;
  prev_bat_out_today_wh_ = s.bat_out_today_wh;
  if (std::isfinite(s.p_pv_w) && s.p_pv_w > max_pv_today_w_) {
    max_pv_today_w_ = s.p_pv_w;
  }
}

std::vector<Field> Encoder::fields(const DeviceStatus& s) {
  observe(s);
  constexpr double kMilli = 1000.0;
  constexpr double kPerCentiKwh = 0.1;  // Wh -> 0.01 kWh
  return {
      {"PID", identity_.pid},
      {"FW", identity_.fw},
      {"SER#", identity_.serial},
      {"V", scaled(s.v_bat_v, kMilli)},
      {"I", scaled(s.i_bat_a, kMilli)},
      {"VPV", scaled(s.v_pv_v, kMilli)},
      {"PPV", scaled(s.p_pv_w, 1.0)},
      {"CS", std::to_string(state_of_operation(s))},
      {"MPPT", std::to_string(tracker_mode(s))},
      {"OR", hex32(off_reason(s))},
      {"ERR", std::to_string(error_code(s))},
      {"LOAD", "OFF"},  // the twin's charger has no load output
      {"H19", scaled(s.pv_total_wh, kPerCentiKwh)},
      {"H20", scaled(s.pv_today_wh, kPerCentiKwh)},
      {"H21", scaled(max_pv_today_w_, 1.0)},
      {"H22", scaled(yield_yesterday_wh_, kPerCentiKwh)},
      {"H23", scaled(max_pv_yesterday_w_, 1.0)},
      {"HSDS", std::to_string(day_)},
  };
}

}  // namespace powerstack::twin::vedirect
