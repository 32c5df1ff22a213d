// Gpio: digital pins (relays, enables, fan, LEDs, comparator outputs). Pin numbers are the
// port's; the core knows them only through its board configuration.
#pragma once

#include <cstdint>

#include "powerstack/common/status.hpp"

namespace powerstack::hal {

class Gpio {
 public:
  virtual Status write(std::uint8_t pin, bool high) = 0;
  virtual Status read(std::uint8_t pin, bool& high) = 0;

 protected:
  ~Gpio() = default;
};

}  // namespace powerstack::hal
