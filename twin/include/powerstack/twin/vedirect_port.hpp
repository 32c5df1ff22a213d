// VeDirectPort: the twin's VE.Direct output. Fed with every snapshot, it sends one text block
// per second of device time to a byte sink (a serial device or pty at 19200 8N1, opened by the
// app). A sink that cannot take a block now (a real 19200-baud line at --speed 60, or nobody
// reading the pty) makes the port drop that block rather than queue without bound: a reader
// always gets whole, current blocks.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include "powerstack/twin/device_status.hpp"
#include "powerstack/twin/device_time_pacer.hpp"
#include "powerstack/twin/vedirect.hpp"

namespace powerstack::twin {

class VeDirectPort {
 public:
  // Takes all of `bytes` or, when it cannot now, none (false).
  using Sink = std::function<bool(std::string_view bytes)>;

  static constexpr double kBlockPeriodS = 1.0;  // a block a second, as a Victron MPPT sends

  explicit VeDirectPort(Sink sink, vedirect::Identity identity = {})
      : sink_(std::move(sink)), encoder_(std::move(identity)) {}

  // Sends a block when a device second has passed since the last one; true if it did.
  bool on_status(const DeviceStatus& s);

  [[nodiscard]] std::uint64_t blocks_sent() const { return sent_; }
  [[nodiscard]] std::uint64_t blocks_dropped() const { return dropped_; }

 private:
  Sink sink_;
  vedirect::Encoder encoder_;
  DeviceTimePacer pacer_{kBlockPeriodS};
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace powerstack::twin
