// ChainManager: the master of a seed-001 balancer chain (one module a cell, daisy-chained).
//
// It sends every command to the first module and reads the answers that the last module
// passes back (chain_port.hpp), one exchange at a time, as the seed's master does:
// - an exchange waits for its answer until a deadline computed from the bytes on the wire
//   (chain_timing.hpp) plus slack; after a timeout it repeats the command `retries` times
//   (2, the seed's), then records the failure and moves on. Every wait is bounded, so the
//   manager never hangs, whatever the chain does (silence, garbage, endless traffic).
// - only CRC-valid, fully decoded frames from the module that was asked change the table;
//   corrupted lines are counted (per cell and in total) and ignored.
// - a command that comes back unchanged found no module with that address: the cell is
//   marked missing at once, without retries.
// Cycle: optionally ZSMA0 (assign addresses) and ZQMA (learn the chain, detect duplicate
// addresses); then scans every scan_period_ms: QUA to every cell (QTA every
// temperature_every-th scan), then the balance policy (balance_policy.hpp) turns dynamic
// balancing on (SDB, refreshed before the modules' 60 s self-off) or off (EDB).
// Time is passed in (ms, wrap-safe); no heap: the pack table is storage the caller owns.
#pragma once

#include <cstdint>
#include <span>

#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/frame_receiver.hpp"
#include "powerstack/balancer_manager/balance_policy.hpp"
#include "powerstack/balancer_manager/chain_port.hpp"
#include "powerstack/balancer_manager/pack_table.hpp"

namespace powerstack::balancer_manager {

struct ManagerConfig {
  std::uint8_t modules = 0;             // cells expected; 0 = learn them with ZQMA
  std::uint8_t retries = 2;             // repeats after a timeout (the seed's master: 2)
  std::uint16_t hop_slack_ms = 5;       // per hop: a module's reaction time and gap
  std::uint16_t margin_ms = 50;         // per exchange: port and scheduling latency
  std::uint32_t scan_period_ms = 1000;  // start of one scan to the start of the next
  std::uint8_t temperature_every = 10;  // QTA on every n-th scan; 0 = never
  // SDB is repeated when the next balance step (one scan cycle away, the longest seen) would
  // come later than this after the last SDB; modules end dynamic balancing after 60..61 s.
  std::uint32_t sdb_refresh_ms = 50'000;
  bool assign_at_start = false;     // ZSMA0 first: rewrites the modules' addresses
  bool check_at_start = true;       // ZQMA first
  bool assign_on_conflict = false;  // ZSMA0 when ZQMA finds duplicate addresses
  bool balance = false;             // run the balance policy
  BalancePolicy policy;
};

struct ChainHealth {
  std::uint8_t reported_modules = 0;  // modules that answered the last ZQMA (or ZSMA's count)
  bool duplicate_addresses = false;   // the last ZQMA saw an address twice or out of order
  bool count_mismatch = false;        // ZQMA's count differs from the configured modules
  bool too_long = false;              // ZSMA: more modules than the table holds
  bool silent = false;                // the last scan or check got no valid frame: cut or off
};

struct ManagerStats {
  std::uint32_t frames_sent = 0;
  std::uint32_t frames_received = 0;  // valid frames
  std::uint32_t line_errors = 0;      // corrupted or broken lines
  std::uint32_t stray_frames = 0;     // valid frames that answered nothing asked
  std::uint32_t timeouts = 0;
  std::uint32_t retries = 0;
  std::uint32_t scans = 0;         // completed scans
  std::uint32_t last_scan_ms = 0;  // duration of the last scan's voltage queries
};

class ChainManager {
 public:
  // `table` holds one record per cell the chain may have (its size is the largest chain).
  ChainManager(ChainPort& port, std::span<CellRecord> table, const ManagerConfig& config);

  // Reads what arrived, handles deadlines, starts the next exchange. Call often (at least
  // every few ms while an exchange runs: deadlines are checked here).
  void tick(std::uint32_t now_ms);

  void set_pack_mode(PackMode mode) { mode_ = mode; }
  void set_balancing(bool on) { config_.balance = on; }
  void request_assign() { assign_pending_ = true; }
  void request_address_check() { check_pending_ = true; }

  [[nodiscard]] std::uint8_t modules() const { return modules_; }
  [[nodiscard]] std::span<const CellRecord> cells() const { return table_.first(modules_); }
  [[nodiscard]] const ChainHealth& health() const { return health_; }
  [[nodiscard]] const ManagerStats& stats() const { return stats_; }
  [[nodiscard]] PackMode pack_mode() const { return mode_; }
  // True while an exchange waits for its answer.
  [[nodiscard]] bool busy() const { return op_ != Op::kNone; }

 private:
  enum class Op : std::uint8_t {
    kNone,
    kAssign,
    kCheck,
    kQuery,
    kTemperature,
    kStartDynamic,
    kEndDynamic
  };
  enum class Phase : std::uint8_t { kVoltages, kTemperatures, kBalance, kWait };

  void receive(std::uint32_t now_ms);
  void on_frame(const std::uint8_t* payload, std::uint8_t length, std::uint32_t now_ms);
  void on_check_frame(const std::uint8_t* payload, std::uint8_t length, std::uint32_t now_ms);
  void start_next(std::uint32_t now_ms);
  bool start_balance_op(std::uint32_t now_ms);
  void decide(std::uint32_t now_ms);
  void begin(Op op, std::uint8_t position, std::uint32_t now_ms);
  void send(std::uint32_t now_ms);
  void on_timeout(std::uint32_t now_ms);
  void finish();
  void finish_check(std::uint32_t now_ms);
  void end_scan();
  CellRecord& cell() { return table_[position_ - 1U]; }

  ChainPort& port_;
  std::span<CellRecord> table_;
  ManagerConfig config_;
  PackMode mode_ = PackMode::kRest;
  std::uint8_t modules_ = 0;
  bool assign_pending_ = false;
  bool check_pending_ = false;
  bool started_ = false;

  // The exchange in flight.
  Op op_ = Op::kNone;
  std::uint8_t position_ = 0;  // 1-based chain position (= address) of the cell asked
  std::uint8_t attempt_ = 0;
  std::uint32_t deadline_ms_ = 0;
  std::uint32_t hard_deadline_ms_ = 0;  // ZQMA: no extension past this
  std::uint8_t sent_[balancer::kMaxPayload] = {};
  std::uint8_t sent_length_ = 0;
  std::uint8_t check_count_ = 0;  // ZQMA: (MA frames seen
  bool check_conflict_ = false;

  // The scan.
  Phase phase_ = Phase::kWait;
  std::uint8_t cursor_ = 0;
  std::uint32_t scan_start_ms_ = 0;
  std::uint32_t next_scan_ms_ = 0;
  std::uint32_t frames_in_scan_ = 0;
  std::uint32_t last_balance_ms_ = 0;  // start of the last balance step
  std::uint32_t cycle_ms_ = 0;         // longest time seen between two balance steps
  bool balanced_once_ = false;
  bool temperature_scan_ = false;
  bool want_[256] = {};

  balancer::FrameReceiver rx_;
  ChainHealth health_;
  ManagerStats stats_;
};

}  // namespace powerstack::balancer_manager
