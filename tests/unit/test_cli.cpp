// The `powerstack` command line through run_cli: exit codes, what goes to out and err, and the
// JSON files it writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "powerstack/app/cli.hpp"
#include "support/cli_run.hpp"

namespace powerstack::app {
namespace {

namespace fs = std::filesystem;

using test_support::CliResult;

CliResult run(std::initializer_list<std::string> args) {
  return test_support::run_powerstack({}, args);
}

std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  ASSERT_TRUE(f.good()) << path;
}

// A fresh directory per test (tests may run as parallel processes under ctest).
class CliFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("powerstack_cli_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

constexpr const char* kGoodTrace =
    "# powerstack-adc-trace 1\n"
    "# adc bits=12 vref_v=3.3 margin_counts=2\n"
    "# channel name=v_bat quantity=voltage front_end=divider r_top_ohm=100000 "
    "r_bottom_ohm=10000 min_v=20 max_v=30\n"
    "# channel name=i_bat quantity=current front_end=shunt r_shunt_ohm=0.002 gain=50 "
    "offset_v=1.65 min_a=-2 max_a=15\n"
    "# port name=battery voltage=v_bat current=i_bat current_positive=into\n"
    "t_ms,v_bat,i_bat\n"
    "0,3040,3162\n"
    "10,3041,3160\n"
    "20,3039,3165\n"
    "30,3040,3161\n";

TEST(Cli, VersionPrintsNameAndVersion) {
  const CliResult r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.out, "powerstack 0.1.0")) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(Cli, HelpListsSubcommands) {
  const CliResult r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.out, "measure")) << r.out;
  EXPECT_TRUE(contains(r.out, "bench")) << r.out;
}

TEST(Cli, SubcommandHelp) {
  const CliResult r = run({"measure", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.out, "--json")) << r.out;
}

TEST(Cli, NoSubcommandIsAUsageError) {
  const CliResult r = run({});
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST(Cli, UnknownSubcommandOrOptionIsAUsageError) {
  EXPECT_EQ(run({"frobnicate"}).code, 2);
  EXPECT_EQ(run({"measure", "x.csv", "--no-such-option"}).code, 2);
  EXPECT_EQ(run({"measure"}).code, 2);  // the trace argument is required
  EXPECT_EQ(run({"measure", "x.csv", "--max-gap-s", "-1"}).code, 2);
}

TEST(Cli, MeasureMissingFile) {
  const CliResult r = run({"measure", "missing-file.csv"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_TRUE(contains(r.err, "missing-file.csv")) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot open")) << r.err;
}

TEST_F(CliFiles, MeasureMalformedTrace) {
  const std::string trace = path("bad.csv");
  std::string text = kGoodTrace;
  text += "40,3040,99999\n";  // line 11: beyond the 12-bit ADC
  write_file(trace, text);
  const CliResult r = run({"measure", trace});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_TRUE(contains(r.err, trace)) << r.err;
  EXPECT_TRUE(contains(r.err, "line 11:")) << r.err;
  EXPECT_TRUE(contains(r.err, "exceeds the 12-bit ADC's 4095")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(CliFiles, MeasureNotATrace) {
  const std::string trace = path("binary.csv");
  constexpr char kElf[] =
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\n\x01\x02";
  write_file(trace, std::string(kElf, sizeof(kElf) - 1));
  const CliResult r = run({"measure", trace});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_TRUE(contains(r.err, "line 1: not a powerstack ADC trace")) << r.err;
}

TEST(Cli, BenchListNamesTheMeasurementSuite) {
  const CliResult r = run({"bench", "--list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.out, "measurement")) << r.out;
}

TEST(Cli, BenchWithoutNameIsAUsageError) {
  const CliResult r = run({"bench"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.err, "--list")) << r.err;
}

TEST(Cli, BenchUnknownSuite) {
  const CliResult r = run({"bench", "nosuch"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_TRUE(contains(r.err, "unknown suite 'nosuch'")) << r.err;
}

TEST_F(CliFiles, BenchMeasurementWritesJson) {
  const std::string json_path = path("bench.json");
  const CliResult r = run({"bench", "measurement", "--json", json_path});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "suite measurement")) << r.out;
  const nlohmann::json doc = nlohmann::json::parse(read_file(json_path));
  EXPECT_EQ(doc.at("suite"), "measurement");
  ASSERT_TRUE(doc.at("rows").is_array());
  ASSERT_FALSE(doc.at("rows").empty());
  for (const auto& row : doc.at("rows")) {
    EXPECT_TRUE(row.is_object());
    EXPECT_TRUE(row.contains("component")) << row.dump();
  }
}

TEST_F(CliFiles, MeasureGoodTraceWritesJson) {
  const std::string trace = path("good.csv");
  const std::string json_path = path("summary.json");
  write_file(trace, kGoodTrace);
  const CliResult r = run({"measure", trace, "--json", json_path});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_TRUE(contains(r.out, "4 samples")) << r.out;
  EXPECT_TRUE(contains(r.out, "v_bat")) << r.out;
  EXPECT_TRUE(contains(r.out, "port battery")) << r.out;
  EXPECT_TRUE(contains(r.out, "report: " + json_path)) << r.out;

  const nlohmann::json doc = nlohmann::json::parse(read_file(json_path));
  EXPECT_EQ(doc.at("trace"), trace);
  EXPECT_EQ(doc.at("rows"), 4);
  EXPECT_NEAR(doc.at("duration_s").get<double>(), 0.03, 1e-9);
  EXPECT_NEAR(doc.at("interval_ms").at("mean").get<double>(), 10.0, 1e-9);

  const auto& channels = doc.at("channels");
  ASSERT_TRUE(channels.is_array());
  ASSERT_EQ(channels.size(), 2U);
  EXPECT_EQ(channels[0].at("name"), "v_bat");
  EXPECT_EQ(channels[0].at("unit"), "V");
  EXPECT_EQ(channels[0].at("ok"), 4);
  // 3040 counts * 3.3 V / 4095 * 11 = 26.95 V
  EXPECT_NEAR(channels[0].at("mean").get<double>(), 26.95, 0.01);
  EXPECT_EQ(channels[1].at("name"), "i_bat");
  EXPECT_EQ(channels[1].at("unit"), "A");
  EXPECT_EQ(channels[1].at("ok"), 4);

  const auto& ports = doc.at("ports");
  ASSERT_TRUE(ports.is_array());
  ASSERT_EQ(ports.size(), 1U);
  EXPECT_EQ(ports[0].at("name"), "battery");
  EXPECT_GT(ports[0].at("energy_into_element_wh").get<double>(), 0.0);
  EXPECT_EQ(ports[0].at("gaps"), 0);
  EXPECT_TRUE(ports[0].contains("resistance_status"));
}

TEST_F(CliFiles, MeasureToUnwritableJsonPath) {
  const std::string trace = path("good.csv");
  write_file(trace, kGoodTrace);
  const CliResult r = run({"measure", trace, "--json", "/nonexistent-dir/x.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write '/nonexistent-dir/x.json'")) << r.err;
}

TEST(Cli, BenchToUnwritableJsonPath) {
  const CliResult r = run({"bench", "measurement", "--json", "/nonexistent-dir/x.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write '/nonexistent-dir/x.json'")) << r.err;
}

}  // namespace
}  // namespace powerstack::app
