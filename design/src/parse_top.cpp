// The design reader's top-level tables: [device], [requirements], [usage], [montecarlo],
// [simulation].
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "parse_detail.hpp"

namespace powerstack::design::detail {

void read_top(TomlReader& r, Design& d) {
  TomlReader dev = r.table("device");
  if (!dev.present()) {
    r.fail("device", "missing (the [device] table with name and modes)");
    return;
  }
  d.name = dev.text("name");
  d.notes = dev.text_or("notes", "");
  d.modes = dev.texts("modes");
  if (dev.ok() && d.modes.empty()) {
    dev.fail("modes", "missing (the load modes, e.g. [\"sleep\", \"idle\", \"active\"])");
  }
  std::set<std::string> seen;
  for (const auto& m : d.modes) {
    if (m.empty() || !seen.insert(m).second) {
      dev.fail("modes", "'" + m + "' is empty or listed twice");
    }
  }
  dev.finish();

  TomlReader req = r.table("requirements");
  d.req.i_sleep_max_a = req.number_or("i_sleep_max_a", 0.0, 0.0, 100.0);
  d.req.sleep_mode = req.text_or("sleep_mode", "sleep");
  d.req.hold_up_s = req.number_or("hold_up_s", 0.0, 0.0, 1e7);
  d.req.brownout_margin_v = req.number_or("brownout_margin_v", 0.1, 0.0, 100.0);
  d.req.cap_derating = req.number_or("cap_derating", 0.8, 0.1, 1.0);
  d.req.fet_derating = req.number_or("fet_derating", 0.8, 0.1, 1.0);
  const auto is_mode = [&](const std::string& m) {
    return std::find(d.modes.begin(), d.modes.end(), m) != d.modes.end();
  };
  if (d.req.i_sleep_max_a > 0.0 && !is_mode(d.req.sleep_mode)) {
    req.fail("sleep_mode", "'" + d.req.sleep_mode + "' is not one of [device] modes");
  }
  req.finish();

  TomlReader use = r.table("usage");
  d.usage.base_mode = use.text_or("base_mode", d.modes.empty() ? "" : d.modes.front());
  d.usage.ride_mode = use.text_or("ride_mode", d.usage.base_mode);
  for (const char* key : {"base_mode", "ride_mode"}) {
    const std::string& m = key[0] == 'b' ? d.usage.base_mode : d.usage.ride_mode;
    if (!m.empty() && !is_mode(m))
      use.fail(key, "'" + m + "' is not one of [device] modes");
  }
  TomlReader day = use.table("day_hours");
  double total_h = 0.0;
  for (const auto& m : d.modes) {
    if (day.has(m)) {
      d.usage.day_hours[m] = day.number(m, 0.0, 24.0);
      total_h += d.usage.day_hours[m];
    }
  }
  day.finish();
  if (total_h > 24.0 + 1e-9) {
    use.fail("day_hours", "the hours add up to more than 24");
  }
  use.finish();

  TomlReader mc = r.table("montecarlo");
  d.mc.runs = static_cast<int>(mc.integer_or("runs", 100, 1, 1000000));
  d.mc.seed = static_cast<std::uint64_t>(mc.integer_or("seed", 1, 0, INT64_MAX));
  mc.finish();

  TomlReader sim = r.table("simulation");
  d.sim_dt_s = sim.number_or("dt_s", 0.0, 1e-7, 10.0);
  d.sim_tail_s = sim.number_or("tail_s", 0.5, 0.0, 1e6);
  sim.finish();
}

}  // namespace powerstack::design::detail
