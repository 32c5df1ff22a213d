// The chain manager against a simulated chain of real module logic with faults on the line
// (sim/systems/balancer_chain.hpp): bit errors, a mute module, duplicate addresses, a cut.
// In every case the manager must keep scanning (never hang), report what it cannot read, and
// never accept or cause a wrong value: the table holds only the modules' true readings, and
// no module executes a command the manager did not send (no dynamic balancing, no settings
// change while the manager only reads).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <memory>

#include "sim/systems/managed_balancer_chain.hpp"

namespace powerstack::sim {
namespace {

namespace bm = powerstack::balancer_manager;

constexpr double kCellMv0 = 3200.0;

// Cell k at 3200 + 4 k mV (whole ADC counts, so the module reports exactly this).
double true_mv(std::size_t k) {
  return kCellMv0 + 4.0 * static_cast<double>(k);
}

std::unique_ptr<ManagedBalancerChain> make(std::size_t n, const ChainFaults& faults,
                                           const bm::ManagerConfig& c) {
  auto m = std::make_unique<ManagedBalancerChain>(n, faults, c, 32);
  for (std::size_t k = 0; k < n; ++k) {
    m->chain().set_stored_address(k, static_cast<std::uint8_t>(k + 1));
    m->chain().set_cell_mv(k, true_mv(k));
  }
  m->start();
  return m;
}

bm::ManagerConfig reading_only(std::uint8_t modules) {
  bm::ManagerConfig c;
  c.modules = modules;
  c.temperature_every = 5;
  return c;
}

// Every cell the manager marks ok holds the module's true voltage and temperature; no
// module balances or stored a setting.
void expect_nothing_wrong(ManagedBalancerChain& m) {
  const auto cells = m.manager().cells();
  for (std::size_t k = 0; k < m.chain().size(); ++k) {
    if (k < cells.size() && cells[k].seen) {
      EXPECT_EQ(cells[k].cell_mv, static_cast<std::uint16_t>(true_mv(k))) << "cell " << k;
      EXPECT_TRUE(cells[k].temperature_k == -1 || cells[k].temperature_k == 298) << "cell " << k;
    }
    EXPECT_FALSE(m.chain().balancing(k)) << "module " << k << " executed a corrupted command";
    EXPECT_EQ(m.chain().eeprom_writes(k), 0) << "module " << k << " changed a setting";
  }
}

// Bit errors on every data bit of every hop, two minutes of scans of a 16-module chain. An
// exchange crosses about 1400 bits of line (store-and-forward through every module), so at
// 1e-4 per bit about one exchange in 8 is damaged and retries recover nearly all; at 1e-3
// three in four are, and cells go silent now and then; at 1e-2 next to nothing arrives.
// Whatever the rate: nothing wrong in the table or the modules, and scanning goes on.
TEST(BalancerFaults, BitErrorsNeverReachTheTableOrTheModules) {
  for (const double ber : {1e-4, 1e-3, 1e-2}) {
    ChainFaults f;
    f.bit_error_rate = ber;
    f.seed = 6001;
    auto m = make(16, f, reading_only(16));
    m->run_until(120'000);
    const auto& s = m->manager().stats();
    std::uint32_t failures = 0;
    for (const auto& c : m->manager().cells()) {
      failures += c.failures;
    }
    std::printf(
        "  bit error rate %g: %u scans, %u frames sent, %u retries, %u exchanges lost, "
        "%u corrupted lines at the master\n",
        ber, s.scans, s.frames_sent, s.retries, failures, s.line_errors);
    SCOPED_TRACE(testing::Message() << "bit error rate " << ber);
    EXPECT_GT(m->chain().bits_flipped(), 0U);
    EXPECT_GE(s.scans, 2U);  // kept scanning
    expect_nothing_wrong(*m);
    if (ber == 1e-4) {
      EXPECT_GT(s.line_errors, 0U);
      for (const auto& c : m->manager().cells()) {
        EXPECT_EQ(c.status, bm::CellStatus::kOk);
      }
    }
  }
}

TEST(BalancerFaults, MuteModuleIsFlaggedAndTheRestIsRead) {
  ChainFaults f;
  f.mute_module = 5;  // address 6 receives and forwards but its answers are lost
  auto m = make(8, f, reading_only(8));
  m->run_until(60'000);
  const auto cells = m->manager().cells();
  ASSERT_EQ(cells.size(), 8U);
  for (std::size_t k = 0; k < 8; ++k) {
    if (k == 5) {
      EXPECT_EQ(cells[k].status, bm::CellStatus::kMissing);
      EXPECT_GE(cells[k].failures, 3U);
      EXPECT_EQ(cells[k].timeouts, 3U * cells[k].failures);  // 1 try + 2 retries each time
    } else {
      EXPECT_EQ(cells[k].status, bm::CellStatus::kOk) << k;
      EXPECT_EQ(cells[k].failures, 0U);
    }
  }
  EXPECT_GE(m->manager().stats().scans, 5U);
  expect_nothing_wrong(*m);
}

TEST(BalancerFaults, DuplicateAddressIsReportedThenRepairedOnRequest) {
  for (const bool repair : {false, true}) {
    bm::ManagerConfig c = reading_only(0);  // learn the chain
    c.assign_on_conflict = repair;
    ManagedBalancerChain m(6, ChainFaults{}, c, 32);
    for (std::size_t k = 0; k < 6; ++k) {
      m.chain().set_stored_address(k, static_cast<std::uint8_t>(k + 1));
      m.chain().set_cell_mv(k, true_mv(k));
    }
    m.chain().set_stored_address(3, 3);  // modules 3 and 4 both answer to address 3
    m.start();
    m.run_until(20'000);
    const auto cells = m.manager().cells();
    SCOPED_TRACE(repair ? "repair" : "report");
    ASSERT_EQ(cells.size(), 6U);
    if (!repair) {
      EXPECT_TRUE(m.manager().health().duplicate_addresses);
      EXPECT_EQ(cells[3].status, bm::CellStatus::kMissing);                 // nobody answers to 4
      EXPECT_EQ(cells[2].cell_mv, static_cast<std::uint16_t>(true_mv(2)));  // the first 3
    } else {
      EXPECT_FALSE(m.manager().health().duplicate_addresses);
      for (std::size_t k = 0; k < 6; ++k) {
        EXPECT_EQ(m.chain().module(k).address(), k + 1);
        EXPECT_EQ(cells[k].status, bm::CellStatus::kOk);
        EXPECT_EQ(cells[k].cell_mv, static_cast<std::uint16_t>(true_mv(k)));
      }
    }
  }
}

TEST(BalancerFaults, CutChainIsReportedAndRecoveredWhenRepaired) {
  auto m = make(8, ChainFaults{}, reading_only(8));
  m->run_until(10'000);
  ASSERT_FALSE(m->manager().health().silent);
  m->chain().set_cut_after(3);  // the wire between modules 4 and 5 breaks
  const std::uint32_t scans_before = m->manager().stats().scans;
  m->run_until(40'000);
  EXPECT_TRUE(m->manager().health().silent);
  EXPECT_GT(m->manager().stats().scans, scans_before);  // still scanning, never stuck
  for (const auto& c : m->manager().cells()) {
    EXPECT_EQ(c.status, bm::CellStatus::kSilent);  // seen before the cut
  }
  m->chain().set_cut_after(-1);
  m->run_until(60'000);
  EXPECT_FALSE(m->manager().health().silent);
  for (const auto& c : m->manager().cells()) {
    EXPECT_EQ(c.status, bm::CellStatus::kOk);
  }
  expect_nothing_wrong(*m);
}

}  // namespace
}  // namespace powerstack::sim
