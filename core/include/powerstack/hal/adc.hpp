// Adc: raw conversions from the MCU's or an external ADC. A port maps channel numbers to
// pins; the core turns counts into values with dsp::AdcChannel.
#pragma once

#include <cstdint>

#include "powerstack/common/status.hpp"

namespace powerstack::hal {

class Adc {
 public:
  // Latest conversion of `channel` in counts. kOutOfRange for an unknown channel,
  // kUnavailable when the converter did not answer (e.g. I2C ADC timeout).
  virtual Status read(std::uint8_t channel, std::uint32_t& counts) = 0;

 protected:
  ~Adc() = default;
};

}  // namespace powerstack::hal
