// Which cells the manager bleeds with dynamic balancing (SDB), decided from the pack table.
//
// Policy (docs/balancer-manager.md): only while the pack charges or rests, never while it
// discharges (bleeding then only shortens the run time). Only when every cell has a fresh
// reading: a silent or missing cell could be the lowest, so nothing is bled. A cell is bled
// when its voltage is above (lowest cell + threshold_mv), and keeps being bled until it is
// within (lowest + release_mv); cells at or below floor_mv are never bled. With max_cells > 0
// at most that many cells bleed at once (heat), the highest first.
// The modules' automatic balancing above their start voltage (3.5 V) is independent of this.
#pragma once

#include <cstdint>
#include <span>

#include "powerstack/balancer_manager/pack_table.hpp"

namespace powerstack::balancer_manager {

enum class PackMode : std::uint8_t { kRest, kCharge, kDischarge };

const char* pack_mode_name(PackMode mode);

struct BalancePolicy {
  std::uint16_t threshold_mv = 10;  // start bleeding above lowest + threshold
  std::uint16_t release_mv = 4;     // stop once within lowest + release (< threshold)
  std::uint16_t floor_mv = 3150;    // never bleed a cell at or below this voltage
  std::uint8_t max_cells = 0;       // at most this many at once; 0 = no limit
};

// Writes want[k] for every cell (want.size() == cells.size()). Returns false (and clears
// want) when the policy does not apply: discharge, a cell without a fresh reading, or an
// inconsistent policy (release_mv >= threshold_mv).
bool decide_balancing(std::span<const CellRecord> cells, PackMode mode, const BalancePolicy& policy,
                      std::span<bool> want);

}  // namespace powerstack::balancer_manager
