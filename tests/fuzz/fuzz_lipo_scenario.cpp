// libFuzzer target: the lipo-device scenario reader on arbitrary bytes. Beyond the
// sanitizers, it checks what an accepted scenario promises (a run with valid steps, a valid
// policy, events in order and inside the run, plain output file names) and that a refused
// one comes with a message naming the file. No simulation is run. The reader opens no file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/scenario/lipo_device_scenario.hpp"

namespace {

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

bool plain_file_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const powerstack::sim::LipoDeviceParseResult r =
      powerstack::sim::parse_lipo_device_scenario(text, "fuzz.toml");
  if (!r.scenario) {
    check(r.error.rfind("fuzz.toml", 0) == 0);
    return 0;
  }
  check(r.error.empty());
  const auto& s = *r.scenario;
  check(std::isfinite(s.run.duration_s) && s.run.duration_s > 0.0);
  check(s.run.plant_step_s > 0.0 && s.run.controller_period_s >= s.run.plant_step_s);
  check(s.run.duration_s / s.run.plant_step_s <= 1e10);
  check(powerstack::power::PowerPolicy::valid(s.run.firmware.policy));
  check(s.run.device.awake_s < s.run.device.cycle_period_s);
  check(s.run.device.burst_width_s < s.run.device.burst_period_s);
  double last = 0.0;
  for (const auto& e : s.run.events) {
    check(e.t_s >= last && e.t_s <= s.run.duration_s);
    check(e.action == "remove_battery" || e.action == "insert_battery");
    check(e.soc >= 0.0 && e.soc <= 1.0);
    last = e.t_s;
  }
  check(plain_file_name(s.csv) && plain_file_name(s.html) && s.csv != s.html);
  return 0;
}
