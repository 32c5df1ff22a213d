#include "powerstack/app/serial_device.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace powerstack::app {

SerialDevice::~SerialDevice() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool SerialDevice::open(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    error = "'" + path + "' is not a serial port: " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  ::cfmakeraw(&tio);
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS | CSIZE);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  if (::cfsetispeed(&tio, B4800) != 0 || ::cfsetospeed(&tio, B4800) != 0 ||
      ::tcsetattr(fd, TCSANOW, &tio) != 0) {
    error = "cannot set 4800 8N1 raw on '" + path + "': " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  ::tcflush(fd, TCIOFLUSH);
  fd_ = fd;
  return true;
}

std::size_t SerialDevice::write(std::span<const std::uint8_t> bytes) {
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  flush();
  return bytes.size();
}

void SerialDevice::flush() {
  while (!pending_.empty() && fd_ >= 0) {
    const ssize_t n = ::write(fd_, pending_.data(), pending_.size());
    if (n > 0) {
      pending_.erase(pending_.begin(), pending_.begin() + n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      io_error_ = std::strerror(errno);
      pending_.clear();
    }
    return;
  }
}

std::size_t SerialDevice::read(std::span<std::uint8_t> out) {
  if (fd_ < 0 || out.empty()) {
    return 0;
  }
  const ssize_t n = ::read(fd_, out.data(), out.size());
  if (n > 0) {
    return static_cast<std::size_t>(n);
  }
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
    io_error_ = std::strerror(errno);
  }
  return 0;
}

bool SerialDevice::wait(int timeout_ms) {
  pollfd p{fd_, static_cast<short>(POLLIN | (pending_.empty() ? 0 : POLLOUT)), 0};
  const int r = ::poll(&p, 1, timeout_ms);
  if (r < 0 && errno != EINTR) {
    io_error_ = std::strerror(errno);
    return false;
  }
  if (r > 0 && (p.revents & (POLLERR | POLLNVAL | POLLHUP)) != 0) {
    io_error_ = (p.revents & POLLHUP) != 0 ? "device hung up" : "device error";
    return false;
  }
  flush();
  return true;
}

}  // namespace powerstack::app
