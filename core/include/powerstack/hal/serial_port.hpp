// SerialPort: a non-blocking byte stream (UART, software serial, USB CDC, a pty on the host).
#pragma once

#include <cstddef>
#include <cstdint>

namespace powerstack::hal {

class SerialPort {
 public:
  // Copies up to `capacity` received bytes into `out`; returns how many (0 when none waiting).
  virtual std::size_t read(std::uint8_t* out, std::size_t capacity) = 0;
  // Queues up to `length` bytes; returns how many were accepted (fewer when the buffer is full).
  virtual std::size_t write(const std::uint8_t* data, std::size_t length) = 0;

 protected:
  ~SerialPort() = default;
};

}  // namespace powerstack::hal
