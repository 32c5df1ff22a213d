// ChainPort: the manager's only door to the balancer chain, bytes in and out.
//
// The manager writes frames for the first module and reads what the last module sends back.
// A port never blocks: write() takes what it can (a UART FIFO, a termios fd, a simulated
// wire) and read() returns what has arrived so far, possibly nothing. The same manager thus
// runs on a master MCU (UART driver), on the host (serial device) and in simulations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace powerstack::balancer_manager {

class ChainPort {
 public:
  // Queues bytes for the first module; returns how many were taken (all, or fewer when the
  // port's buffer is full: the manager then treats the exchange as failed and retries).
  virtual std::size_t write(std::span<const std::uint8_t> bytes) = 0;
  // Copies up to out.size() received bytes into out; returns the count (0: none yet).
  virtual std::size_t read(std::span<std::uint8_t> out) = 0;

 protected:
  ~ChainPort() = default;
};

}  // namespace powerstack::balancer_manager
