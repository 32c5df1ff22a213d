// ManagedBalancerChain: the chain manager (core/balancer_manager) on top of a simulated
// chain (balancer_chain.hpp), stepped together one 4800-baud byte slot at a time, in
// simulated time. The manager ticks once a slot, so its deadlines resolve to 2.08 ms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "powerstack/balancer_manager/chain_manager.hpp"
#include "sim/systems/balancer_chain.hpp"

namespace powerstack::sim {

class ManagedBalancerChain {
 public:
  // `table_cells`: the manager's table size (the longest chain it may find).
  ManagedBalancerChain(std::size_t modules, const ChainFaults& faults,
                       const balancer_manager::ManagerConfig& config, std::size_t table_cells);

  BalancerChain& chain() { return chain_; }
  balancer_manager::ChainManager& manager() { return manager_; }
  [[nodiscard]] const balancer_manager::ChainManager& manager() const { return manager_; }

  // Powers the modules up at the present time (call once, after setting up the chain).
  void start() { chain_.start(now_ms()); }
  // Advances one byte slot.
  void step();
  // Advances whole slots until now_ms() >= t_ms.
  void run_until(std::uint32_t t_ms);
  [[nodiscard]] std::uint32_t now_ms() const { return chain_slot_ms(slot_); }

 private:
  BalancerChain chain_;
  ChainLink link_;
  std::vector<balancer_manager::CellRecord> table_;
  balancer_manager::ChainManager manager_;
  std::uint64_t slot_ = 0;
};

}  // namespace powerstack::sim
