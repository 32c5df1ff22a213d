#include "host_chain.hpp"

#include "test_balancer_fakes.hpp"

namespace powerstack::avr_sim {

namespace bal = powerstack::balancer;

struct HostChain::Node {
  bal_test::Node node;
};

HostChain::HostChain(const std::vector<AvrChain::ModuleSetup>& modules) {
  for (const auto& setup : modules) {
    auto n = std::make_unique<Node>();
    n->node.adc.cell_counts = emulated_adc_counts(setup.cell_mv / 2U, kAdcReferenceMv);
    n->node.adc.temperature_counts =
        emulated_adc_counts(setup.temperature_mv, kInternalReferenceMv);
    for (size_t a = 0; a < setup.eeprom.size(); ++a) {
      n->node.eeprom[static_cast<uint16_t>(a)] = setup.eeprom[a];
    }
    n->node.module.start(0);
    nodes_.push_back(std::move(n));
  }
}

HostChain::~HostChain() = default;

void HostChain::step() {
  int collisions = 0;  // lost bytes, as on the emulated line; not reported
  const int out = bal_test::step_chain(
      static_cast<int>(nodes_.size()),
      [this](int i) -> bal_test::Node& { return nodes_[static_cast<size_t>(i)]->node; },
      sent_ < pending_.size() ? pending_[sent_++] : -1, bal_test::slot_ms(slot_), collisions);
  if (out >= 0) {
    out_.push_back(static_cast<uint8_t>(out));
  }
  ++slot_;
}

void HostChain::run_ms(uint32_t ms) {
  const uint32_t end = bal_test::slot_ms(slot_) + ms;
  while (bal_test::slot_ms(slot_) < end) {
    step();
  }
}

std::vector<uint8_t> HostChain::exchange(const std::vector<uint8_t>& bytes, uint32_t quiet_ms) {
  pending_ = bytes;
  sent_ = 0;
  out_.clear();
  uint32_t last_activity = bal_test::slot_ms(slot_);
  size_t seen = 0;
  while (bal_test::slot_ms(slot_) - last_activity < quiet_ms) {
    step();
    bool busy = sent_ < pending_.size() || out_.size() != seen;
    for (const auto& n : nodes_) {
      busy = busy || n->node.module.link_state() == bal::LinkState::kSending ||
             n->node.module.link().queued_frames() != 0U;
    }
    seen = out_.size();
    if (busy) {
      last_activity = bal_test::slot_ms(slot_);
    }
  }
  return out_;
}

bool HostChain::balancing(int module) const {
  return nodes_.at(module)->node.module.balancing();
}

}  // namespace powerstack::avr_sim
