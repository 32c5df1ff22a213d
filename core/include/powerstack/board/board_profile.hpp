// BoardProfile: one charger board's hardware as data: pin map, measurement chains (which ADC
// and channel, its resolution and reference, the front end from pin volts to V or A, the
// plausible range), and the converter's limits. The firmware picks a profile by the board
// identifier kept in NV storage (board_record.hpp); nothing board-specific is compiled in
// elsewhere.
//
// A measurement chain is counts -> pin volts (dsp::AdcSpec) -> value (front_end), built into
// a dsp::AdcChannel by make_channel(). A current sensor that is not fitted (device kNone) is
// "virtual": the firmware computes it from the other port's power (docs/charger.md).
//
// validate() checks a profile completely and names the first problem; apply() writes the
// board's limits and sensor ranges into a charge controller configuration (never raising a
// limit the caller set lower). No heap; the built-in profiles are constants.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/charger/charge_controller.hpp"
#include "powerstack/common/status.hpp"
#include "powerstack/dsp/adc_channel.hpp"
#include "powerstack/dsp/linear_transform.hpp"

namespace powerstack::board {

// Identifiers as stored in NV storage; never reuse a number.
enum class BoardId : std::uint16_t {
  kFuguOriginal = 1,    // AngeloCasi's FUGU (Instructables "DIY 1kW MPPT"), ESP32 + ADS1015
  kFuguFl4pFmetal = 2,  // fl4p's "fmetal" Fugu2 board, ESP32-S3 + INA226
};

enum class AdcDevice : std::uint8_t {
  kNone = 0,   // not fitted
  kEsp32Adc1,  // the MCU's own SAR ADC, unit 1
  kAds1015,    // I2C 12-bit delta-sigma, single ended (11 bits of range)
  kIna226,     // I2C power monitor: channel 0 bus voltage, channel 1 shunt voltage
};
const char* to_string(AdcDevice d);

inline constexpr std::int8_t kNoPin = -1;

struct PinMap {
  std::int8_t pwm_high = kNoPin;       // half-bridge driver input (high side, or the one IN)
  std::int8_t pwm_low = kNoPin;        // low-side input (drivers with separate HI/LI)
  std::int8_t driver_enable = kNoPin;  // driver enable / shutdown
  std::int8_t input_switch = kNoPin;   // back-flow / panel disconnect FET
  std::int8_t led = kNoPin;
  std::int8_t fan = kNoPin;
  std::int8_t i2c_sda = kNoPin;
  std::int8_t i2c_scl = kNoPin;
  std::int8_t adc_alert = kNoPin;  // external ADC's alert / conversion-ready line
  std::int8_t ntc = kNoPin;        // FET temperature NTC (MCU ADC pin)
};

struct ChannelSpec {
  AdcDevice device = AdcDevice::kNone;
  std::uint8_t channel = 0;
  dsp::AdcSpec adc;
  dsp::LinearTransform front_end;  // pin volts -> V or A
  float min_valid = 0.0f;          // plausible range of the value
  float max_valid = 0.0f;
  [[nodiscard]] constexpr bool fitted() const { return device != AdcDevice::kNone; }
};

struct BoardLimits {
  float v_in_max_v = 0.0f;   // input (panel) voltage rating
  float v_in_min_v = 0.0f;   // below it the gate driver supply fails
  float v_out_max_v = 0.0f;  // output voltage rating
  float i_in_max_a = 0.0f;
  float i_out_max_a = 0.0f;
  float t_fet_derate_c = 0.0f;
  float t_fet_max_c = 0.0f;
  float f_sw_hz = 0.0f;
  float duty_max = 0.0f;  // highest duty the driver allows (bootstrap refresh)
  float l_h = 0.0f;       // coil inductance
};

struct BoardProfile {
  BoardId id = BoardId::kFuguOriginal;
  const char* name = "";
  PinMap pins;
  ChannelSpec v_in;
  ChannelSpec v_out;
  ChannelSpec i_in;
  ChannelSpec i_out;
  float ntc_r25_ohm = 0.0f;  // the NTC's resistance at 25 C
  BoardLimits limits;
};

// The built-in profiles.
std::size_t board_count();
const BoardProfile& board_at(std::size_t i);
// nullptr for an id no profile has.
const BoardProfile* find_board(std::uint16_t id);

enum class BoardError : std::uint8_t {
  kOk = 0,
  kUnknownBoard,      // no built-in profile has this id
  kNoVoltageSensor,   // v_in or v_out not fitted
  kNoCurrentSensor,   // neither i_in nor i_out fitted
  kBadChannel,        // a fitted channel cannot be built (resolution, reference, gain, range)
  kBadChannelNumber,  // a channel number the device does not have
  kDuplicatePin,      // two functions on one pin
  kBadLimit,          // a limit not finite and positive, or min above max
  kRangeBelowLimit,   // a sensor cannot read up to the board's own limit
};
const char* to_string(BoardError e);

struct BoardCheck {
  BoardError error = BoardError::kOk;
  const char* field = "";  // what is wrong, e.g. "v_in", "pins.fan", "limits.duty_max"
  [[nodiscard]] bool ok() const { return error == BoardError::kOk; }
};

BoardCheck validate(const BoardProfile& profile);

// The channel's measurement chain; kInvalidArgument when it cannot be built or is not fitted.
Result<dsp::AdcChannel> make_channel(const ChannelSpec& spec);

// Writes the board's limits into `config` (converter frequency, inductance and duty limit;
// input/output current limits lowered to the board's; protection input voltages, FET
// temperatures and the sensors' full scales). The profile must validate.
void apply(const BoardProfile& profile, charger::ChargeControllerConfig& config);

}  // namespace powerstack::board
