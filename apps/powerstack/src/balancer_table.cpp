#include <fmt/format.h>

#include "powerstack/app/balancer_cli.hpp"
#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/frame.hpp"

namespace powerstack::app {

namespace bal = powerstack::balancer;
namespace bm = powerstack::balancer_manager;

namespace {

std::string address_text(std::size_t index) {
  std::uint8_t a[bal::kMaxAddressChars] = {};
  const std::uint8_t n = bal::encode_address(static_cast<std::uint8_t>(index + 1U), a);
  return {reinterpret_cast<const char*>(a), n};
}

}  // namespace

bool balancer_frame_hex(const std::string& payload, std::string& hex, std::string& error) {
  if (payload.empty()) {
    error = "the frame text is empty (example: 1QUA)";
    return false;
  }
  if (payload.size() > bal::kMaxPayload) {
    error = fmt::format("the frame text has {} characters; at most {} fit a frame", payload.size(),
                        bal::kMaxPayload);
    return false;
  }
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(payload[i]);
    if (!bal::is_payload_byte(b, static_cast<std::uint8_t>(i))) {
      error = b == bal::kResponseStart
                  ? fmt::format("'(' at position {}: it may only start a response", i + 1)
                  : fmt::format("byte 0x{:02X} at position {} is not printable ASCII", b, i + 1);
      return false;
    }
  }
  std::uint8_t frame[bal::kMaxFrame];
  const std::uint8_t n =
      bal::encode_frame(reinterpret_cast<const std::uint8_t*>(payload.data()),
                        static_cast<std::uint8_t>(payload.size()), frame, sizeof(frame));
  hex.clear();
  for (std::uint8_t i = 0; i < n; ++i) {
    hex += fmt::format("{}{:02X}", i == 0 ? "" : " ", frame[i]);
  }
  return n != 0U;
}

std::string format_pack_table(const bm::ChainManager& manager, std::uint32_t now_ms) {
  std::string s = fmt::format(
      "{:>4} {:>4} {:>6} {:>4} {:>4} {:>6} {:<8} {:>8} {:>8} {:>8} {:>5} "
      "{:>8}\n",
      "cell", "addr", "mV", "bal", "dyn", "temp_K", "status", "seen_s", "timeouts", "failures",
      "naks", "line_err");
  const auto cells = manager.cells();
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const bm::CellRecord& c = cells[k];
    const std::string mv = c.seen ? fmt::format("{}", c.cell_mv) : "-";
    const std::string temp = c.temperature_k >= 0 ? fmt::format("{}", c.temperature_k) : "-";
    const std::string age =
        c.seen ? fmt::format("{:.1f}", static_cast<double>(now_ms - c.last_seen_ms) / 1000.0) : "-";
    s += fmt::format("{:>4} {:>4} {:>6} {:>4} {:>4} {:>6} {:<8} {:>8} {:>8} {:>8} {:>5} {:>8}\n",
                     k + 1, address_text(k), mv, c.balancing ? 1 : 0, c.dynamic_requested ? 1 : 0,
                     temp, bm::cell_status_name(c.status), age, c.timeouts, c.failures, c.naks,
                     c.line_errors);
  }
  const bm::ChainHealth& h = manager.health();
  const bm::ManagerStats& st = manager.stats();
  s += fmt::format(
      "chain: {} modules, {} reported; scans {}, last scan {} ms; frames sent {}, "
      "received {}, corrupted lines {}, stray {}, timeouts {}, retries {}; mode {}\n",
      manager.modules(), h.reported_modules, st.scans, st.last_scan_ms, st.frames_sent,
      st.frames_received, st.line_errors, st.stray_frames, st.timeouts, st.retries,
      bm::pack_mode_name(manager.pack_mode()));
  if (h.silent) {
    s += "warning: no valid frame from the chain in the last scan (cut, unpowered or wrong port)\n";
  }
  if (h.duplicate_addresses) {
    s += "warning: ZQMA saw duplicate or unassigned addresses (assign them with --assign)\n";
  }
  if (h.count_mismatch) {
    s += "warning: the chain reports a different number of modules than --cells\n";
  }
  if (h.too_long) {
    s += "warning: the chain is longer than the manager's table\n";
  }
  return s;
}

nlohmann::json pack_table_json(const bm::ChainManager& manager, std::uint32_t now_ms) {
  nlohmann::json cells = nlohmann::json::array();
  const auto table = manager.cells();
  for (std::size_t k = 0; k < table.size(); ++k) {
    const bm::CellRecord& c = table[k];
    cells.push_back({{"cell", k + 1},
                     {"address", address_text(k)},
                     {"mv", c.seen ? nlohmann::json(c.cell_mv) : nlohmann::json()},
                     {"balancing", c.balancing},
                     {"dynamic", c.dynamic_requested},
                     {"temperature_k",
                      c.temperature_k >= 0 ? nlohmann::json(c.temperature_k) : nlohmann::json()},
                     {"status", bm::cell_status_name(c.status)},
                     {"last_seen_s",
                      c.seen ? nlohmann::json(static_cast<double>(now_ms - c.last_seen_ms) / 1000.0)
                             : nlohmann::json()},
                     {"timeouts", c.timeouts},
                     {"failures", c.failures},
                     {"naks", c.naks},
                     {"line_errors", c.line_errors}});
  }
  const bm::ChainHealth& h = manager.health();
  const bm::ManagerStats& st = manager.stats();
  return {{"modules", manager.modules()},
          {"cells", cells},
          {"health",
           {{"reported_modules", h.reported_modules},
            {"duplicate_addresses", h.duplicate_addresses},
            {"count_mismatch", h.count_mismatch},
            {"too_long", h.too_long},
            {"silent", h.silent}}},
          {"stats",
           {{"scans", st.scans},
            {"frames_sent", st.frames_sent},
            {"frames_received", st.frames_received},
            {"line_errors", st.line_errors},
            {"stray_frames", st.stray_frames},
            {"timeouts", st.timeouts},
            {"retries", st.retries}}}};
}

}  // namespace powerstack::app
