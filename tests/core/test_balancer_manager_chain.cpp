// The chain manager against real module logic (BalancerModule, fake hardware) wired output
// to input, one byte slot (2.083 ms at 4800 baud) at a time: assignment, scans, balancing.
#include <new>

#include "harness/check.hpp"
#include "powerstack/balancer_manager/chain_manager.hpp"
#include "test_balancer_fakes.hpp"

namespace bal = powerstack::balancer;
namespace bm = powerstack::balancer_manager;
using bal_test::Node;
using bal_test::slot_ms;

namespace {

constexpr int kMaxNodes = 20;
Node g_chain[kMaxNodes];

// master -> node 0 -> ... -> node n-1 -> master, seen by the manager as a ChainPort.
class WiredChain final : public bm::ChainPort {
 public:
  explicit WiredChain(int n) : n_(n) {
    for (int i = 0; i < n_; ++i) {
      g_chain[i].~Node();
      new (&g_chain[i]) Node();
      g_chain[i].adc.cell_counts = static_cast<uint16_t>(810 + i);
    }
  }
  // Powers the modules up (after the test has set their EEPROM and cells).
  void start() const {
    for (int i = 0; i < n_; ++i) {
      g_chain[i].module.start(0);
    }
  }
  std::size_t write(std::span<const std::uint8_t> data) override {
    std::size_t n = 0;
    while (n < data.size() && tx_len_ < sizeof(tx_)) {
      tx_[tx_len_++] = data[n++];
    }
    return n;
  }
  std::size_t read(std::span<std::uint8_t> out) override {
    std::size_t n = 0;
    while (n < out.size() && rx_pos_ < rx_len_) {
      out[n++] = rx_[rx_pos_++];
    }
    if (rx_pos_ == rx_len_) {
      rx_pos_ = rx_len_ = 0;
    }
    return n;
  }
  // One byte slot: the master's next byte enters node 0, every node passes its byte on.
  void step() {
    const std::uint32_t now = slot_ms(slot_++);
    int upstream = tx_pos_ < tx_len_ ? tx_[tx_pos_++] : -1;
    if (tx_pos_ == tx_len_) {
      tx_pos_ = tx_len_ = 0;
    }
    for (int i = 0; i < n_; ++i) {
      bal::BalancerModule& m = g_chain[i].module;
      m.tick(now);
      int out = -1;
      std::uint8_t byte = 0;
      const bool sending = m.link_state() == bal::LinkState::kSending;
      if (sending && m.next_tx_byte(byte, now)) {
        out = byte;
      }
      if (upstream >= 0 && !sending) {
        m.receive_byte(static_cast<std::uint8_t>(upstream), now);
      }
      upstream = out;
    }
    if (upstream >= 0 && rx_len_ < sizeof(rx_)) {
      rx_[rx_len_++] = static_cast<std::uint8_t>(upstream);
    }
  }
  std::uint32_t now_ms() const { return slot_ms(slot_); }

 private:
  int n_;
  std::uint32_t slot_ = 0;
  std::uint8_t tx_[256] = {};
  std::size_t tx_len_ = 0;
  std::size_t tx_pos_ = 0;
  std::uint8_t rx_[256] = {};
  std::size_t rx_len_ = 0;
  std::size_t rx_pos_ = 0;
};

void run_for(WiredChain& chain, bm::ChainManager& m, std::uint32_t ms) {
  const std::uint32_t end = chain.now_ms() + ms;
  while (chain.now_ms() < end) {
    m.tick(chain.now_ms());
    chain.step();
  }
}

}  // namespace

PS_TEST(balancer_manager_assigns_and_scans_a_16_module_chain) {
  WiredChain chain(16);  // fresh modules: every one answers to address 1
  chain.start();
  bm::CellRecord table[kMaxNodes];
  bm::ManagerConfig c;
  c.assign_at_start = true;
  c.temperature_every = 1;
  bm::ChainManager m(chain, table, c);
  // ZSMA + ZQMA (~1 s), then a scan of voltages and temperatures: each exchange is
  // store-and-forward over the whole chain, about 5.7 s per 16 queries.
  run_for(chain, m, 14000);
  PS_CHECK(m.modules() == 16U && !m.health().duplicate_addresses && !m.health().silent);
  PS_CHECK(m.stats().scans >= 1U && m.stats().timeouts == 0U && m.stats().line_errors == 0U);
  for (int i = 0; i < 16; ++i) {
    PS_CHECK(g_chain[i].module.address() == i + 1);
    PS_CHECK(table[i].status == bm::CellStatus::kOk);
    PS_CHECK(table[i].cell_mv == (810 + i) * 4);  // 4 mV a count
    PS_CHECK(table[i].temperature_k == 300);
  }
}

PS_TEST(balancer_manager_finds_unassigned_modules_and_reassigns) {
  WiredChain chain(5);  // all at address 1: ZQMA reports 1, 1, 1, 1, 1
  chain.start();
  bm::CellRecord table[kMaxNodes];
  bm::ManagerConfig c;
  c.assign_on_conflict = true;
  bm::ChainManager m(chain, table, c);
  run_for(chain, m, 2500);
  PS_CHECK(m.modules() == 5U && m.stats().scans >= 1U);
  for (int i = 0; i < 5; ++i) {
    PS_CHECK(g_chain[i].module.address() == i + 1 && table[i].status == bm::CellStatus::kOk);
  }
}

PS_TEST(balancer_manager_balances_the_highest_cells_of_a_real_chain) {
  WiredChain chain(6);
  for (int i = 0; i < 6; ++i) {
    g_chain[i].eeprom[1] = static_cast<std::uint8_t>(i + 1);
    g_chain[i].adc.cell_counts = 820;  // 3280 mV
  }
  g_chain[2].adc.cell_counts = 830;  // 3320 mV: 40 mV above
  g_chain[4].adc.cell_counts = 826;  // 3304 mV: 24 mV above
  chain.start();
  bm::CellRecord table[kMaxNodes];
  bm::ManagerConfig c;
  c.modules = 6;
  c.balance = true;
  bm::ChainManager m(chain, table, c);
  m.set_pack_mode(bm::PackMode::kRest);
  run_for(chain, m, 6000);
  for (int i = 0; i < 6; ++i) {
    const bool high = i == 2 || i == 4;
    PS_CHECK(g_chain[i].module.dynamic_balancing() == high && table[i].dynamic_requested == high);
  }
  // The bled cells come down: the manager ends dynamic balancing.
  g_chain[2].adc.cell_counts = 820;
  g_chain[4].adc.cell_counts = 820;
  run_for(chain, m, 8000);
  for (int i = 0; i < 6; ++i) {
    PS_CHECK(!g_chain[i].module.dynamic_balancing() && !table[i].dynamic_requested);
  }
}
