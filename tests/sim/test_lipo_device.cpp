// The seed-002 device twin: closed forms of its circuits, ngspice on the hold-over circuit,
// and the power manager running against it (shutdown at 2 %, bursts, wake, no oscillation).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "powerstack/app/soc_bench.hpp"
#include "sim/scenario/lipo_device_scenario.hpp"
#include "sim/systems/lipo_device.hpp"
#include "sim/systems/lipo_device_run.hpp"

namespace powerstack::sim {
namespace {

TEST(LipoDevice, ComparatorThresholdsMatchTheResistorNetwork) {
  const LipoDeviceConfig c;
  const ComparatorThresholds th = comparator_thresholds(c);
  // Output low: 3.6 V x 1.1 M / 1 M. Output high: IN+ = (V/100k + 3.3/1.01M) / (1/100k +
  // 1/1.01M) = 3.6 V -> V = 3.6 + (3.6 - 3.3) x 100k / 1.01M.
  EXPECT_NEAR(th.rise_v, 3.96, 1e-9);
  EXPECT_NEAR(th.fall_v, 3.6 + 0.3 * 100e3 / 1.01e6, 1e-9);
}

// Hold-over: battery removed, the supercapacitor feeds only the ~10 k detector through
// nothing else (D1 blocks): V(t) = V0 e^(-t / RC).
double holdover_on_twin_s(double v0_v, double v_end_v) {
  LipoDeviceConfig c;
  c.d1_drop_v = 4.2 - v0_v;  // the cap starts at v0 with a full cell
  c.spread = {0.0, 0.0, 0.0};
  LipoDevice device(c);
  device.remove_battery();
  double t = 0.0;
  const double v_start = device.v_super_v();
  EXPECT_NEAR(v_start, v0_v, 1e-9);
  while (device.v_super_v() > v_end_v && t < 1000.0) {
    device.step(t, 0.01);
    t += 0.01;
  }
  return t;
}

TEST(LipoDevice, SupercapHoldoverMatchesClosedForm) {
  // Seed 002's own figure: 4.2 V to 3.6 V through 10 k from 0.1 F: 1000 ln(4.2/3.6) = 154 s
  // (the seed rounds it to ~151 s / 2.5 min).
  const double closed = 1000.0 * std::log(4.2 / 3.6);
  EXPECT_NEAR(closed, 154.15, 0.01);
  EXPECT_NEAR(holdover_on_twin_s(4.2, 3.6), closed, 0.02);
  // With D1's 0.3 V drop the cap only reaches 3.9 V: 80 s.
  EXPECT_NEAR(holdover_on_twin_s(3.9, 3.6), 1000.0 * std::log(3.9 / 3.6), 0.02);
}

TEST(LipoDevice, SupercapHoldoverAgreesWithNgspice) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("powerstack_ngspice_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto cir = dir / "holdover.cir";
  const auto out = dir / "out.txt";
  {
    std::ofstream f(cir);
    f << "seed 002 supercap hold-over\n"
         "C1 n 0 0.1 IC=4.2\n"
         "R1 n 0 10k\n"
         ".tran 0.1 300 UIC\n"
         ".meas tran tcross WHEN v(n)=3.6 FALL=1\n"
         ".end\n";
  }
  const std::string cmd = "ngspice -b " + cir.string() + " > " + out.string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "ngspice missing? (scripts/setup installs it)";
  std::ifstream in(out);
  std::string line;
  double t_spice = -1.0;
  while (std::getline(in, line)) {
    const auto pos = line.find("tcross");
    if (pos != std::string::npos && line.find('=') != std::string::npos) {
      t_spice = std::stod(line.substr(line.find('=') + 1));
    }
  }
  std::filesystem::remove_all(dir);
  ASSERT_GT(t_spice, 0.0) << "no tcross in the ngspice output";
  EXPECT_NEAR(t_spice, 1000.0 * std::log(4.2 / 3.6), 0.2);
  EXPECT_NEAR(holdover_on_twin_s(4.2, 3.6), t_spice, 0.2);
}

TEST(LipoDevice, SleepBudgetFailsTheSeedGoalAndMatchesTheTwin) {
  const LipoDeviceConfig c;
  double off = 0.0;
  for (const auto& it : off_budget(c, 3.7)) {
    off += it.i_a;
  }
  // Divider 3.7/49k + detector 3.4/10k + comparator input 3.7/1.1M + 2.6 uA.
  EXPECT_NEAR(off, 3.7 / 49e3 + 3.4 / 10e3 + 3.7 / 1.1e6 + 2.6e-6, 1e-12);
  double sleep = 0.0;
  for (const auto& it : deep_sleep_budget(c, 3.7)) {
    sleep += it.i_a;
  }
  EXPECT_GT(sleep, 10e-6);  // the seed's < 10 uA goal is not met by its own circuit
  EXPECT_NEAR(sleep - off, 10e-6 + 5e-3, 1e-12);
  // The twin, switched off at ~3.7 V, draws what the budget says (within the ~0.5 %
  // voltage difference of its cell over the window).
  LipoDeviceConfig c2 = c;
  c2.initial_soc = 0.4;
  c2.spread = {0.0, 0.0, 0.0};
  LipoDevice device(c2);
  device.power_off();
  for (int k = 0; k < 6000; ++k) {
    device.step(k * 0.01, 0.01);
  }
  double expect = 0.0;
  for (const auto& it : off_budget(c2, device.v_bat_v())) {
    expect += it.i_a;
  }
  EXPECT_NEAR(device.off_charge_ah() * 3600.0 / device.off_time_s(), expect, 0.01 * expect);
}

// A device whose divider suits the ESP32 ADC and whose regulator keeps the ESP32 alive to
// 3.4 V (the seed's 10k/39k and AMS1117 do neither, see docs/power-manager.md).
LipoDeviceRunSpec workable_device(double initial_soc) {
  LipoDeviceRunSpec s;
  s.device.capacity_ah = 0.25;  // a small cell: the discharge takes simulated hours, not days
  s.device.initial_soc = initial_soc;
  s.device.r_top_ohm = 100e3;
  s.device.r_bottom_ohm = 100e3;
  s.device.regulator.v_dropout_v = 0.1;
  s.device.regulator.r_dropout_ohm = 0.5;
  s.device.seed = 7;
  s.duration_s = 4.0 * 3600.0;
  return s;
}

TEST(LipoDevice, ShutsDownAtTwoPercentNotOnBurstsAndWakesOnANewBattery) {
  LipoDeviceRunSpec s = workable_device(0.10);
  const double t_remove = 3.0 * 3600.0;
  s.events = {{t_remove, "remove_battery", 0.0, 1.0},
              {t_remove + 60.0, "insert_battery", 0.95, 1.0}};
  const LipoDeviceRunResult r = run_lipo_device(s);
  ASSERT_EQ(r.shutdown_true_soc.size(), 1U) << "exactly one shutdown (none on a burst)";
  // Stated tolerance: 2 % +- 1.5 % (voltage-only estimate through a +-60 mV ADC on the knee).
  EXPECT_NEAR(r.shutdown_true_soc[0], 0.02, 0.015);
  EXPECT_EQ(r.brownouts, 0U);
  EXPECT_EQ(r.adc_out_of_range, 0U);
  ASSERT_EQ(r.wake_latency_s.size(), 1U);
  std::printf("shutdown at true SOC %.2f %%, wake latency %.2f s\n", 100.0 * r.shutdown_true_soc[0],
              r.wake_latency_s[0]);
  // Stated latency: comparator input filter (~0.1 s) + boot 0.3 s + one control period.
  EXPECT_LT(r.wake_latency_s[0], 1.5);
  // With the old cell at ~3.4 V the supercapacitor sits at ~3.1 V (D1 drop): below the seed's
  // 3.6 V hold-over threshold from the moment of removal. The detector (LM393, >= 2 V) still
  // works through the 60 s swap, which the wake above shows.
  ASSERT_EQ(r.holdover_s.size(), 1U);
  EXPECT_LT(r.holdover_s[0], 0.1);
}

TEST(LipoDevice, NoOscillationWhenTheOldCellRecoversAtRest) {
  // A cell at 2.5 %: after the shutdown it relaxes upward; the device must stay off.
  LipoDeviceRunSpec s = workable_device(0.04);
  s.duration_s = 2.0 * 3600.0;
  const LipoDeviceRunResult r = run_lipo_device(s);
  EXPECT_EQ(r.power_offs, 1U);
  EXPECT_EQ(r.shutdown_true_soc.size(), 1U);
}

TEST(LipoDevice, SeedDividerReadsOutsideTheAdcRange) {
  LipoDeviceRunSpec s = workable_device(0.9);
  s.device.r_top_ohm = 10e3;
  s.device.r_bottom_ohm = 39e3;
  s.duration_s = 60.0;
  const LipoDeviceRunResult r = run_lipo_device(s);
  // 0.796 x 4.1 V is above the 2450 mV usable top: the reading is refused, the firmware
  // cannot know the SOC at boot and keeps the device off (fail safe).
  EXPECT_GE(r.adc_out_of_range, 1U);
  EXPECT_EQ(r.power_offs, 1U);
}

TEST(SocBench, SmokeRunHasOneRowPerMethod) {
  app::SocBenchOptions o;
  o.cells = 2;
  o.capacity_ah = 0.05;
  o.step_s = 0.5;
  const nlohmann::json rows = app::run_soc_bench(o);
  ASSERT_EQ(rows.size(), 5U);
  int voltage_rows = 0;
  for (const auto& row : rows) {
    ASSERT_TRUE(row.contains("method") && row.contains("rms_error_pct") &&
                row.contains("max_error_pct"));
    EXPECT_GE(row["max_error_pct"].get<double>(), row["rms_error_pct"].get<double>());
    voltage_rows += row["method"].get<std::string>().find("voltage") != std::string::npos;
  }
  EXPECT_GE(voltage_rows, 1);
}

}  // namespace
}  // namespace powerstack::sim

