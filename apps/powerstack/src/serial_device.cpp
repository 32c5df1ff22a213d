#include "powerstack/app/serial_device.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace powerstack::app {

namespace {

// termios speed constant of a baud rate; B0 for one we do not offer.
speed_t speed_of(int baud) {
  switch (baud) {
    case 4800:
      return B4800;
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    default:
      return B0;
  }
}

}  // namespace

SerialDevice::~SerialDevice() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool SerialDevice::open(const std::string& path, std::string& error, int baud) {
  const speed_t speed = speed_of(baud);
  if (speed == B0) {
    error = "unsupported baud rate " + std::to_string(baud) + " for '" + path + "'";
    return false;
  }
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
  if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0 ||
      ::tcsetattr(fd, TCSANOW, &tio) != 0) {
    error = "cannot set " + std::to_string(baud) + " 8N1 raw on '" + path +
            "': " + std::strerror(errno);
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
