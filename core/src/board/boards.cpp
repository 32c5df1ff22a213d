// The built-in board profiles. Facts are from each board's published firmware (read for the
// numbers, no code copied); what the sources do not state is marked ASSUMPTION.
#include "powerstack/board/board_profile.hpp"

namespace powerstack::board {

namespace {

// AngeloCasi/FUGU-ARDUINO-MPPT-FIRMWARE (V1.10: ARDUINO_MPPT_FIRMWARE_V1.1.ino,
// 2_Read_Sensors.ino): ESP32; pins buck_IN 33 (IR2104 IN), buck_EN 32, backflow_MOSFET 27,
// LED 2, FAN 16, ADC_ALERT 34, TempSensor 35 (10k NTC); ADS1015 at gain 2 (+-2.048 V):
// input voltage on channel 3 x 40.2156, output voltage on channel 1 x 24.5, input current on
// channel 2: ACS712-30A (66 mV/A, 2.525 V at 0 A, inverted) behind a divider x 1.33, so
// i = -(1.33 v - 2.525) / 0.066; no output current sensor (computed from power). Limits:
// vInSystemMin 10 V, vOutSystemMax 50 V, currentInAbsolute 31 A, currentOutAbsolute 50 A,
// temperatureMax 90 C, pwmFrequency 39 kHz, PWM_MaxDC 97 %.
// ASSUMPTION: 80 V input rating (the design's stated maximum PV voltage); I2C on the ESP32
// Arduino defaults SDA 21 / SCL 22; 33 uH coil (docs/buck-model.md's FUGU-class value);
// derating from 70 C (the original has none; this firmware's default).
// dsp::AdcSpec takes the pin voltage at the top count: 2047 counts of 1 mV.
constexpr dsp::AdcSpec kAds1015Gain2{11, 2.047f, 0};

constexpr BoardProfile kFuguOriginal{
    BoardId::kFuguOriginal,
    "fugu-original",
    {33, kNoPin, 32, 27, 2, 16, 21, 22, 34, 35},
    {AdcDevice::kAds1015, 3, kAds1015Gain2, {40.2156f, 0.0f}, 0.0f, 82.5f},
    {AdcDevice::kAds1015, 1, kAds1015Gain2, {24.5f, 0.0f}, 0.0f, 50.2f},
    {AdcDevice::kAds1015, 2, kAds1015Gain2, {-1.33f / 0.066f, 2.525f / 0.066f}, -3.0f, 31.0f},
    {},
    10000.0f,
    {80.0f, 10.0f, 50.0f, 31.0f, 50.0f, 70.0f, 90.0f, 39000.0f, 0.97f, 33e-6f},
};

// fl4p/fugu-mppt-firmware, config/fmetal (the Fugu2 "fmetal" board): ESP32-S3; board.conf:
// I2C SDA 42 / SCL 2, INA226 alert 41, shunt 1.0 mOhm, range 35 A, PWM 39 kHz, driver HI 21 /
// LI 14 / SD 47, panel switch 40, WS2812 LED on 1, no fan; sensor.conf: HV voltage on ADC1
// channel 3 through 200k / 7.5k, LV voltage on the INA226 bus input through 47k / 47k, LV
// current on the INA226 shunt, no HV current sensor (computed from power), NTC on ADC1
// channel 7 (GPIO 8 on the S3); limits.conf: vin_min 10.5 V, hv_max 85 V, lv_max 60 V,
// hv_i_max 30 A, lv_i_max 32 A, temp_derate 70 C, temp_max 90 C; coil.conf: L0 45 uH.
// INA226 (datasheet): bus 1.25 mV and shunt 2.5 uV a count, 15 bits of positive range.
// ASSUMPTION: ADC1 full scale 3.1 V at 11 dB attenuation; the shunt reads positive in the buck
// direction (sensor.conf's factor -1 flips the chip's sign; reverse current is not represented);
// duty limit 0.969 (this firmware's 0.8 us low-side minimum at 39 kHz); 10k NTC.
constexpr BoardProfile kFuguFl4pFmetal{
    BoardId::kFuguFl4pFmetal,
    "fugu-fl4p-fmetal",
    {21, 14, 47, 40, 1, kNoPin, 42, 2, 41, 8},
    {AdcDevice::kEsp32Adc1, 3, {12, 3.1f, 0}, {(200e3f + 7.5e3f) / 7.5e3f, 0.0f}, 0.0f, 86.0f},
    {AdcDevice::kIna226,
     0,
     {15, 32767 * 1.25e-3f, 0},
     {(47e3f + 47e3f) / 47e3f, 0.0f},
     0.0f,
     82.0f},
    {},
    {AdcDevice::kIna226, 1, {15, 32767 * 2.5e-6f, 0}, {1.0f / 1.0e-3f, 0.0f}, 0.0f, 35.0f},
    10000.0f,
    {85.0f, 10.5f, 60.0f, 30.0f, 32.0f, 70.0f, 90.0f, 39000.0f, 0.969f, 45e-6f},
};

constexpr const BoardProfile* kBoards[] = {&kFuguOriginal, &kFuguFl4pFmetal};

}  // namespace

std::size_t board_count() {
  return sizeof(kBoards) / sizeof(kBoards[0]);
}

const BoardProfile& board_at(std::size_t i) {
  return *kBoards[i < board_count() ? i : 0];
}

const BoardProfile* find_board(std::uint16_t id) {
  for (const BoardProfile* b : kBoards) {
    if (static_cast<std::uint16_t>(b->id) == id) {
      return b;
    }
  }
  return nullptr;
}

}  // namespace powerstack::board