namespace powerstack::sim {
namespace {

TEST(LipoDeviceScenario, ExampleParsesAndErrorsNameFileAndLine) {
  const std::string example = POWERSTACK_SOURCE_DIR "/examples/scenarios/lipo-device-swap.toml";
  const LipoDeviceParseResult ok = read_lipo_device_scenario(example);
  ASSERT_TRUE(ok.scenario.has_value()) << ok.error;
  EXPECT_EQ(ok.scenario->run.events.size(), 4U);
  EXPECT_DOUBLE_EQ(ok.scenario->run.device.r_top_ohm, 100e3);
  EXPECT_EQ(scenario_system(example), "lipo-device");

  const LipoDeviceParseResult bad = parse_lipo_device_scenario(
      "[scenario]\nsystem = \"lipo-device\"\nduration_s = 10\n[policy]\nshutdown_soc = 0.1\n"
      "resume_soc = 0.05\n",
      "x.toml");
  ASSERT_FALSE(bad.scenario.has_value());
  EXPECT_EQ(bad.error.rfind("x.toml:6: 'policy.resume_soc'", 0), 0U) << bad.error;
  const LipoDeviceParseResult typo = parse_lipo_device_scenario(
      "[scenario]\nsystem = \"lipo-device\"\nduration_s = 10\n[battery]\ncapacity = 4\n", "y.toml");
  ASSERT_FALSE(typo.scenario.has_value());
  EXPECT_NE(typo.error.find("capacity"), std::string::npos) << typo.error;
  const LipoDeviceParseResult other =
      parse_lipo_device_scenario("[scenario]\nsystem = \"solar-charger\"\nduration_s = 1\n", "z");
  EXPECT_FALSE(other.scenario.has_value());
}

}  // namespace
}  // namespace powerstack::sim
