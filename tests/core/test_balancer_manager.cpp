// The chain manager against a scripted port: what it sends, how it waits, retries, gives up,
// and what it refuses to believe (chain_manager.hpp).
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/response.hpp"
#include "powerstack/balancer_manager/chain_manager.hpp"
#include "test_balancer_fakes.hpp"

namespace bal = powerstack::balancer;
namespace bm = powerstack::balancer_manager;
using bal_test::bytes;
using bal_test::length;

namespace {

// Records every frame written; hands out bytes the test queued.
class ScriptedPort final : public bm::ChainPort {
 public:
  std::size_t write(std::span<const std::uint8_t> data) override {
    for (std::uint8_t b : data) {
      if (tx_len < sizeof(tx)) {
        tx[tx_len++] = b;
      }
    }
    if (!data.empty() && data.back() == bal::kCr) {
      ++frames_written;
    }
    return data.size();
  }
  std::size_t read(std::span<std::uint8_t> out) override {
    if (babble) {  // a line that never runs dry
      for (std::uint8_t& b : out) {
        b = 'x';
      }
      return out.size();
    }
    std::size_t n = 0;
    while (n < out.size() && rx_pos < rx_len) {
      out[n++] = rx[rx_pos++];
    }
    return n;
  }
  void answer(const char* payload) {
    rx_len += bal::encode_frame(bytes(payload), length(payload), rx + rx_len, bal::kMaxFrame);
  }
  void answer_raw(const std::uint8_t* data, std::size_t n) {
    std::memcpy(rx + rx_len, data, n);
    rx_len += n;
  }
  // The payload of the last frame written, as text.
  bool last_sent_is(const char* payload) const {
    std::uint8_t frame[bal::kMaxFrame];
    const std::uint8_t n = bal::encode_frame(bytes(payload), length(payload), frame, sizeof(frame));
    return tx_len >= n && std::memcmp(tx + tx_len - n, frame, n) == 0;
  }
  std::uint8_t tx[4096] = {};
  std::size_t tx_len = 0;
  int frames_written = 0;
  std::uint8_t rx[1024 + bal::kMaxFrame] = {};
  std::size_t rx_len = 0;
  std::size_t rx_pos = 0;
  bool babble = false;
};

bm::ManagerConfig two_cells() {
  bm::ManagerConfig c;
  c.modules = 2;
  c.check_at_start = false;
  c.temperature_every = 0;
  return c;
}

// Ticks every ms from `from` to `to` (inclusive of from, exclusive of to).
void run(bm::ChainManager& m, std::uint32_t from, std::uint32_t to) {
  for (std::uint32_t t = from; t < to; ++t) {
    m.tick(t);
  }
}

// A scan of two cells starting at t_ms, answered at once; returns the time of its last tick.
std::uint32_t answer_scan(bm::ChainManager& m, ScriptedPort& port, std::uint32_t t_ms,
                          const char* first, const char* second) {
  m.tick(t_ms);
  port.answer(first);
  m.tick(++t_ms);
  port.answer(second);
  m.tick(++t_ms);
  return t_ms;
}

}  // namespace

PS_TEST(balancer_manager_polls_and_fills_the_table) {
  ScriptedPort port;
  bm::CellRecord table[4];
  bm::ChainManager m(port, table, two_cells());
  m.tick(0);
  PS_CHECK(port.last_sent_is("1QUA") && port.frames_written == 1);
  port.answer("(1UA3239 0");
  m.tick(5);
  PS_CHECK(port.last_sent_is("2QUA"));
  port.answer("(2UA3301 1");
  m.tick(10);
  PS_CHECK(m.cells().size() == 2U && m.stats().scans == 1U);
  PS_CHECK(table[0].cell_mv == 3239 && !table[0].balancing &&
           table[0].status == bm::CellStatus::kOk);
  PS_CHECK(table[1].cell_mv == 3301 && table[1].balancing && table[1].last_seen_ms == 10U);
  // The next scan starts one period after the first.
  run(m, 11, 1000);
  PS_CHECK(port.frames_written == 2);
  m.tick(1000);
  PS_CHECK(port.frames_written == 3 && port.last_sent_is("1QUA"));
}

PS_TEST(balancer_manager_retries_twice_then_moves_on) {
  ScriptedPort port;
  bm::CellRecord table[2];
  bm::ChainManager m(port, table, two_cells());
  run(m, 0, 2000);  // module 1 never answers; module 2 neither
  // 3 tries of 1QUA, then 3 of 2QUA, then the next scan at 1000 ms.
  PS_CHECK(m.stats().timeouts >= 6U && m.stats().retries >= 4U);
  PS_CHECK(table[0].timeouts >= 3U && table[0].failures >= 1U);
  PS_CHECK(table[0].status == bm::CellStatus::kMissing);  // never seen
  PS_CHECK(m.health().silent);
  PS_CHECK(m.stats().scans >= 1U);
  const std::uint32_t first_scan_tries = 6;
  PS_CHECK(static_cast<std::uint32_t>(port.frames_written) >= first_scan_tries);
}

PS_TEST(balancer_manager_marks_a_cell_silent_after_it_was_seen) {
  ScriptedPort port;
  bm::CellRecord table[2];
  bm::ChainManager m(port, table, two_cells());
  m.tick(0);
  port.answer("(1UA3239 0");
  m.tick(1);
  port.answer("(2UA3240 0");
  m.tick(2);
  run(m, 3, 1900);  // second scan: nobody answers
  PS_CHECK(table[0].status == bm::CellStatus::kSilent && table[0].cell_mv == 3239);
  PS_CHECK(table[0].failures == 1U && table[0].timeouts == 3U);
}

