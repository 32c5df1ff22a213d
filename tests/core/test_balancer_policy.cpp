// The manager's balance policy (balance_policy.hpp): who bleeds, when nothing does.
#include "harness/check.hpp"
#include "powerstack/balancer_manager/balance_policy.hpp"

namespace bm = powerstack::balancer_manager;

namespace {

constexpr int kCells = 4;

struct Pack {
  bm::CellRecord cells[kCells];
  bool want[kCells] = {};
  explicit Pack(const int (&mv)[kCells]) {
    for (int k = 0; k < kCells; ++k) {
      cells[k].cell_mv = static_cast<uint16_t>(mv[k]);
      cells[k].status = bm::CellStatus::kOk;
    }
  }
  bool decide(bm::PackMode mode, const bm::BalancePolicy& policy = {}) {
    return bm::decide_balancing(cells, mode, policy, want);
  }
  bool wants(bool a, bool b, bool c, bool d) const {
    return want[0] == a && want[1] == b && want[2] == c && want[3] == d;
  }
};

}  // namespace

PS_TEST(balancer_policy_bleeds_cells_above_lowest_plus_threshold) {
  Pack p({3300, 3311, 3310, 3340});  // threshold 10 mV: 11 and 40 above, 10 is not
  PS_CHECK(p.decide(bm::PackMode::kCharge));
  PS_CHECK(p.wants(false, true, false, true));
  PS_CHECK(p.decide(bm::PackMode::kRest));
  PS_CHECK(p.wants(false, true, false, true));
}

PS_TEST(balancer_policy_never_bleeds_in_discharge) {
  Pack p({3300, 3311, 3310, 3340});
  PS_CHECK(!p.decide(bm::PackMode::kDischarge));
  PS_CHECK(p.wants(false, false, false, false));
}

PS_TEST(balancer_policy_keeps_bleeding_down_to_the_release_level) {
  Pack p({3300, 3306, 3304, 3340});
  p.cells[1].dynamic_requested = true;  // 6 mV above: still above release (4)
  p.cells[2].dynamic_requested = true;  // 4 mV above: released
  PS_CHECK(p.decide(bm::PackMode::kRest));
  PS_CHECK(p.wants(false, true, false, true));
}

PS_TEST(balancer_policy_does_nothing_without_every_reading) {
  Pack p({3300, 3311, 3310, 3340});
  p.cells[0].status = bm::CellStatus::kSilent;  // could be far lower than 3300 by now
  PS_CHECK(!p.decide(bm::PackMode::kCharge));
  PS_CHECK(p.wants(false, false, false, false));
  p.cells[0].status = bm::CellStatus::kMissing;
  PS_CHECK(!p.decide(bm::PackMode::kCharge));
}

PS_TEST(balancer_policy_respects_floor_and_heat_limit) {
  Pack low({3100, 3120, 3145, 3160});
  PS_CHECK(low.decide(bm::PackMode::kRest));  // floor 3150 mV: only 3160 may bleed
  PS_CHECK(low.wants(false, false, false, true));

  Pack p({3300, 3330, 3350, 3320});
  bm::BalancePolicy two;
  two.max_cells = 2;
  PS_CHECK(p.decide(bm::PackMode::kCharge, two));
  PS_CHECK(p.wants(false, true, true, false));  // the two highest of the three above
}

PS_TEST(balancer_policy_rejects_release_not_below_threshold) {
  Pack p({3300, 3330, 3350, 3320});
  bm::BalancePolicy bad;
  bad.release_mv = bad.threshold_mv;
  PS_CHECK(!p.decide(bm::PackMode::kCharge, bad));
  PS_CHECK(p.wants(false, false, false, false));
}
