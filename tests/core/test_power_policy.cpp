#include <cmath>

#include "harness/check.hpp"
#include "powerstack/power/power_policy.hpp"

using powerstack::power::PolicyInput;
using powerstack::power::PowerPolicy;
using powerstack::power::PowerPolicyConfig;
using powerstack::power::PowerState;

namespace {

// Runs `policy` for seconds at 1 s steps with the given SOC; returns the last state.
PowerState run(PowerPolicy& policy, float soc, int seconds, float v_v = 3.6f) {
  PolicyInput in;
  in.soc = soc;
  in.v_bat_v = v_v;
  for (int k = 0; k < seconds; ++k) {
    (void)policy.update(in, 1.0f);
  }
  return policy.state();
}

PowerPolicy running_policy(const PowerPolicyConfig& c = {}) {
  PowerPolicy p(c);
  (void)run(p, 0.5f, 1);
  return p;
}

}  // namespace

PS_TEST(policy_config_validation) {
  PS_CHECK(PowerPolicy::valid({}));
  PowerPolicyConfig c;
  c.resume_soc = c.shutdown_soc;
  PS_CHECK(!PowerPolicy::valid(c));
  c = {};
  c.debounce_s = -1.0f;
  PS_CHECK(!PowerPolicy::valid(c));
}

PS_TEST(policy_shuts_down_after_the_debounce_in_safe_order) {
  PowerPolicy p = running_policy();
  PS_CHECK(p.state() == PowerState::kRunning);
  PS_CHECK(run(p, 0.019f, 29) == PowerState::kRunning);  // 29 s < 30 s debounce
  PolicyInput in{0.019f, 3.6f, false};
  auto out = p.update(in, 1.0f);
  PS_CHECK(out.state == PowerState::kQuiesce);
  PS_CHECK(!out.loads_allowed && out.main_switch_on && !out.save_state);
  out = p.update(in, 0.1f);
  PS_CHECK(out.state == PowerState::kSaving && out.save_state && out.main_switch_on);
  in.save_done = true;
  out = p.update(in, 0.1f);
  // The switch is released only after the save, with the wake comparator armed.
  PS_CHECK(out.state == PowerState::kOff && !out.main_switch_on && out.arm_wake);
}

PS_TEST(policy_ignores_bursts_and_noise_at_the_threshold) {
  PowerPolicy p = running_policy();
  // A 5 s dip every 20 s (Wi-Fi bursts seen through a voltage estimate) for an hour.
  for (int k = 0; k < 180; ++k) {
    PS_CHECK(run(p, 0.015f, 5) == PowerState::kRunning);
    PS_CHECK(run(p, 0.03f, 15) == PowerState::kRunning);
  }
  // Noise inside the re-arm band does not restart the timer: the shutdown still comes.
  PowerPolicy q = running_policy();
  int t = 0;
  while (q.state() == PowerState::kRunning && t < 1000) {
    (void)run(q, (t % 2) != 0 ? 0.019f : 0.022f, 1);
    ++t;
  }
  PS_CHECK(q.state() == PowerState::kQuiesce);
  PS_CHECK(t >= 59 && t <= 62);  // 30 s below the threshold in alternate seconds
}

PS_TEST(policy_voltage_floor_and_nan_trip) {
  PowerPolicy p = running_policy();
  PS_CHECK(run(p, 0.5f, 1, 3.0f) == PowerState::kRunning);  // 2 s floor debounce
  PS_CHECK(run(p, 0.5f, 1, 3.0f) == PowerState::kQuiesce);
  PowerPolicy q = running_policy();
  PS_CHECK(run(q, std::nanf(""), 30) == PowerState::kQuiesce);
}

PS_TEST(policy_boot_hysteresis_prevents_oscillation) {
  PowerPolicy p = running_policy();
  (void)run(p, 0.01f, 40);
  PS_CHECK(p.state() == PowerState::kOff);
  // The cell recovers a little at rest (reads 3 %): a wake must not restart the device.
  for (int k = 0; k < 10; ++k) {
    p.wake();
    PS_CHECK(p.state() == PowerState::kBoot);
    const auto out = p.update({0.03f, 3.6f, false}, 0.1f);
    PS_CHECK(out.state == PowerState::kOff && !out.loads_allowed && !out.save_state);
  }
  p.wake();
  PS_CHECK(run(p, 0.8f, 1) == PowerState::kRunning);
}
