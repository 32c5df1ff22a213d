// balancer-chain-sim: a chain of emulated balancer modules (the ATtiny85 image in simavr)
// on a serial port, for a master on the other side (powerstack balancer --port, a terminal).
//
//   balancer-chain-sim --pty PATH [--modules N] [--cell-mv MV[,MV...]] [--numbered]
//                      [--elf FILE] [--seconds S]
//
// PATH is one end of a pty pair (for example made by
// `socat pty,raw,echo=0,link=/tmp/bal-a pty,raw,echo=0,link=/tmp/bal-b`); the master opens
// the other end. Bytes read from PATH go to module 1's RX at 4800 baud, back to back; bytes
// the last module sends are written to PATH as they are decoded. The emulation is paced to
// the wall clock, so the master's timeouts see the chain's real timing. --numbered stores
// addresses 1..N in the modules' EEPROM (else they are factory-new: 0xFF, use ZSMA0).
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "avr_chain.hpp"

namespace {

using powerstack::avr_sim::AvrChain;

struct Options {
  std::string pty;
  std::string elf = POWERSTACK_BALANCER_ELF;
  int modules = 4;
  std::vector<uint32_t> cell_mv = {3300};
  bool numbered = false;
  double seconds = 0;  // 0: until killed
};

[[noreturn]] void usage(const std::string& error) {
  (void)std::fprintf(stderr,
                     "balancer-chain-sim: %s\n"
                     "usage: balancer-chain-sim --pty PATH [--modules N] [--cell-mv MV[,MV...]] "
                     "[--numbered] [--elf FILE] [--seconds S]\n",
                     error.c_str());
  std::exit(2);
}

long number(const std::string& option, const std::string& text, long min, long max) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < min || v > max) {
    usage(option + " wants a whole number in " + std::to_string(min) + ".." + std::to_string(max) +
          ", got '" + text + "'");
  }
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage(a + " needs a value");
      }
      return argv[++i];
    };
    if (a == "--pty") {
      o.pty = value();
    } else if (a == "--elf") {
      o.elf = value();
    } else if (a == "--modules") {
      o.modules = static_cast<int>(number(a, value(), 1, 64));
    } else if (a == "--seconds") {
      o.seconds = static_cast<double>(number(a, value(), 1, 86400));
    } else if (a == "--numbered") {
      o.numbered = true;
    } else if (a == "--cell-mv") {
      o.cell_mv.clear();
      std::stringstream list(value());
      std::string item;
      while (std::getline(list, item, ',')) {
        o.cell_mv.push_back(static_cast<uint32_t>(number(a, item, 0, 4500)));
      }
    } else {
      usage("unknown argument '" + a + "'");
    }
  }
  if (o.pty.empty()) {
    usage("--pty PATH is required");
  }
  return o;
}

int open_raw(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    (void)std::fprintf(stderr, "balancer-chain-sim: cannot open %s: %s\n", path.c_str(),
                       std::strerror(errno));
    std::exit(1);
  }
  termios t{};
  if (::tcgetattr(fd, &t) == 0) {
    ::cfmakeraw(&t);
    ::cfsetispeed(&t, B4800);
    ::cfsetospeed(&t, B4800);
    ::tcsetattr(fd, TCSANOW, &t);
  }
  return fd;
}

int run(const Options& o) {
  std::vector<AvrChain::ModuleSetup> setups(static_cast<size_t>(o.modules));
  for (size_t i = 0; i < setups.size(); ++i) {
    setups[i].cell_mv = o.cell_mv[std::min(i, o.cell_mv.size() - 1)];
    if (o.numbered) {
      setups[i].eeprom[1] = static_cast<uint8_t>(i + 1);
    }
  }
  AvrChain chain(o.elf, setups);
  const int fd = open_raw(o.pty);
  (void)std::fprintf(stderr, "balancer-chain-sim: %d emulated modules on %s\n", o.modules,
                     o.pty.c_str());
  constexpr double kStepS = 0.005;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    std::array<uint8_t, 256> in{};
    const ssize_t n = ::read(fd, in.data(), in.size());
    if (n > 0) {
      chain.send(std::vector<uint8_t>(in.begin(), in.begin() + n));
    }
    chain.run_s(kStepS);
    for (const auto& b : chain.take_received()) {
      if (::write(fd, &b.value, 1) != 1) {
        (void)std::fprintf(stderr, "balancer-chain-sim: write to %s failed: %s\n", o.pty.c_str(),
                           std::strerror(errno));
      }
    }
    if (o.seconds > 0 && chain.now_s() >= o.seconds) {
      break;
    }
    // Pace the emulated time to the wall clock.
    const auto due = start + std::chrono::duration<double>(chain.now_s());
    std::this_thread::sleep_until(due);
  }
  ::close(fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  try {
    return run(o);
  } catch (const std::exception& e) {
    (void)std::fprintf(stderr, "balancer-chain-sim: %s\n", e.what());
    return 1;
  }
}
