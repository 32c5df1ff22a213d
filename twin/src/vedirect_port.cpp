#include "powerstack/twin/vedirect_port.hpp"

#include <string>

namespace powerstack::twin {

bool VeDirectPort::on_status(const DeviceStatus& s) {
  encoder_.observe(s);
  if (!pacer_.due(s.t_s)) {
    return false;
  }
  const std::string block = encoder_.block(s);
  if (!sink_(block)) {
    ++dropped_;
    return false;
  }
  ++sent_;
  return true;
}

}  // namespace powerstack::twin
