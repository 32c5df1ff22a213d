#include "sim/systems/managed_balancer_chain.hpp"

namespace powerstack::sim {

ManagedBalancerChain::ManagedBalancerChain(std::size_t modules, const ChainFaults& faults,
                                           const balancer_manager::ManagerConfig& config,
                                           std::size_t table_cells)
    : chain_(modules, faults), table_(table_cells), manager_(link_, table_, config) {}

void ManagedBalancerChain::step() {
  const std::uint32_t now = now_ms();
  manager_.tick(now);
  link_.deliver(chain_.step(now, link_.next_byte()));
  ++slot_;
}

void ManagedBalancerChain::run_until(std::uint32_t t_ms) {
  while (now_ms() < t_ms) {
    step();
  }
}

}  // namespace powerstack::sim
