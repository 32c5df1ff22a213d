#include "powerstack/balancer_manager/chain_manager.hpp"

#include <cstring>

#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/response.hpp"
#include "powerstack/balancer/serial_link.hpp"
#include "powerstack/balancer_manager/chain_timing.hpp"

namespace powerstack::balancer_manager {

namespace bal = powerstack::balancer;

namespace {

constexpr std::size_t kReadChunk = 64;
// A port that never runs dry (a babbling line) must not keep tick() from returning.
constexpr int kMaxReadsPerTick = 16;
// ZQMA: each module adds its (MA frame and a gap; 4 frame times cover one module.
constexpr std::uint32_t kCheckFramesPerModule = 4;

void bump(std::uint16_t& counter) {
  if (counter != UINT16_MAX) {
    ++counter;
  }
}

std::uint32_t ms_for_bytes(std::uint32_t bytes) {
  return static_cast<std::uint32_t>((wire_time_us(bytes) + 999U) / 1000U);
}

}  // namespace

ChainManager::ChainManager(ChainPort& port, std::span<CellRecord> table,
                           const ManagerConfig& config)
    : port_(port), table_(table.first(table.size() < 255U ? table.size() : 254U)), config_(config) {
  if (config_.modules > table_.size()) {
    config_.modules = static_cast<std::uint8_t>(table_.size());
  }
  modules_ = config_.modules;
  assign_pending_ = config_.assign_at_start;
  check_pending_ = config_.check_at_start || config_.modules == 0U;
}

void ChainManager::tick(std::uint32_t now_ms) {
  if (!started_) {
    started_ = true;
    next_scan_ms_ = now_ms;
  }
  receive(now_ms);
  if (op_ != Op::kNone && bal::time_reached(now_ms, deadline_ms_)) {
    on_timeout(now_ms);
  }
  if (op_ == Op::kNone) {
    start_next(now_ms);
  }
}

void ChainManager::receive(std::uint32_t now_ms) {
  std::uint8_t chunk[kReadChunk];
  for (int reads = 0; reads < kMaxReadsPerTick; ++reads) {
    const std::size_t n = port_.read(chunk);
    for (std::size_t i = 0; i < n; ++i) {
      switch (rx_.push(chunk[i])) {
        case bal::RxEvent::kNone:
          break;
        case bal::RxEvent::kFrame:
          ++stats_.frames_received;
          ++frames_in_scan_;
          on_frame(rx_.payload(), rx_.payload_length(), now_ms);
          break;
        default:
          ++stats_.line_errors;
          if (op_ != Op::kNone && position_ != 0U) {
            bump(cell().line_errors);
          }
          break;
      }
    }
    if (n < sizeof(chunk)) {
      return;
    }
  }
}

void ChainManager::on_frame(const std::uint8_t* payload, std::uint8_t length,
                            std::uint32_t now_ms) {
  if (op_ == Op::kNone) {
    ++stats_.stray_frames;
    return;
  }
  if (op_ == Op::kCheck) {
    on_check_frame(payload, length, now_ms);
    return;
  }
  if (op_ == Op::kAssign) {
    bal::Command c;
    if (bal::decode_command(payload, length, c) && c.kind == bal::CommandKind::kAssignAddresses &&
        c.target == bal::kTargetBroadcast) {
      const auto count = static_cast<std::uint32_t>(c.value);
      health_.too_long = count > table_.size() || count == bal::kMaxModules;
      modules_ = static_cast<std::uint8_t>(count > table_.size() ? table_.size() : count);
      health_.reported_modules = static_cast<std::uint8_t>(c.value);
      health_.duplicate_addresses = false;
      health_.count_mismatch = config_.modules != 0U && count != config_.modules;
      health_.silent = false;
      for (CellRecord& r : table_) {
        r = CellRecord{};  // new addresses: old records no longer belong to them
      }
      finish();
      return;
    }
    ++stats_.stray_frames;
    return;
  }
  // A single-cell exchange.
  if (length == sent_length_ && std::memcmp(payload, sent_, length) == 0) {
    cell().status = CellStatus::kMissing;  // the command went round: nobody has the address
    finish();
    return;
  }
  bal::Response r;
  if (!bal::decode_response(payload, length, r) || r.address != position_) {
    ++stats_.stray_frames;
    return;
  }
  CellRecord& rec = cell();
  bool answered = true;
  switch (r.kind) {
    case bal::ResponseKind::kVoltage:
      answered = op_ == Op::kQuery;
      if (answered) {
        rec.cell_mv = static_cast<std::uint16_t>(r.value);
        rec.balancing = r.balancing;
      }
      break;
    case bal::ResponseKind::kTemperature:
      answered = op_ == Op::kTemperature;
      if (answered) {
        rec.temperature_k = r.value;
      }
      break;
    case bal::ResponseKind::kDynamicStarted:
      answered = op_ == Op::kStartDynamic;
      if (answered) {
        rec.dynamic_requested = true;
        rec.balancing = true;
        rec.last_sdb_ms = now_ms;
      }
      break;
    case bal::ResponseKind::kDynamicEnded:
      answered = op_ == Op::kEndDynamic;
      if (answered) {
        rec.dynamic_requested = false;
      }
      break;
    case bal::ResponseKind::kNak:
      bump(rec.naks);
      if (op_ == Op::kStartDynamic) {
        rec.dynamic_requested = false;
      }
      break;
    default:
      answered = false;
      break;
  }
  if (!answered) {
    ++stats_.stray_frames;  // e.g. a late answer to an earlier exchange
    return;
  }
  rec.status = CellStatus::kOk;
  rec.seen = true;
  rec.last_seen_ms = now_ms;
  finish();
}

void ChainManager::on_check_frame(const std::uint8_t* payload, std::uint8_t length,
                                  std::uint32_t now_ms) {
  bal::Response r;
  if (bal::decode_response(payload, length, r) && r.kind == bal::ResponseKind::kModuleAddress) {
    ++check_count_;
    if (r.address != check_count_) {
      check_conflict_ = true;  // a duplicate, or a module not yet assigned (reports 1)
    }
    // The next module's report follows within a few frame times; never past the hard limit.
    const std::uint32_t extended = now_ms + ms_for_bytes(kCheckFramesPerModule * bal::kMaxFrame) +
                                   kCheckFramesPerModule * config_.hop_slack_ms + config_.margin_ms;
    deadline_ms_ = bal::time_reached(extended, hard_deadline_ms_) ? hard_deadline_ms_ : extended;
    if (check_count_ >= table_.size()) {
      finish_check(now_ms);  // more reports than any chain we can hold
    }
    return;
  }
  bal::Command c;
  if (bal::decode_command(payload, length, c) && c.kind == bal::CommandKind::kQueryAddresses) {
    finish_check(now_ms);
    return;
  }
  ++stats_.stray_frames;
}

void ChainManager::finish_check(std::uint32_t now_ms) {
  health_.reported_modules = check_count_;
  health_.duplicate_addresses = check_conflict_;
  health_.silent = false;
  if (config_.modules == 0U) {
    modules_ = check_count_;
  }
  health_.count_mismatch = config_.modules != 0U && check_count_ != config_.modules;
  if (check_conflict_ && config_.assign_on_conflict) {
    assign_pending_ = true;
  }
  finish();
  next_scan_ms_ = now_ms;
}

void ChainManager::start_next(std::uint32_t now_ms) {
  if (assign_pending_) {
    assign_pending_ = false;
    begin(Op::kAssign, 0, now_ms);
    return;
  }
  if (check_pending_) {
    check_pending_ = false;
    begin(Op::kCheck, 0, now_ms);
    return;
  }
  while (true) {
    switch (phase_) {
      case Phase::kWait:
        if (!bal::time_reached(now_ms, next_scan_ms_)) {
          return;
        }
        if (modules_ == 0U) {
          // Nothing known yet: ask the chain again, once a period.
          next_scan_ms_ = now_ms + config_.scan_period_ms;
          begin(Op::kCheck, 0, now_ms);
          return;
        }
        phase_ = Phase::kVoltages;
        cursor_ = 0;
        scan_start_ms_ = now_ms;
        next_scan_ms_ = now_ms + config_.scan_period_ms;
        frames_in_scan_ = 0;
        temperature_scan_ =
            config_.temperature_every != 0U && stats_.scans % config_.temperature_every == 0U;
        break;
      case Phase::kVoltages:
        if (cursor_ < modules_) {
          begin(Op::kQuery, ++cursor_, now_ms);
          return;
        }
        stats_.last_scan_ms = now_ms - scan_start_ms_;
        phase_ = temperature_scan_ ? Phase::kTemperatures : Phase::kBalance;
        cursor_ = 0;
        if (phase_ == Phase::kBalance) {
          decide(now_ms);
        }
        break;
      case Phase::kTemperatures:
        if (cursor_ < modules_) {
          begin(Op::kTemperature, ++cursor_, now_ms);
          return;
        }
        phase_ = Phase::kBalance;
        cursor_ = 0;
        decide(now_ms);
        break;
      case Phase::kBalance:
        while (cursor_ < modules_) {
          ++cursor_;
          if (start_balance_op(now_ms)) {
            return;
          }
        }
        end_scan();
        break;
    }
  }
}

void ChainManager::decide(std::uint32_t now_ms) {
  if (balanced_once_ && now_ms - last_balance_ms_ > cycle_ms_) {
    cycle_ms_ = now_ms - last_balance_ms_;
  }
  balanced_once_ = true;
  last_balance_ms_ = now_ms;
  // Without balancing the policy sees a discharge: it wants nothing, so every SDB is ended.
  static_cast<void>(decide_balancing(cells(), config_.balance ? mode_ : PackMode::kDischarge,
                                     config_.policy, std::span<bool>(want_, modules_)));
}

// Balance step for the cell at cursor_: SDB when wanted and not running or due a refresh,
// EDB when no longer wanted. Returns true when an exchange started.
bool ChainManager::start_balance_op(std::uint32_t now_ms) {
  const CellRecord& rec = table_[cursor_ - 1U];
  const bool want = want_[cursor_ - 1U];
  if (want && (!rec.dynamic_requested ||
               bal::time_reached(now_ms + cycle_ms_, rec.last_sdb_ms + config_.sdb_refresh_ms))) {
    begin(Op::kStartDynamic, cursor_, now_ms);
    return true;
  }
  if (!want && rec.dynamic_requested && rec.status != CellStatus::kMissing) {
    begin(Op::kEndDynamic, cursor_, now_ms);
    return true;
  }
  return false;
}

void ChainManager::end_scan() {
  ++stats_.scans;
  health_.silent = frames_in_scan_ == 0U;
  phase_ = Phase::kWait;
}

void ChainManager::begin(Op op, std::uint8_t position, std::uint32_t now_ms) {
  op_ = op;
  position_ = position;
  attempt_ = 0;
  bal::Command c;
  c.target = position;
  switch (op) {
    case Op::kAssign:
      c.kind = bal::CommandKind::kAssignAddresses;
      c.target = bal::kTargetBroadcast;
      c.value = 0;
      break;
    case Op::kCheck:
      c.kind = bal::CommandKind::kQueryAddresses;
      c.target = bal::kTargetBroadcast;
      break;
    case Op::kQuery:
      c.kind = bal::CommandKind::kQueryVoltage;
      break;
    case Op::kTemperature:
      c.kind = bal::CommandKind::kQueryTemperature;
      break;
    case Op::kStartDynamic:
      c.kind = bal::CommandKind::kStartDynamicBalancing;
      break;
    case Op::kEndDynamic:
      c.kind = bal::CommandKind::kEndDynamicBalancing;
      break;
    case Op::kNone:
      return;
  }
  sent_length_ = bal::encode_command(c, sent_, sizeof(sent_));
  send(now_ms);
}

void ChainManager::send(std::uint32_t now_ms) {
  // Leftovers of an earlier line must not merge with the answer to this command.
  static_cast<void>(rx_.abandon_line());
  std::uint8_t frame[bal::kMaxFrame];
  const std::uint8_t n = bal::encode_frame(sent_, sent_length_, frame, sizeof(frame));
  const std::size_t written = n == 0U ? 0U : port_.write(std::span<const std::uint8_t>(frame, n));
  ++stats_.frames_sent;

  const std::uint32_t chain = op_ == Op::kQuery || op_ == Op::kTemperature ||
                                      op_ == Op::kStartDynamic || op_ == Op::kEndDynamic
                                  ? modules_
                                  : static_cast<std::uint32_t>(table_.size());
  const std::uint32_t hops = chain + 1U;
  std::uint32_t bytes = 0;
  if (op_ == Op::kAssign) {
    bytes = hops * n;  // ZSMA grows by at most one address character: n covers it (+1 below)
    bytes += hops;
  } else if (op_ == Op::kCheck) {
    bytes = hops * bal::kMaxFrame;  // the first report, through the whole chain
  } else {
    bytes = exchange_bytes(position_, chain, n, bal::kMaxFrame);
  }
  deadline_ms_ = now_ms + ms_for_bytes(bytes) + hops * config_.hop_slack_ms + config_.margin_ms;
  if (written != n) {
    deadline_ms_ = now_ms;  // the port refused the frame: count it as a lost attempt
  }
  if (op_ == Op::kCheck) {
    check_count_ = 0;
    check_conflict_ = false;
    hard_deadline_ms_ = deadline_ms_ + static_cast<std::uint32_t>(table_.size()) *
                                           (ms_for_bytes(kCheckFramesPerModule * bal::kMaxFrame) +
                                            kCheckFramesPerModule * config_.hop_slack_ms);
  }
}

void ChainManager::on_timeout(std::uint32_t now_ms) {
  ++stats_.timeouts;
  if (position_ != 0U) {
    bump(cell().timeouts);
  }
  if (op_ == Op::kCheck && check_count_ != 0U) {
    // Reports arrived but the closing ZQMA did not: take what was seen, flag it.
    check_conflict_ = true;
    finish_check(now_ms);
    return;
  }
  if (attempt_ < config_.retries) {
    ++attempt_;
    ++stats_.retries;
    send(now_ms);
    return;
  }
  if (position_ != 0U) {
    CellRecord& rec = cell();
    bump(rec.failures);
    rec.status = rec.seen ? CellStatus::kSilent : CellStatus::kMissing;
  } else {
    health_.silent = true;  // ZSMA or ZQMA never came back: the chain is cut or off
  }
  finish();
}

void ChainManager::finish() {
  op_ = Op::kNone;
  position_ = 0;
}

}  // namespace powerstack::balancer_manager
