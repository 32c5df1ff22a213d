#include "sim/systems/balancer_pack.hpp"

#include "sim/models/battery_chemistry.hpp"

namespace powerstack::sim {

namespace bm = powerstack::balancer_manager;

BalancerPack::BalancerPack(const BalancerPackConfig& config)
    : config_(config),
      battery_(chemistry_profile(Chemistry::kLiFePO4), config.battery),
      chain_(std::make_unique<ManagedBalancerChain>(config.battery.n_cells, config.chain,
                                                    config.manager, config.battery.n_cells)),
      bleed_a_(config.battery.n_cells, 0.0),
      bled_ah_(config.battery.n_cells, 0.0) {
  for (std::size_t k = 0; k < battery_.size(); ++k) {
    chain_->chain().set_stored_address(k, static_cast<std::uint8_t>(k + 1));
    if (k < config_.initial_soc.size()) {
      battery_.cell(k).reset(config_.initial_soc[k]);
    }
  }
  update_adcs();
  chain_->start();
  next_battery_s_ = config_.battery_step_s;
}

double BalancerPack::time_s() const {
  return static_cast<double>(chain_->now_ms()) / 1000.0;
}

double BalancerPack::string_current_a() const {
  return time_s() < config_.charge_until_s ? config_.i_charge_a : 0.0;
}

double BalancerPack::bleed_current_a(std::size_t k) const {
  return bleed_a_.at(k);
}

void BalancerPack::run_until(double t_s) {
  while (time_s() < t_s) {
    const double i = string_current_a();
    chain_->manager().set_pack_mode(i > 0.0   ? bm::PackMode::kCharge
                                    : i < 0.0 ? bm::PackMode::kDischarge
                                              : bm::PackMode::kRest);
    chain_->step();
    if (time_s() >= next_battery_s_) {
      battery_step(time_s() - last_battery_s_);
      last_battery_s_ = time_s();
      next_battery_s_ += config_.battery_step_s;
    }
  }
}

void BalancerPack::battery_step(double dt_s) {
  const double i = string_current_a();
  const double r_ohm = config_.r_balance_ohm + config_.r_switch_ohm;
  for (std::size_t k = 0; k < battery_.size(); ++k) {
    // The bleed current follows the cell voltage it sees (with the string current flowing).
    bleed_a_[k] =
        balancing(k) ? battery_.cell_voltage_v(k, i, config_.t_c, bleed_a_[k]) / r_ohm : 0.0;
  }
  battery_.step(i, dt_s, config_.t_c, bleed_a_);
  for (std::size_t k = 0; k < battery_.size(); ++k) {
    bled_ah_[k] += bleed_a_[k] * dt_s / 3600.0;
  }
  update_adcs();
}

void BalancerPack::update_adcs() {
  const double i = string_current_a();
  for (std::size_t k = 0; k < battery_.size(); ++k) {
    chain_->chain().set_cell_mv(k,
                                1000.0 * battery_.cell_voltage_v(k, i, config_.t_c, bleed_a_[k]));
  }
}

}  // namespace powerstack::sim
