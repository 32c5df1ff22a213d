// Chains of balancer modules wired output to input, byte slot by byte slot at 4800 baud:
// address assignment (ZSMA) and address query (ZQMA) over the seed's 16 modules and past
// them, polling, commands for absent modules.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

#include "harness/check.hpp"
#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/frame_receiver.hpp"
#include "test_balancer_fakes.hpp"

namespace bal = powerstack::balancer;
using bal_test::bytes;
using bal_test::length;
using bal_test::Node;
using bal_test::slot_ms;

namespace {

constexpr int kMaxChain = 254;
Node g_nodes[kMaxChain];

// master -> node 0 -> node 1 -> ... -> node n-1 -> master. In each slot every sending
// module puts one byte on its output; a module receives its input byte only if it was
// listening for the whole slot (else the byte is lost and counted as a collision).
class Chain {
 public:
  explicit Chain(int n) : n_(n) {
    for (int i = 0; i < n_; ++i) {
      g_nodes[i].~Node();  // fresh modules with factory-erased EEPROM
      new (&g_nodes[i]) Node();
    }
  }
  void start() const {
    for (int i = 0; i < n_; ++i) {
      g_nodes[i].adc.cell_counts = static_cast<uint16_t>(800 + i);
      g_nodes[i].module.start(0);
    }
  }
  void send(const char* payload) {
    pending_ = bal::encode_frame(bytes(payload), length(payload), tx_, sizeof(tx_));
    sent_ = 0;
  }
  void step() {
    const uint32_t now = slot_ms(slot_);
    const int upstream = bal_test::step_chain(
        n_, [](int i) -> Node& { return g_nodes[i]; }, sent_ < pending_ ? tx_[sent_++] : -1, now,
        collisions);
    if (upstream >= 0 && rx_.push(static_cast<uint8_t>(upstream)) == bal::RxEvent::kFrame &&
        received < kMaxReceived) {
      std::memcpy(frames[received], rx_.payload(), rx_.payload_length());
      frames[received][rx_.payload_length()] = '\0';
      ++received;
    }
    ++slot_;
  }
  // Runs until nothing has moved for `quiet_ms`; returns the elapsed ms.
  uint32_t run_until_quiet(uint32_t quiet_ms, uint32_t limit_ms) {
    const uint32_t start = slot_ms(slot_);
    uint32_t last_activity = start;
    int seen = received;
    while (slot_ms(slot_) - last_activity < quiet_ms && slot_ms(slot_) - start < limit_ms) {
      step();
      bool busy = sent_ < pending_ || received != seen;
      for (int i = 0; i < n_ && !busy; ++i) {
        busy = g_nodes[i].module.link_state() == bal::LinkState::kSending ||
               g_nodes[i].module.link().queued_frames() != 0U;
      }
      seen = received;
      if (busy) {
        last_activity = slot_ms(slot_);
      }
    }
    return last_activity - start;
  }

  static constexpr int kMaxReceived = 260;
  char frames[kMaxReceived][bal::kMaxPayload + 1] = {};
  int received = 0;
  int collisions = 0;

