// The "balancer" suite: the chain manager against simulated chains of the real module logic.
//   scan_ratio_16, scan_ratio_32: time of one voltage scan (QUA to every module, one at a
//     time as the seed's master does) over the wire-time bound of the same exchanges: the
//     command crosses p hops and the answer n - p + 1 hops, every byte 10 bits at 4800 baud
//     (store-and-forward: each module checks the CRC before passing a frame on). Goal <= 1.25.
//   balance_ratio: time until a pack at rest is balanced (true SOC spread <= 1 %) over the
//     bound max_k C_k (soc_k - soc_min - 1 %) / i_bleed_k, with i_bleed_k = v_k / (R4 + Rds)
//     at the cell's starting voltage (the largest bleed current it will see). Pack: 8 LiFePO4
//     cells of 100 Ah (3 % capacity spread, seed 7), SOC 95.2 .. 99.8 % in even steps
//     (spread 4.6 %), ADC noise 0.5 count. Goal <= 1.2.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "powerstack/app/bench_suites.hpp"
#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/response.hpp"
#include "powerstack/balancer_manager/chain_timing.hpp"
#include "sim/models/battery_chemistry.hpp"
#include "sim/systems/balancer_pack.hpp"
#include "sim/systems/managed_balancer_chain.hpp"

namespace powerstack::app {

namespace bal = powerstack::balancer;
namespace bm = powerstack::balancer_manager;

namespace {

constexpr double kCellMv = 3300.0;

// Frame bytes of the query to module `address` and of its answer at kCellMv.
std::pair<std::uint32_t, std::uint32_t> query_bytes(std::uint8_t address) {
  std::uint8_t payload[bal::kMaxPayload];
  bal::Command c;
  c.kind = bal::CommandKind::kQueryVoltage;
  c.target = address;
  const std::uint8_t command = bal::encode_command(c, payload, sizeof(payload));
  bal::Response r;
  r.kind = bal::ResponseKind::kVoltage;
  r.address = address;
  r.value = static_cast<std::int16_t>(kCellMv);
  const std::uint8_t response = bal::encode_response(r, payload, sizeof(payload));
  return {command + bal::kCrcBytes + 1U, response + bal::kCrcBytes + 1U};
}

nlohmann::json scan_row(std::uint8_t n) {
  bm::ManagerConfig c;
  c.modules = n;
  c.check_at_start = false;
  c.temperature_every = 0;
  c.scan_period_ms = 0;
  sim::ManagedBalancerChain chain(n, sim::ChainFaults{}, c, n);
  for (std::size_t k = 0; k < n; ++k) {
    chain.chain().set_stored_address(k, static_cast<std::uint8_t>(k + 1));
    chain.chain().set_cell_mv(k, kCellMv);
  }
  chain.start();
  while (chain.manager().stats().scans < 2U && chain.now_ms() < 600'000U) {
    chain.step();
  }
  double bound_us = 0.0;
  for (std::uint8_t p = 1; p <= n; ++p) {
    const auto [command, response] = query_bytes(p);
    bound_us += static_cast<double>(bm::wire_time_us(bm::exchange_bytes(p, n, command, response)));
  }
  const double measured_s = static_cast<double>(chain.manager().stats().last_scan_ms) / 1000.0;
  const double bound_s = bound_us / 1e6;
  return {{"metric", "scan_ratio_" + std::to_string(n)},
          {"value", measured_s / bound_s},
          {"measured_s", measured_s},
          {"bound_s", bound_s}};
}

nlohmann::json balance_row() {
  constexpr std::size_t kCells = 8;
  constexpr double kTolerance = 0.01;
  sim::BalancerPackConfig c;
  c.battery.n_cells = kCells;
  c.battery.cell =
      sim::typical_cell_params(sim::chemistry_profile(sim::Chemistry::kLiFePO4), 100.0);
  c.battery.spread.capacity_sigma_rel = 0.03;
  c.battery.seed = 7;
  for (std::size_t k = 0; k < kCells; ++k) {
    // Even steps, shuffled along the chain so that high and low cells alternate.
    const std::size_t rank = (k * 3U) % kCells;
    c.initial_soc.push_back(0.952 + 0.046 * static_cast<double>(rank) / (kCells - 1U));
  }
  c.chain.adc_noise_counts = 0.5;
  c.chain.seed = 8;
  c.manager.modules = kCells;
  c.manager.check_at_start = false;
  c.manager.balance = true;
  sim::BalancerPack pack(c);

  const double r_ohm = c.r_balance_ohm + c.r_switch_ohm;
  const double soc_min = *std::min_element(c.initial_soc.begin(), c.initial_soc.end());
  double bound_s = 0.0;
  for (std::size_t k = 0; k < kCells; ++k) {
    const double capacity_ah = pack.battery().cell(k).params().capacity_ah;
    const double excess_ah = capacity_ah * (c.initial_soc[k] - soc_min - kTolerance);
    const double i_a = pack.battery().cell_voltage_v(k, 0.0, c.t_c) / r_ohm;
    bound_s = std::max(bound_s, 3600.0 * excess_ah / i_a);
  }
  double t_s = 0.0;
  while (t_s < 3.0 * bound_s) {
    t_s += 5.0;
    pack.run_until(t_s);
    if (pack.battery().max_soc() - pack.battery().min_soc() <= kTolerance) {
      break;
    }
  }
  const bool balanced = pack.battery().max_soc() - pack.battery().min_soc() <= kTolerance;
  return {{"metric", "balance_ratio"},
          {"value", balanced ? t_s / bound_s : -1.0},
          {"measured_s", t_s},
          {"bound_s", bound_s},
          {"final_soc_spread", pack.battery().max_soc() - pack.battery().min_soc()}};
}

}  // namespace

nlohmann::json run_balancer_suite() {
  return nlohmann::json::array({scan_row(16), scan_row(32), balance_row()});
}

}  // namespace powerstack::app
