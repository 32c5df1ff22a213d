// The manager's pack table: what it knows about each cell of the chain (one module a cell,
// the module at chain position k has address k after ZSMA). Filled only from valid frames
// (CRC checked, fully decoded, from the module that was asked).
#pragma once

#include <cstdint>

namespace powerstack::balancer_manager {

enum class CellStatus : std::uint8_t {
  kUnknown,  // not asked yet
  kOk,       // the last exchange with the module succeeded
  kSilent,   // answered before, but the last exchange failed after every retry
  kMissing,  // never answered, or the command came back unchanged (no module has the address)
};

const char* cell_status_name(CellStatus status);

struct CellRecord {
  std::uint16_t cell_mv = 0;        // filtered cell voltage from the last QUA
  std::int16_t temperature_k = -1;  // from the last QTA; -1 = not measured yet
  bool balancing = false;           // bleed switch closed, as the module reported (auto or dynamic)
  bool dynamic_requested = false;   // this manager keeps dynamic balancing (SDB) on
  CellStatus status = CellStatus::kUnknown;
  bool seen = false;               // answered at least once
  std::uint32_t last_seen_ms = 0;  // time of the last valid answer
  std::uint32_t last_sdb_ms = 0;   // time of the last acknowledged SDB
  // Error counts (saturating).
  std::uint16_t timeouts = 0;     // attempts without an answer
  std::uint16_t failures = 0;     // exchanges lost after every retry
  std::uint16_t naks = 0;         // commands the module refused
  std::uint16_t line_errors = 0;  // corrupted lines received while waiting for this module
};

}  // namespace powerstack::balancer_manager
