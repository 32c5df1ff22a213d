// `powerstack balancer`: the seed-001 cell-balancer chain.
//   powerstack balancer --port DEV [--cells N] [--assign] [--scan]       one scan, the table
//   powerstack balancer --port DEV --policy charge|rest [--duration S]   run the balance policy
//   powerstack balancer frame 1QUA                                       a frame's bytes in hex
//   powerstack balancer sim-chain --port PTY --cells N ...               a simulated chain
// The manager is core/balancer_manager; docs/balancer-manager.md.
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "powerstack/app/balancer_cli.hpp"
#include "powerstack/app/command.hpp"
#include "powerstack/app/serial_device.hpp"
#include "powerstack/balancer/address.hpp"

namespace powerstack::app {

namespace bm = powerstack::balancer_manager;

// cmd_balancer_sim_chain.cpp
CLI::App* add_sim_chain_subcommand(CLI::App& balancer, CommandIo io, CommandRunner& run);

namespace {

struct PortArgs {
  std::string port;
  int cells = 0;
  bool scan = false;
  bool assign = false;
  std::string policy;
  double duration_s = 60.0;
  double timeout_s = 120.0;
  int margin_ms = 100;
  int threshold_mv = 10;
  int release_mv = 4;
  int max_cells = 0;
  std::string json_path;
  std::string frame_text;
};

std::uint32_t elapsed_ms(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
}

// Ticks the manager until `done` or `limit_ms`; false on an I/O error (reported on err).
template <typename Done>
bool run_manager(bm::ChainManager& m, SerialDevice& dev,
                 std::chrono::steady_clock::time_point start, std::uint32_t limit_ms,
                 const Done& done, const std::string& port, std::ostream& err) {
  while (!done() && elapsed_ms(start) < limit_ms) {
    m.tick(elapsed_ms(start));
    if (!dev.io_error().empty() || !dev.wait(2)) {
      err << "powerstack balancer: I/O error on '" << port << "': " << dev.io_error() << '\n';
      return false;
    }
  }
  return true;
}

int cmd_frame(const PortArgs& a, CommandIo io) {
  std::string hex;
  std::string error;
  if (!balancer_frame_hex(a.frame_text, hex, error)) {
    io.err << "powerstack balancer frame: " << error << '\n';
    return 1;
  }
  io.out << hex << '\n';
  return 0;
}

int cmd_port(const PortArgs& a, CommandIo io) {
  if (a.port.empty()) {
    io.err << "powerstack balancer: give --port DEV (or a subcommand: frame, sim-chain)\n";
    return 2;
  }
  if (a.release_mv >= a.threshold_mv) {
    io.err << "powerstack balancer: --release-mv must be below --threshold-mv\n";
    return 2;
  }
  SerialDevice dev;
  std::string error;
  if (!dev.open(a.port, error)) {
    io.err << "powerstack balancer: " << error << '\n';
    return 1;
  }
  bm::ManagerConfig c;
  c.modules = static_cast<std::uint8_t>(a.cells);
  c.assign_at_start = a.assign;
  c.margin_ms = static_cast<std::uint16_t>(a.margin_ms);
  c.balance = !a.policy.empty();
  c.policy.threshold_mv = static_cast<std::uint16_t>(a.threshold_mv);
  c.policy.release_mv = static_cast<std::uint16_t>(a.release_mv);
  c.policy.max_cells = static_cast<std::uint8_t>(a.max_cells);
  std::vector<bm::CellRecord> table(a.cells != 0 ? static_cast<std::size_t>(a.cells)
                                                 : balancer::kMaxModules);
  bm::ChainManager m(dev, table, c);
  m.set_pack_mode(a.policy == "charge" ? bm::PackMode::kCharge : bm::PackMode::kRest);

  const auto start = std::chrono::steady_clock::now();
  const auto timeout_ms = static_cast<std::uint32_t>(a.timeout_s * 1000.0);
  bool ok = true;
  if (c.balance) {
    const auto run_ms = static_cast<std::uint32_t>(a.duration_s * 1000.0);
    ok = run_manager(
        m, dev, start, run_ms, [] { return false; }, a.port, io.err);
    // Hand the cells back: end the dynamic balancing this run started (the modules would
    // end it themselves within 60 s).
    m.set_balancing(false);
    const std::uint32_t scans = m.stats().scans;
    ok = ok && run_manager(
                   m, dev, start, elapsed_ms(start) + timeout_ms,
                   [&] { return m.stats().scans > scans; }, a.port, io.err);
  } else {
    ok = run_manager(
        m, dev, start, timeout_ms, [&] { return m.stats().scans >= 1U; }, a.port, io.err);
  }
  const std::uint32_t now = elapsed_ms(start);
  io.out << format_pack_table(m, now);
  if (!a.json_path.empty() && !write_json_file(a.json_path, pack_table_json(m, now), io.err)) {
    return 1;
  }
  if (!ok) {
    return 1;
  }
  bool any = false;
  for (const bm::CellRecord& r : m.cells()) {
    any = any || r.status == bm::CellStatus::kOk;
  }
  if (!any) {
    io.err << "powerstack balancer: no module answered on '" << a.port << "' (timeout after "
           << now / 1000U << " s)\n";
    return 1;
  }
  return 0;
}

}  // namespace

Command add_balancer_command(CLI::App& app, CommandIo io) {
  auto a = std::make_shared<PortArgs>();
  auto* sub = app.add_subcommand(
      "balancer", "Seed-001 cell balancer chain: read the pack, run the balance policy, frames");
  sub->require_subcommand(0, 1);
  sub->add_option("--port", a->port, "Serial device of the chain (4800 8N1 raw)");
  sub->add_option("--cells", a->cells, "Modules in the chain (default: ask the chain, ZQMA)")
      ->check(CLI::Range(1, 254));
  sub->add_flag("--scan", a->scan, "Read every cell once and print the pack table (the default)");
  sub->add_flag("--assign", a->assign,
                "Assign addresses first (ZSMA0: stores new addresses in the modules)");
  sub->add_option("--policy", a->policy,
                  "Run the balance policy for --duration with the pack charging or at rest")
      ->check(CLI::IsMember({"charge", "rest"}));
  sub->add_option("--duration", a->duration_s, "Seconds to run the policy (default 60)")
      ->check(CLI::Range(0.0, 1e6));
  sub->add_option("--timeout", a->timeout_s, "Seconds before a scan gives up (default 120)")
      ->check(CLI::Range(1.0, 1e5));
  sub->add_option("--margin-ms", a->margin_ms,
                  "Added to every answer deadline for port latency (default 100)")
      ->check(CLI::Range(0, 10000));
  sub->add_option("--threshold-mv", a->threshold_mv, "Bleed cells above lowest + this (10)")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--release-mv", a->release_mv, "Stop bleeding within lowest + this (4)")
      ->check(CLI::Range(0, 999));
  sub->add_option("--max-cells", a->max_cells, "At most this many cells bleed at once (0: all)")
      ->check(CLI::Range(0, 254));
  sub->add_option("--json", a->json_path, "Also write the pack table as JSON to this file");

  auto* frame = sub->add_subcommand("frame", "Print a frame's bytes in hex (payload, CRC, CR)");
  frame->add_option("text", a->frame_text, "Payload as typed, e.g. 1QUA or ZSMA0")->required();

  auto sim_run = std::make_shared<CommandRunner>();
  auto* sim = add_sim_chain_subcommand(*sub, io, *sim_run);

  return {sub, [a, io, frame, sim, sim_run] {
            if (frame->parsed()) {
              return cmd_frame(*a, io);
            }
            if (sim->parsed()) {
              return (*sim_run)();
            }
            return cmd_port(*a, io);
          }};
}

}  // namespace powerstack::app
