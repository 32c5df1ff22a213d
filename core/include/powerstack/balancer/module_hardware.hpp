// The balancer module's hardware, reached only through these small ports (seed 001's
// ATtiny85 board; a host simulation implements them with models). Nothing here blocks.
#pragma once

// C++14 for avr-g++, no C++ library: see .clang-tidy in this folder.
// NOLINTBEGIN(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)

#include <stdint.h>

namespace powerstack {
namespace balancer {

// 10-bit conversions (0..1023).
class CellAdc {
 public:
  // The cell through the 1:1 divider (20k/20k) against the external 2.048 V reference
  // (REF3020): counts = cell_mV / 2 * 1024 / 2048, so 1 count = 4 mV at the cell.
  virtual uint16_t read_cell_counts() = 0;
  // The internal temperature sensor against the internal 1.1 V reference. About 1 count per
  // kelvin and close to the kelvin value at room temperature (datasheet: ~300 counts at
  // 25 C); the temperature correction trims the offset.
  virtual uint16_t read_temperature_counts() = 0;

 protected:
  ~CellAdc() = default;
};

// The bleed transistors (Q1, Q2) through the balance resistor R4.
class BalanceSwitch {
 public:
  virtual void set_balancing(bool on) = 0;

 protected:
  ~BalanceSwitch() = default;
};

// EEPROM bytes (ATtiny85: 512). Erased (factory) content reads 0xFF.
class ModuleEeprom {
 public:
  virtual uint8_t read_byte(uint16_t address) = 0;
  virtual void write_byte(uint16_t address, uint8_t value) = 0;

 protected:
  ~ModuleEeprom() = default;
};

}  // namespace balancer
}  // namespace powerstack
// NOLINTEND(modernize-deprecated-headers,modernize-concat-nested-namespaces,modernize-use-nodiscard,cppcoreguidelines-pro-bounds-array-to-pointer-decay)
