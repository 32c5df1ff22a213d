// Battery voltage through a resistor divider into an ESP32 ADC pin (seed 002's monitor
// circuit), with the ADC's documented usable range per attenuation, a two-point calibration,
// and a refusal of readings outside the usable range (near the ends the converter is strongly
// non-linear and clips: a reading there is not a value).
//
// Ranges and typical errors after eFuse calibration (ESP32, ESP-IDF / datasheet, restated in
// ../shared/reference/esp32-adc.md): 0 dB 100-950 mV +-23 mV; 2.5 dB 100-1250 mV +-30 mV;
// 6 dB 150-1750 mV +-40 mV; 11 dB 150-2450 mV +-60 mV.
#pragma once

#include "powerstack/common/status.hpp"

namespace powerstack::battery {

enum class Esp32Attenuation : unsigned char { k0dB, k2_5dB, k6dB, k11dB };

struct AdcRange {
  float min_mv;
  float max_mv;
  float error_mv;  // typical error after the chip's own calibration
};

AdcRange esp32_adc_range(Esp32Attenuation attenuation);

struct DividerAdcConfig {
  float r_top_ohm = 10e3f;     // battery to pin (seed 002: R1 10 k)
  float r_bottom_ohm = 39e3f;  // pin to ground (seed 002: R2 39 k)
  Esp32Attenuation attenuation = Esp32Attenuation::k11dB;
  // Board calibration: v_pin_true_mv = gain * reading_mv + offset_mv.
  float cal_gain = 1.0f;
  float cal_offset_mv = 0.0f;
};

// pin / battery ratio of the divider.
float divider_ratio(const DividerAdcConfig& config);

// Battery voltage for an ADC reading (mV, after the chip's calibration). kOutOfRange when
// the reading lies outside the attenuation's usable range; kInvalidArgument for a non-finite
// reading or a non-positive resistor.
Result<float> battery_voltage_v(const DividerAdcConfig& config, float reading_mv);

// Two-point board calibration from readings at two known battery voltages (e.g. 3.4 V and
// 4.1 V from a bench supply): sets cal_gain and cal_offset_mv in `config`. kInvalidArgument
// when the two points coincide or a value is not finite.
Status calibrate_two_point(DividerAdcConfig& config, float v_bat1_v, float reading1_mv,
                           float v_bat2_v, float reading2_mv);

// Design check: true when the pin voltage stays inside the usable range for every battery
// voltage in [v_bat_min_v, v_bat_max_v] with resistor tolerance `tolerance` (e.g. 0.01).
bool divider_fits_range(const DividerAdcConfig& config, float v_bat_min_v, float v_bat_max_v,
                        float tolerance);

}  // namespace powerstack::battery
