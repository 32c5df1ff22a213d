// SerialDevice: a POSIX serial device (termios) as the balancer manager's ChainPort, and the
// twin's VE.Direct line.
//
// Opened raw 8N1 at 4800 baud (the balancer chain's line; the level inversion is done by the
// hardware's opto-isolated converter, not here) or the baud rate asked for (VE.Direct: 19200),
// no flow control, non-blocking: read() returns
// what has arrived, write() queues and sends what the driver takes. Works on ttyUSB/ttyS
// devices and on ptys (which ignore the speed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "powerstack/balancer_manager/chain_port.hpp"

namespace powerstack::app {

class SerialDevice final : public balancer_manager::ChainPort {
 public:
  SerialDevice() = default;
  ~SerialDevice();
  SerialDevice(const SerialDevice&) = delete;
  SerialDevice& operator=(const SerialDevice&) = delete;

  // Opens and configures `path` (baud: 4800, 9600, 19200, 38400, 57600 or 115200); false
  // with `error` naming the path and the reason.
  bool open(const std::string& path, std::string& error, int baud = 4800);
  std::size_t write(std::span<const std::uint8_t> bytes) override;
  std::size_t read(std::span<std::uint8_t> out) override;
  // Bytes queued that the driver has not taken yet.
  [[nodiscard]] std::size_t pending_bytes() const { return pending_.size(); }
  // Sends queued bytes the driver can take now.
  void flush();
  // Waits up to timeout_ms for input (or until queued output can go); false on error.
  bool wait(int timeout_ms);
  [[nodiscard]] int fd() const { return fd_; }
  // The last I/O error ("" when none), e.g. the device was unplugged.
  [[nodiscard]] const std::string& io_error() const { return io_error_; }

 private:
  int fd_ = -1;
  std::vector<std::uint8_t> pending_;
  std::string io_error_;
};

}  // namespace powerstack::app