 private:
  int n_;
  bal::FrameReceiver rx_;
  uint8_t tx_[bal::kMaxFrame] = {};
  uint8_t pending_ = 0;
  uint8_t sent_ = 0;
  uint32_t slot_ = 0;
};

bool is(const char* actual, const char* expected) {
  return std::strcmp(actual, expected) == 0;
}

// Text of a payload made of `prefix` and the address of module n.
const char* with_address(const char* prefix, int n, const char* suffix, char* buffer) {
  uint8_t a[2];
  const uint8_t used = bal::encode_address(static_cast<uint8_t>(n), a);
  const size_t p = std::strlen(prefix);
  std::strcpy(buffer, prefix);
  for (uint8_t i = 0; i < used; ++i) {
    buffer[p + i] = static_cast<char>(a[i]);
  }
  std::strcpy(buffer + p + used, suffix);
  return buffer;
}

// Assigns addresses to a chain of n fresh modules and checks every step.
bool assigns_addresses(int n) {
  Chain chain(n);
  chain.start();
  chain.send("ZSMA0");
  const uint32_t ms = chain.run_until_quiet(100, 60000);
  std::printf("  ZSMA over %d modules: %u ms\n", n, static_cast<unsigned>(ms));
  char expected[16];
  if (chain.received != 1 || chain.collisions != 0 ||
      !is(chain.frames[0], with_address("ZSMA", n, "", expected))) {
    return false;
  }
  for (int i = 0; i < n; ++i) {
    if (g_nodes[i].module.address() != i + 1 || g_nodes[i].eeprom[1] != i + 1) {
      return false;
    }
  }
  return true;
}

// After assignment, ZQMA returns (MA1 .. (MAn in chain order, then ZQMA itself.
bool reports_addresses(int n) {
  Chain chain(n);
  for (int i = 0; i < n; ++i) {
    g_nodes[i].eeprom[1] = static_cast<uint8_t>(i + 1);
  }
  chain.start();
  chain.send("ZQMA");
  const uint32_t ms = chain.run_until_quiet(100, 120000);
  std::printf("  ZQMA over %d modules: %u ms\n", n, static_cast<unsigned>(ms));
  if (chain.received != n + 1 || chain.collisions != 0 || !is(chain.frames[n], "ZQMA")) {
    return false;
  }
  char expected[16];
  for (int i = 0; i < n; ++i) {
    if (!is(chain.frames[i], with_address("(MA", i + 1, "", expected))) {
      return false;
    }
  }
  return true;
}

}  // namespace

PS_TEST(balancer_chain_assigns_the_seeds_16_addresses) {
  PS_CHECK(assigns_addresses(16));  // ... -> ZSMAF -> ZSMAG at the master
}

PS_TEST(balancer_chain_assigns_addresses_past_16) {
  PS_CHECK(assigns_addresses(34));  // the last single-character address, Y
  PS_CHECK(assigns_addresses(40));  // two-character addresses a0..a5
#ifdef PS_LONG_TESTS
  PS_CHECK(assigns_addresses(254));  // every address, v9 last
#endif
}

PS_TEST(balancer_chain_reports_addresses_in_order) {
  PS_CHECK(reports_addresses(16));
  PS_CHECK(reports_addresses(40));
}

PS_TEST(balancer_chain_stops_assigning_at_the_last_address) {
  // A chain one module longer than the address space: the last module keeps its address
  // and the master gets ZSMAv9 back, so it knows the chain is too long.
  Chain chain(2);
  chain.start();
  chain.send("ZSMAv8");
  chain.run_until_quiet(100, 5000);
  PS_CHECK(chain.received == 1 && is(chain.frames[0], "ZSMAv9"));
  PS_CHECK(g_nodes[0].module.address() == 254 && g_nodes[1].module.address() == 1);
}

PS_TEST(balancer_chain_polls_every_module) {
  const int n = 20;
  Chain chain(n);
  for (int i = 0; i < n; ++i) {
    g_nodes[i].eeprom[1] = static_cast<uint8_t>(i + 1);
  }
  chain.start();
  chain.run_until_quiet(10, 100);
  char command[16];
  char expected[24];
  for (int i = 0; i < n; ++i) {
    const int before = chain.received;
    chain.send(with_address("", i + 1, "QUA", command));
    chain.run_until_quiet(50, 2000);
    PS_CHECK(chain.received == before + 1);
    // 800 + i counts * 4 mV.
    char tail[12];
    static_cast<void>(std::snprintf(tail, sizeof(tail), "UA%4d 0", (800 + i) * 4));
    PS_CHECK(is(chain.frames[before], with_address("(", i + 1, tail, expected)));
  }
  // A command for a module that is not there comes back unchanged.
  chain.send("LQUA");
  chain.run_until_quiet(50, 2000);
  PS_CHECK(is(chain.frames[chain.received - 1], "LQUA"));
  // Dynamic balancing of one module only.
  chain.send("5SDB");
  chain.run_until_quiet(50, 2000);
  PS_CHECK(is(chain.frames[chain.received - 1], "(5SDBOK"));
  for (int i = 0; i < n; ++i) {
    PS_CHECK(g_nodes[i].balance_switch.on == (i == 4));
  }
  PS_CHECK(chain.collisions == 0);
}
