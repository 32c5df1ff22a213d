#include "powerstack/balancer/module_settings.hpp"

#include "powerstack/balancer/address.hpp"

namespace powerstack {
namespace balancer {

namespace {

constexpr uint8_t kExcess = 128U;
constexpr uint8_t kCorrections = 3U;  // reference, temperature, OSCCAL at bytes 2, 3, 4

// The correction stored at `address`, or 0 when the byte is unset (0xFF) or out of range.
int8_t load_correction(ModuleEeprom& eeprom, uint16_t address, int8_t limit) {
  const auto value = static_cast<int16_t>(eeprom.read_byte(address) - kExcess);
  return (value < -limit || value > limit) ? int8_t{0} : static_cast<int8_t>(value);
}

void update(ModuleEeprom& eeprom, uint16_t address, uint8_t value) {
  if (eeprom.read_byte(address) != value) {
    eeprom.write_byte(address, value);
  }
}

}  // namespace

static_assert(kEepromTemperatureCorrection == kEepromReferenceCorrection + 1U &&
                  kEepromOscillatorCorrection == kEepromReferenceCorrection + 2U,
              "the corrections are stored in one loop");

ModuleSettings load_settings(ModuleEeprom& eeprom) {
  ModuleSettings s;
  const uint8_t address = eeprom.read_byte(kEepromAddress);
  if (address != kNoModule && address <= kMaxModules) {
    s.address = address;
  }
  s.reference_correction_mv =
      load_correction(eeprom, kEepromReferenceCorrection, kMaxReferenceCorrectionMv);
  s.temperature_correction_k =
      load_correction(eeprom, kEepromTemperatureCorrection, kMaxTemperatureCorrectionK);
  s.oscillator_correction =
      load_correction(eeprom, kEepromOscillatorCorrection, kMaxOscillatorCorrection);
  const auto mv = static_cast<uint16_t>((eeprom.read_byte(kEepromBalanceStart) << 8U) |
                                        eeprom.read_byte(kEepromBalanceStart + 1U));
  if (mv >= kMinBalanceStartMv && mv <= kMaxBalanceStartMv) {
    s.balance_start_mv = mv;
  }
  return s;
}

void store_settings(ModuleEeprom& eeprom, const ModuleSettings& settings) {
  update(eeprom, kEepromAddress, settings.address);
  const int8_t corrections[kCorrections] = {settings.reference_correction_mv,
                                            settings.temperature_correction_k,
                                            settings.oscillator_correction};
  for (uint8_t i = 0; i < kCorrections; ++i) {
    update(eeprom, kEepromReferenceCorrection + i, static_cast<uint8_t>(corrections[i] + kExcess));
  }
  update(eeprom, kEepromBalanceStart, static_cast<uint8_t>(settings.balance_start_mv >> 8U));
  update(eeprom, kEepromBalanceStart + 1U, static_cast<uint8_t>(settings.balance_start_mv & 0xFFU));
}

}  // namespace balancer
}  // namespace powerstack
