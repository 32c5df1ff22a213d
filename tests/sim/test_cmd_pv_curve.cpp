// `powerstack pv-curve` through run_cli: JSON shape and values, the example datasheet, text
// output, and one line on err with exit code 1 (bad input) or 2 (usage) for errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
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

CliResult run(std::vector<std::string> args) {
  return test_support::run_powerstack({"pv-curve"}, args);
}

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

const std::string kExample =
    (fs::path(POWERSTACK_SOURCE_DIR) / "examples/panels/72cell-400w.toml").string();

class PvCurveCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pv_curve_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  // A datasheet with one line replaced (or appended when `key` is absent).
  std::string datasheet_with(const std::string& key, const std::string& line) {
    const std::vector<std::string> base = {"isc_a = 10.32",
                                           "voc_v = 49.6",
                                           "imp_a = 9.76",
                                           "vmp_v = 41.0",
                                           "alpha_isc_per_k = 0.00048",
                                           "beta_voc_per_k = -0.0028",
                                           "cells_in_series = 72"};
    std::string text;
    bool replaced = false;
    for (const auto& l : base) {
      const bool match = !key.empty() && l.rfind(key + " ", 0) == 0;
      replaced = replaced || match;
      if (!match) {
        text += l + "\n";
      } else if (!line.empty()) {
        text += line + "\n";
      }
    }
    if (!replaced && !line.empty()) {
      text += line + "\n";
    }
    return write("ds.toml", text);
  }
  // Exit code 1, nothing on out, exactly one line on err that contains every `needle`.
  static void expect_bad_input(const CliResult& r, std::initializer_list<const char*> needles) {
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(lines(r.err), 1U) << r.err;
    for (const char* n : needles) {
      EXPECT_NE(r.err.find(n), std::string::npos) << "missing '" << n << "' in: " << r.err;
    }
  }

  fs::path dir_;
};

TEST_F(PvCurveCommand, JsonFromFiveParametersMatchesPvlib) {
  const CliResult r =
      run({"--il", "7", "--i0", "6e-7", "--rs", "0.1", "--rsh", "20", "--nnsvth", "0.5", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(lines(r.out), 1U);
  const auto doc = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) {
    keys.push_back(k);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"isc", "voc", "imp", "vmp", "pmp", "curve"}));
  EXPECT_NEAR(doc["isc"].get<double>(), 6.965172322, 1e-6);
  EXPECT_NEAR(doc["voc"].get<double>(), 8.106300147, 1e-6);
  EXPECT_NEAR(doc["imp"].get<double>(), 6.136267360, 1e-6);
  EXPECT_NEAR(doc["vmp"].get<double>(), 6.224339375, 1e-6);
  EXPECT_NEAR(doc["pmp"].get<double>(), 38.19421055, 1e-6);
  const auto& curve = doc["curve"];
  ASSERT_EQ(curve.size(), 50U);
  EXPECT_EQ(curve[0][0].get<double>(), 0.0);
  EXPECT_NEAR(curve[0][1].get<double>(), 6.965172322, 1e-6);
  EXPECT_NEAR(curve[49][0].get<double>(), 8.106300147, 1e-6);
  EXPECT_NEAR(curve[49][1].get<double>(), 0.0, 1e-9);
}

