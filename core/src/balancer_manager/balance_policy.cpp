#include "powerstack/balancer_manager/balance_policy.hpp"

#include <cstddef>

namespace powerstack::balancer_manager {

const char* pack_mode_name(PackMode mode) {
  switch (mode) {
    case PackMode::kRest:
      return "rest";
    case PackMode::kCharge:
      return "charge";
    case PackMode::kDischarge:
      return "discharge";
  }
  return "?";
}

bool decide_balancing(std::span<const CellRecord> cells, PackMode mode, const BalancePolicy& policy,
                      std::span<bool> want) {
  for (bool& w : want) {
    w = false;
  }
  if (want.size() != cells.size() || cells.empty() || mode == PackMode::kDischarge ||
      policy.release_mv >= policy.threshold_mv) {
    return false;
  }
  std::uint16_t lowest_mv = UINT16_MAX;
  for (const CellRecord& c : cells) {
    if (c.status != CellStatus::kOk) {
      return false;  // an unread cell could be the lowest
    }
    lowest_mv = c.cell_mv < lowest_mv ? c.cell_mv : lowest_mv;
  }
  std::size_t chosen = 0;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const CellRecord& c = cells[k];
    const auto above_mv = static_cast<std::uint32_t>(c.cell_mv - lowest_mv);
    const std::uint16_t limit_mv = c.dynamic_requested ? policy.release_mv : policy.threshold_mv;
    want[k] = above_mv > limit_mv && c.cell_mv > policy.floor_mv;
    chosen += want[k] ? 1U : 0U;
  }
  // Heat limit: drop the lowest of the chosen cells until max_cells remain.
  while (policy.max_cells != 0U && chosen > policy.max_cells) {
    std::size_t drop = cells.size();
    for (std::size_t k = 0; k < cells.size(); ++k) {
      if (want[k] && (drop == cells.size() || cells[k].cell_mv < cells[drop].cell_mv)) {
        drop = k;
      }
    }
    want[drop] = false;
    --chosen;
  }
  return true;
}

}  // namespace powerstack::balancer_manager
