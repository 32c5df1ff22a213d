// `powerstack balancer sim-chain --port PTY --cells N ...`: N simulated balancer modules
// (the host build of the real module logic, sim/systems/balancer_chain.hpp) behind a serial
// device, in real time at 4800 baud: one byte slot every 2.083 ms. Put it on one end of a pty
// pair (socat) and `powerstack balancer --port` on the other to try the manager without
// hardware. Stops after --duration or on SIGINT/SIGTERM.
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <deque>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "powerstack/app/command.hpp"
#include "powerstack/app/serial_device.hpp"
#include "sim/engine/random.hpp"
#include "sim/systems/balancer_chain.hpp"

namespace powerstack::app {

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int /*signal*/) {
  g_stop = 1;
}

struct SimChainArgs {
  std::string port;
  int cells = 8;
  std::vector<double> mv{3300.0};
  double spread_mv = 0.0;
  std::uint64_t seed = 1;
  double duration_s = 60.0;
  bool unassigned = false;
  double bit_error_rate = 0.0;
  int mute = 0;
};

int run_sim_chain(const SimChainArgs& a, CommandIo io) {
  for (double v : a.mv) {
    if (!(v >= 2000.0 && v <= 4092.0)) {
      io.err << fmt::format("powerstack balancer sim-chain: --mv {} is outside 2000..4092 mV\n", v);
      return 1;
    }
  }
  if (a.mute > a.cells) {
    io.err << "powerstack balancer sim-chain: --mute names a module past --cells\n";
    return 1;
  }
  SerialDevice dev;
  std::string error;
  if (!dev.open(a.port, error)) {
    io.err << "powerstack balancer sim-chain: " << error << '\n';
    return 1;
  }
  sim::ChainFaults faults;
  faults.bit_error_rate = a.bit_error_rate;
  faults.mute_module = a.mute - 1;
  faults.seed = a.seed;
  sim::BalancerChain chain(static_cast<std::size_t>(a.cells), faults);
  sim::SimRandom spread(a.seed);
  for (int k = 0; k < a.cells; ++k) {
    const double base = a.mv[std::min(static_cast<std::size_t>(k), a.mv.size() - 1U)];
    chain.set_cell_mv(static_cast<std::size_t>(k), base + a.spread_mv * spread.uniform());
    if (!a.unassigned) {
      chain.set_stored_address(static_cast<std::size_t>(k), static_cast<std::uint8_t>(k + 1));
    }
  }
  chain.start(0);

  g_stop = 0;
  const auto previous_int = std::signal(SIGINT, on_stop_signal);
  const auto previous_term = std::signal(SIGTERM, on_stop_signal);
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const auto end =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.duration_s));
  std::deque<std::uint8_t> inbox;
  std::uint64_t slot = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  int code = 0;
  while (g_stop == 0 && Clock::now() < end) {
    std::this_thread::sleep_until(t0 + std::chrono::nanoseconds(slot * 2'083'333U));
    std::uint8_t buffer[256];
    const std::size_t n = dev.read(buffer);
    inbox.insert(inbox.end(), buffer, buffer + n);
    bytes_in += n;
    int in = -1;
    if (!inbox.empty()) {
      in = inbox.front();
      inbox.pop_front();
    }
    const int out = chain.step(sim::chain_slot_ms(slot), in);
    if (out >= 0) {
      const auto b = static_cast<std::uint8_t>(out);
      dev.write(std::span<const std::uint8_t>(&b, 1));
      ++bytes_out;
    }
    if (!dev.io_error().empty()) {
      io.err << "powerstack balancer sim-chain: I/O error on '" << a.port << "': " << dev.io_error()
             << '\n';
      code = 1;
      break;
    }
    ++slot;
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  std::string balancing;
  for (std::size_t k = 0; k < chain.size(); ++k) {
    balancing += chain.balancing(k) ? fmt::format(" {}", k + 1) : "";
  }
  io.out << fmt::format(
      "sim-chain: {} modules on '{}', {:.1f} s simulated, {} bytes in, {} bytes out, "
      "balancing at the end:{}\n",
      a.cells, a.port, static_cast<double>(sim::chain_slot_ms(slot)) / 1000.0, bytes_in, bytes_out,
      balancing.empty() ? " none" : balancing);
  return code;
}

}  // namespace

CLI::App* add_sim_chain_subcommand(CLI::App& balancer, CommandIo io, CommandRunner& run) {
  auto a = std::make_shared<SimChainArgs>();
  auto* sub = balancer.add_subcommand(
      "sim-chain",
      "Simulated chain of balancer modules on a serial device (e.g. a pty), 4800 baud");
  sub->add_option("--port", a->port, "Serial device (one end of a pty pair)")->required();
  sub->add_option("--cells", a->cells, "Modules in the chain (8)")->check(CLI::Range(1, 254));
  sub->add_option("--mv", a->mv, "Cell voltages in mV, comma separated; the last repeats (3300)")
      ->delimiter(',');
  sub->add_option("--spread-mv", a->spread_mv, "Add a seeded uniform 0..X mV to each cell (0)")
      ->check(CLI::Range(0.0, 500.0));
  sub->add_option("--seed", a->seed, "Seed of the spread and the line errors (1)");
  sub->add_option("--duration", a->duration_s, "Seconds to run (60)")->check(CLI::Range(0.0, 1e6));
  sub->add_flag("--unassigned", a->unassigned, "Modules start factory-erased (all address 1)");
  sub->add_option("--bit-error-rate", a->bit_error_rate, "Per data bit per hop (0)")
      ->check(CLI::Range(0.0, 0.5));
  sub->add_option("--mute", a->mute, "Module (1-based) whose answers are lost (0: none)")
      ->check(CLI::Range(0, 254));
  run = [a, io] { return run_sim_chain(*a, io); };
  return sub;
}

}  // namespace powerstack::app