TEST_F(PvCurveCommand, ExampleDatasheetReproducesItsValues) {
  const CliResult r = run({"--datasheet", kExample, "--json", "--points", "7"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_NEAR(doc["isc"].get<double>() / 10.32, 1.0, 1e-4);
  EXPECT_NEAR(doc["voc"].get<double>() / 49.6, 1.0, 1e-4);
  EXPECT_NEAR(doc["imp"].get<double>() / 9.76, 1.0, 1e-4);
  EXPECT_NEAR(doc["vmp"].get<double>() / 41.0, 1.0, 1e-4);
  EXPECT_EQ(doc["curve"].size(), 7U);
  // Hot and dimmer: about 0.8 Isc (plus alpha), lower voltage and power.
  const CliResult hot =
      run({"--datasheet", kExample, "--json", "--irradiance", "800", "--temp-c", "45"});
  ASSERT_EQ(hot.code, 0) << hot.err;
  const auto h = nlohmann::json::parse(hot.out);
  EXPECT_NEAR(h["isc"].get<double>(), 0.8 * 10.32 * (1.0 + 0.00048 * 20.0), 0.01);
  EXPECT_LT(h["voc"].get<double>(), 49.6 * (1.0 - 0.0028 * 20.0));
  EXPECT_LT(h["pmp"].get<double>(), 0.8 * 400.16);
}

TEST_F(PvCurveCommand, TextOutput) {
  const CliResult r = run({"--datasheet", kExample, "--points", "5"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  for (const char* s : {"Isc", "Voc", "Imp", "Vmp", "Pmp", "400.16", "fitted n", "V [V]"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s << " in\n" << r.out;
  }
  EXPECT_EQ(r.out.find("-0.0000"), std::string::npos);
  // Header, model, blank, 5 values, blank, column titles, 5 points.
  EXPECT_EQ(lines(r.out), 15U) << r.out;
}

TEST_F(PvCurveCommand, ModeAndValueErrors) {
  expect_bad_input(run({}), {"--datasheet", "--il"});
  expect_bad_input(run({"--il", "7", "--i0", "6e-7"}), {"missing", "--rs", "--rsh", "--nnsvth"});
  expect_bad_input(run({"--il", "7", "--i0", "6e-7", "--rs", "0.1", "--rsh", "20", "--nnsvth",
                        "0.5", "--datasheet", kExample}),
                   {"not both"});
  expect_bad_input(
      run({"--il", "7", "--i0", "6e-7", "--rs", "0.1", "--rsh", "0", "--nnsvth", "0.5"}),
      {"--rsh", "positive"});
  expect_bad_input(
      run({"--il", "7", "--i0", "-1", "--rs", "0.1", "--rsh", "20", "--nnsvth", "0.5"}),
      {"--i0", "positive"});
  expect_bad_input(run({"--il", "7", "--i0", "6e-7", "--rs", "0.1", "--rsh", "20", "--nnsvth",
                        "0.5", "--irradiance", "500"}),
                   {"--irradiance", "--datasheet"});
  expect_bad_input(run({"--datasheet", kExample, "--irradiance", "-5"}), {"--irradiance"});
  expect_bad_input(run({"--datasheet", kExample, "--points", "1"}), {"--points"});
}

TEST_F(PvCurveCommand, DatasheetErrorsNameFileLineAndKey) {
  expect_bad_input(run({"--datasheet", (dir_ / "absent.toml").string()}),
                   {"cannot read", "absent.toml"});
  expect_bad_input(run({"--datasheet", dir_.string()}), {"cannot read"});
  const std::string bad = write("bad.toml", "isc_a = 10\nvoc_v = = 49\n");
  expect_bad_input(run({"--datasheet", bad}), {"bad.toml:2:"});
  expect_bad_input(run({"--datasheet", datasheet_with("cells_in_series", "")}),
                   {"ds.toml", "'cells_in_series'", "missing"});
  expect_bad_input(run({"--datasheet", datasheet_with("vmp_v", "vmp_v = -41")}),
                   {"ds.toml:4:", "'vmp_v'", "positive"});
  expect_bad_input(run({"--datasheet", datasheet_with("isc_a", "isc_a = \"ten\"")}),
                   {"ds.toml:1:", "'isc_a'", "number"});
  expect_bad_input(run({"--datasheet", datasheet_with("beta_voc_per_k", "beta_voc_per_k = -0.28")}),
                   {"ds.toml:6:", "'beta_voc_per_k'", "%/K"});
  expect_bad_input(run({"--datasheet", datasheet_with("", "pmax_w = 400")}),
                   {"ds.toml:8:", "'pmax_w'", "unknown key"});
  expect_bad_input(run({"--datasheet", datasheet_with("imp_a", "imp_a = 11")}),
                   {"ds.toml", "'imp_a'", "isc_a"});
  // Consistent keys but no diode curve through them (fill factor ~0.94).
  expect_bad_input(run({"--datasheet", datasheet_with("vmp_v", "vmp_v = 48.5")}),
                   {"ds.toml", "cannot fit"});
}

TEST_F(PvCurveCommand, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run({"--il", "abc"}).code, 2);
  EXPECT_EQ(run({"--no-such-option"}).code, 2);
  EXPECT_EQ(run({"--points", "many"}).code, 2);
}

}  // namespace
}  // namespace powerstack::app
