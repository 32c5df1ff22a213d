// BalancerPack: a LiFePO4 series string (sim/models/battery_string.hpp: N equivalent-circuit
// cells with seeded capacity and SOC spread) with one seed-001 balancer module per cell (the
// host build of the real module logic, sim/systems/balancer_chain.hpp, 4800-baud byte slots)
// and the chain manager (core/balancer_manager) on top.
//
// Coupling: every battery_step_s the modules' bleed switches set the bleed currents and the
// cells advance; each module's ADC reads its cell's terminal voltage (with the string current
// and its own bleed current) at the next measurement. A closed switch draws
//   i_bleed = v_cell / (r_balance_ohm + r_switch_ohm)
// from its cell: seed 001's R4 = 0.87 ohm (four 5 W resistors in parallel) and the two AO3420
// transistors in parallel, ~50 mV at 4 A (12.5 mOhm). The string current is i_charge_a until
// charge_until_s, then 0 (rest); the manager is told the pack mode from its sign, as a master
// reading the pack's shunt would be. Deterministic: every random source comes from the seeds.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "powerstack/balancer_manager/chain_manager.hpp"
#include "sim/models/battery_string.hpp"
#include "sim/systems/managed_balancer_chain.hpp"

namespace powerstack::sim {

struct BalancerPackConfig {
  StringParams battery;             // n_cells, nominal cell, initial SOC, spread, seed
  std::vector<double> initial_soc;  // per cell, replaces the string's drawn SOCs when given
  double r_balance_ohm = 0.87;
  double r_switch_ohm = 0.0125;
  double i_charge_a = 0.0;  // string current while charging (> 0 into the string)
  double charge_until_s = 0.0;
  double t_c = 25.0;
  double battery_step_s = 0.1;
  ChainFaults chain;  // ADC noise, line faults, seed
  balancer_manager::ManagerConfig manager;
};

class BalancerPack {
 public:
  explicit BalancerPack(const BalancerPackConfig& config);

  // Advances to t_s (whole byte slots).
  void run_until(double t_s);
  [[nodiscard]] double time_s() const;

  [[nodiscard]] const BatteryString& battery() const { return battery_; }
  [[nodiscard]] const ManagedBalancerChain& chain() const { return *chain_; }
  [[nodiscard]] bool balancing(std::size_t k) const { return chain_->chain().balancing(k); }
  // Charge each cell's balancer has drawn so far, Ah.
  [[nodiscard]] const std::vector<double>& bled_ah() const { return bled_ah_; }
  [[nodiscard]] double string_current_a() const;
  [[nodiscard]] double bleed_current_a(std::size_t k) const;

 private:
  void battery_step(double dt_s);
  void update_adcs();

  BalancerPackConfig config_;
  BatteryString battery_;
  std::unique_ptr<ManagedBalancerChain> chain_;
  std::vector<double> bleed_a_;
  std::vector<double> bled_ah_;
  double next_battery_s_ = 0.0;
  double last_battery_s_ = 0.0;
};

}  // namespace powerstack::sim
