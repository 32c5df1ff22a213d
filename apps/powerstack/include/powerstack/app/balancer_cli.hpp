// Pieces of `powerstack balancer` shared by its files and tests: frame text to wire bytes,
// the pack table as text and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "powerstack/balancer_manager/chain_manager.hpp"

namespace powerstack::app {

// The frame of `payload` (what a user types, e.g. "1QUA") as hex bytes "31 51 55 41 .. .. 0D";
// false with `error` saying what is wrong (empty, too long, a byte not printable ASCII, '('
// past the first byte).
bool balancer_frame_hex(const std::string& payload, std::string& hex, std::string& error);

// One line per cell (address, mV, balancing, temperature, status, last seen, error counts),
// then the chain's health and counters. now_ms: the manager's clock, for "last seen" ages.
std::string format_pack_table(const balancer_manager::ChainManager& manager, std::uint32_t now_ms);
nlohmann::json pack_table_json(const balancer_manager::ChainManager& manager, std::uint32_t now_ms);

}  // namespace powerstack::app
