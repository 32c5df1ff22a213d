// `powerstack simulate` through run_cli: a short scenario gives a summary with its events, a
// probe CSV and an HTML report; the CSV is the same byte for byte on a second run; bad input
// gives exit code 1 and one line on err.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "powerstack/app/cli.hpp"
#include "support/cli_run.hpp"

namespace powerstack::app {
namespace {

namespace fs = std::filesystem;

using test_support::CliResult;

CliResult run(std::vector<std::string> args) {
  return test_support::run_powerstack({"simulate"}, args);
}

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Two simulated seconds at a 1 ms plant step, constant sun, three events.
const std::string kScenario = R"([scenario]
name = "short cli run"
system = "solar-charger"
duration_s = 2
plant_step_s = 0.001
seed = 5

[pv.datasheet]
isc_a = 10.32
voc_v = 49.6
imp_a = 9.76
vmp_v = 41.0
alpha_isc_per_k = 0.00048
beta_voc_per_k = -0.0028
cells_in_series = 72

[weather]
irradiance = "constant"
irradiance_w_m2 = 800
ambient_c = 25

[battery]
chemistry = "lifepo4"
cells = 8
capacity_ah = 100
initial_soc = 0.5

[load]
power_w = 10

[controller]
duty = 0.66
period_s = 0.01

[[events]]
t_s = 0.5
action = "set_load"
load_w = 30

[[events]]
t_s = 1.0
action = "battery_cut"

[[events]]
t_s = 1.5
action = "battery_reconnect"

[output]
probes = ["v_pv", "p_pv", "v_bat", "i_bat"]
probe_period_s = 0.05
csv = "short.csv"
html = "short.html"
)";

class SimulateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("simulate_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  // Exit code 1, nothing on out, exactly one line on err that contains every `needle`.
  static void expect_bad_input(const CliResult& r, const std::vector<std::string>& needles) {
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(lines(r.err), 1U) << r.err;
    EXPECT_EQ(r.err.rfind("powerstack: ", 0), 0U) << r.err;
    for (const auto& n : needles) {
      EXPECT_NE(r.err.find(n), std::string::npos) << "missing '" << n << "' in: " << r.err;
    }
  }

  fs::path dir_;
};

TEST_F(SimulateCommand, WritesSummaryCsvAndReport) {
  const std::string scenario = write("short.toml", kScenario);
  const fs::path out = dir_ / "out" / "nested";  // created with its parents
  const CliResult r = run({scenario, "--out", out.string(), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");

  EXPECT_EQ(r.out.rfind("short cli run\n", 0), 0U) << r.out;
  for (const char* s :
       {"PV energy delivered", "battery energy in (net)", "converter losses", "wiring loss",
        "simulated time", "2.000 s at a 0.001 s plant step", "battery connected at end",
        "  events:\n", "       0.500 s  set_load 30 W\n", "       1.000 s  battery_cut\n",
        "       1.500 s  battery_reconnect\n"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << "'" << s << "' not in:\n" << r.out;
  }
  EXPECT_NE(r.out.find("  probes: " + (out / "short.csv").string() + "\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  report: " + (out / "short.html").string() + "\n"), std::string::npos)
      << r.out;
  // Energy flowed: the PV line is not zero.
  const std::size_t pv = r.out.find("PV energy delivered");
  ASSERT_NE(pv, std::string::npos);
  const std::string pv_line = r.out.substr(pv, r.out.find('\n', pv) - pv);
  EXPECT_EQ(pv_line.find(" 0.0000 Wh"), std::string::npos) << pv_line;

  const std::string csv = read(out / "short.csv");
  ASSERT_FALSE(csv.empty());
  EXPECT_EQ(csv.rfind("t_s,v_pv,p_pv,v_bat,i_bat\n", 0), 0U) << csv.substr(0, 80);
  // 0, 0.05, ..., 2.0 s: 41 rows after the header, each with five fields.
  EXPECT_EQ(lines(csv), 42U);
  std::istringstream rows(csv);
  std::string row;
  std::getline(rows, row);
  std::getline(rows, row);
  EXPECT_EQ(row.rfind("0,", 0), 0U) << row;
  EXPECT_EQ(std::count(row.begin(), row.end(), ','), 4) << row;
  std::string last;
  while (std::getline(rows, row)) {
    last = row;
  }
  EXPECT_EQ(last.rfind("2,", 0), 0U) << last;
  EXPECT_EQ(last.find(",,"), std::string::npos) << last;

  const std::string html = read(out / "short.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  std::size_t charts = 0;
  for (std::size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 4U);
  for (const char* s : {"<title>short cli run</title>", "battery_cut", "set_load 30 W",
                        "PV energy delivered", "</html>"}) {
    EXPECT_NE(html.find(s), std::string::npos) << s;
  }
}

TEST_F(SimulateCommand, SameScenarioTwiceGivesTheSameCsv) {
  const std::string scenario = write("short.toml", kScenario);
  const CliResult a = run({scenario, "--out", (dir_ / "a").string(), "--quiet"});
  const CliResult b = run({scenario, "--out", (dir_ / "b").string(), "--quiet"});
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  const std::string csv_a = read(dir_ / "a" / "short.csv");
  ASSERT_FALSE(csv_a.empty());
  EXPECT_TRUE(csv_a == read(dir_ / "b" / "short.csv")) << "the probe CSV differs between runs";
}

TEST_F(SimulateCommand, MissingFile) {
  const std::string absent = (dir_ / "absent.toml").string();
  expect_bad_input(run({absent, "--out", (dir_ / "out").string(), "--quiet"}),
                   {"cannot read '" + absent + "'"});
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(SimulateCommand, BadScenario) {
  const std::string bad = write(
      "bad.toml", std::string(kScenario).replace(kScenario.find("cells = 8"), 9, "cells = 0"));
  const CliResult r = run({bad, "--out", (dir_ / "out").string(), "--quiet"});
  const std::size_t line =
      1 + lines(kScenario.substr(0, kScenario.find("cells = 8")));  // of "cells = 0"
  expect_bad_input(r,
                   {bad + ":" + std::to_string(line) + ": 'battery.cells': 0 is outside 1 .. 64"});
  EXPECT_FALSE(fs::exists(dir_ / "out"));

  const std::string syntax = write("syntax.toml", "[scenario\nsystem = 1\n");
  expect_bad_input(run({syntax, "--out", (dir_ / "out").string(), "--quiet"}), {syntax + ":1:"});

  // Valid keys, but no diode curve goes through the datasheet points: the plant is refused.
  const std::string unfit =
      write("unfit.toml",
            std::string(kScenario).replace(kScenario.find("vmp_v = 41.0"), 12, "vmp_v = 48.5"));
  expect_bad_input(run({unfit, "--out", (dir_ / "out").string(), "--quiet"}), {unfit + ": "});
}

TEST_F(SimulateCommand, OutputDirectoryThatCannotBeCreated) {
  const std::string scenario = write("short.toml", kScenario);
  const std::string file = write("plain-file", "not a directory\n");
  const std::string out = file + "/sub";
  expect_bad_input(run({scenario, "--out", out, "--quiet"}), {"cannot create '" + out + "'"});
}

TEST_F(SimulateCommand, UsageErrors) {
  EXPECT_EQ(run({}).code, 2);
  EXPECT_EQ(run({"a.toml", "--no-such-option"}).code, 2);
}

}  // namespace
}  // namespace powerstack::app