PS_TEST(balancer_manager_ignores_corrupted_and_foreign_answers) {
  ScriptedPort port;
  bm::CellRecord table[2];
  bm::ChainManager m(port, table, two_cells());
  m.tick(0);
  // A bit flip in the voltage: the CRC no longer matches.
  std::uint8_t frame[bal::kMaxFrame];
  const std::uint8_t n = bal::encode_frame(bytes("(1UA3239 0"), 10, frame, sizeof(frame));
  frame[5] ^= 0x04U;  // '3' -> '7'
  port.answer_raw(frame, n);
  port.answer("(2UA3100 0");  // valid, but from a module not asked
  port.answer("(1TA298");     // valid, from the right module, but not an answer to QUA
  m.tick(1);
  PS_CHECK(table[0].status == bm::CellStatus::kUnknown && table[0].cell_mv == 0);
  PS_CHECK(m.stats().line_errors == 1U && m.stats().stray_frames == 2U);
  PS_CHECK(table[0].line_errors == 1U);
  PS_CHECK(port.frames_written == 1);  // still waiting for module 1
}

PS_TEST(balancer_manager_learns_absence_from_a_returned_command) {
  ScriptedPort port;
  bm::CellRecord table[2];
  bm::ChainManager m(port, table, two_cells());
  m.tick(0);
  port.answer("1QUA");  // nobody took it
  m.tick(1);
  PS_CHECK(table[0].status == bm::CellStatus::kMissing && m.stats().retries == 0U);
  PS_CHECK(port.last_sent_is("2QUA"));
}

PS_TEST(balancer_manager_counts_a_nak_without_retrying) {
  ScriptedPort port;
  bm::CellRecord table[2];
  bm::ChainManager m(port, table, two_cells());
  m.tick(0);
  port.answer("(1NAK");
  m.tick(1);
  PS_CHECK(table[0].naks == 1U && m.stats().retries == 0U && port.last_sent_is("2QUA"));
}

PS_TEST(balancer_manager_learns_the_chain_and_flags_duplicates) {
  ScriptedPort port;
  bm::CellRecord table[8];
  bm::ManagerConfig c;  // modules = 0: ask the chain
  bm::ChainManager m(port, table, c);
  m.tick(0);
  PS_CHECK(port.last_sent_is("ZQMA"));
  port.answer("(MA1");
  port.answer("(MA2");
  port.answer("(MA2");  // two modules with address 2
  port.answer("ZQMA");
  m.tick(50);
  PS_CHECK(m.modules() == 3U && m.health().reported_modules == 3U);
  PS_CHECK(m.health().duplicate_addresses);
  PS_CHECK(port.last_sent_is("1QUA"));
}

PS_TEST(balancer_manager_assigns_addresses) {
  ScriptedPort port;
  bm::CellRecord table[20];
  bm::ManagerConfig c;
  c.assign_at_start = true;
  bm::ChainManager m(port, table, c);
  m.tick(0);
  PS_CHECK(port.last_sent_is("ZSMA0"));
  port.answer("ZSMAG");
  m.tick(300);
  PS_CHECK(m.modules() == 16U && !m.health().too_long);
  PS_CHECK(port.last_sent_is("ZQMA"));
}

PS_TEST(balancer_manager_starts_refreshes_and_ends_dynamic_balancing) {
  ScriptedPort port;
  bm::CellRecord table[2];
  bm::ManagerConfig c = two_cells();
  c.balance = true;
  c.sdb_refresh_ms = 3500;  // refreshed when the next balance step (1 s later) would be past it
  bm::ChainManager m(port, table, c);
  m.set_pack_mode(bm::PackMode::kCharge);
  // Scan at 0 ms: cell 2 is 40 mV above cell 1 -> SDB to cell 2.
  std::uint32_t t = answer_scan(m, port, 0, "(1UA3300 0", "(2UA3340 0");
  PS_CHECK(port.last_sent_is("2SDB"));
  port.answer("(2SDBOK");
  m.tick(++t);
  PS_CHECK(table[1].dynamic_requested && !table[0].dynamic_requested);
  // Next scans within the refresh time: no new SDB.
  const int before = port.frames_written;
  answer_scan(m, port, 1000, "(1UA3300 0", "(2UA3330 1");
  answer_scan(m, port, 2000, "(1UA3300 0", "(2UA3330 1");
  PS_CHECK(port.frames_written == before + 4);
  // Third scan: the step after it (4 s) would be past 3.5 s after the SDB: refreshed now.
  t = answer_scan(m, port, 3000, "(1UA3300 0", "(2UA3320 1");
  PS_CHECK(port.last_sent_is("2SDB"));
  port.answer("(2SDBOK");
  m.tick(++t);
  // Discharge: the policy wants nothing, the manager ends it.
  m.set_pack_mode(bm::PackMode::kDischarge);
  t = answer_scan(m, port, 4000, "(1UA3300 0", "(2UA3320 1");
  PS_CHECK(port.last_sent_is("2EDB"));
  port.answer("(2EDBOK");
  m.tick(++t);
  PS_CHECK(!table[1].dynamic_requested);
}

PS_TEST(balancer_manager_returns_from_a_babbling_line) {
  ScriptedPort port;
  port.babble = true;
  bm::CellRecord table[2];
  bm::ChainManager m(port, table, two_cells());
  run(m, 0, 3000);  // every tick returns although bytes never stop coming
  PS_CHECK(m.stats().line_errors > 0U && m.stats().frames_received == 0U);
  PS_CHECK(table[0].status == bm::CellStatus::kMissing && m.stats().scans >= 2U);
}
