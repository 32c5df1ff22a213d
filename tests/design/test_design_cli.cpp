// `powerstack design check`: exit codes, the text summary and the JSON shape; the time-domain
// check and the tolerances on the seed designs.
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "design_test_util.hpp"
#include "powerstack/app/cli.hpp"

namespace powerstack::design::test {
namespace {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun run(std::vector<std::string> args) {
  args.insert(args.begin(), "powerstack");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::ostringstream out;
  std::ostringstream err;
  const int code = app::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

std::string example_path(const char* name) {
  return std::string(POWERSTACK_EXAMPLE_DESIGNS) + "/" + name + "/design.toml";
}

TEST(DesignCli, CleanDesignExitsZero) {
  const CliRun r = run({"design", "check", example_path("seed-003-knx-tank"), "--no-tolerance"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("OK: 0 errors"), std::string::npos) << r.out;
}

TEST(DesignCli, ErrorsExitThree) {
  const CliRun r =
      run({"design", "check", example_path("seed-002-power-manager"), "--no-tolerance"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.out.find("[adc-range] VBAT_DIV"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos);
}

TEST(DesignCli, BadFileExitsOneWithTheLine) {
  const std::string path = ::testing::TempDir() + "/bad_design.toml";
  {
    std::ofstream f(path);
    f << "[device]\nname = \"x\"\nmodes = [\"a\"]\n[[load]]\nname = \"L\"\nrail = \"nowhere\"\n"
         "modes = { a = 1 }\n";
  }
  const CliRun r = run({"design", "check", path});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path + ":4: 'load.rail': nothing drives rail 'nowhere'"), std::string::npos)
      << r.err;
}

TEST(DesignCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run({"design", "check"}).code, 2);
  EXPECT_EQ(run({"design"}).code, 2);
}

TEST(DesignCli, JsonShape) {
  const CliRun r =
      run({"design", "check", example_path("seed-004-doorbell"), "--json", "--no-tolerance"});
  EXPECT_EQ(r.code, 3);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("designs").size(), 3U);
  EXPECT_EQ(j.at("comparison").size(), 3U);
  EXPECT_TRUE(j.at("designs")[0].at("figures").at("storage.SC.c_f").is_number());
  ASSERT_FALSE(j.at("findings").empty());
  for (const auto& f : j.at("findings")) {
    for (const char* k : {"rule", "severity", "component", "message", "alternative"}) {
      EXPECT_TRUE(f.contains(k)) << k;
    }
  }
  EXPECT_GT(j.at("errors").get<int>(), 0);
  EXPECT_DOUBLE_EQ(j.at("comparison")[0].at("cost_eur").get<double>(), 15.0);
}

TEST(DesignCli, HtmlReportIsWritten) {
  const std::string path = ::testing::TempDir() + "/design_report.html";
  const CliRun r = run(
      {"design", "check", example_path("seed-003-knx-tank"), "--report", path, "--no-tolerance"});
  EXPECT_EQ(r.code, 0);
  std::ifstream f(path);
  const std::string html((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("rail vfilt"), std::string::npos);
}

// The time-domain run of the KNX burst agrees with the quasi-static drop, and the doorbell's
// supercap rides through the 3 s gong drop-out while the Li-Po option's load browns out.
TEST(DesignCli, SpiceWritesANetlistOrSaysWhyNot) {
  const std::string out = ::testing::TempDir() + "/seed004.cir";
  const CliRun ok = run({"design", "spice", example_path("seed-004-doorbell"), "--alternative",
                         "supercap", "--holdup", "SC", "-o", out});
  EXPECT_EQ(ok.code, 0) << ok.err;
  std::ifstream f(out);
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(".meas tran holdup_1 WHEN v(n_v3v3)=3 FALL=1"), std::string::npos) << text;
  const CliRun stdout_run = run({"design", "spice", example_path("seed-003-knx-tank")});
  EXPECT_EQ(stdout_run.code, 0);
  EXPECT_NE(stdout_run.out.find(".tran "), std::string::npos);
  const CliRun which = run({"design", "spice", example_path("seed-004-doorbell")});
  EXPECT_EQ(which.code, 1);
  EXPECT_NE(which.err.find("choose one with --alternative"), std::string::npos) << which.err;
  const CliRun bat =
      run({"design", "spice", example_path("seed-002-power-manager"), "--holdup", "BAT"});
  EXPECT_EQ(bat.code, 1);
  EXPECT_NE(bat.err.find("'BAT' is a battery"), std::string::npos) << bat.err;
  EXPECT_EQ(run({"design", "spice"}).code, 2);
}

TEST(DesignTimeline, SeedEventsThroughThePlantModels) {
  // The burst at t = 0, from the tank at the 28 V the quasi-static figure starts from (later
  // the bus has topped the tank up towards 29 V).
  Design knx = example("seed-003-knx-tank").designs.at(0);
  knx.events.at(0).t_s = 0.0;
  const Network net(knx);
  const Timeline tl = run_timeline(net);
  double v_min = 1e9;
  for (const auto& tr : tl.rails) {
    if (tr.rail != "vfilt")
      continue;
    for (double v : tr.v)
      v_min = std::min(v_min, v);
  }
  const double drop = compute_figures(net).at("burst.ESP32-C6.TANK.drop_v");
  EXPECT_NEAR(28.0 - v_min, drop, 0.02 * drop);
  EXPECT_FALSE(tl.loads.at(0).browned_out);

  const DesignFile door = example("seed-004-doorbell");
  const Analysis sc = analyse(door.designs.at(0), {true, false});
  const Analysis lipo = analyse(door.designs.at(1), {true, false});
  ASSERT_TRUE(sc.timeline && lipo.timeline);
  EXPECT_FALSE(sc.timeline->loads.at(0).browned_out);
  EXPECT_GT(sc.timeline->loads.at(0).margin_v, 0.1);
  EXPECT_TRUE(lipo.timeline->loads.at(0).browned_out);
}

TEST(DesignTolerance, SeededAndBracketsTheNominal) {
  Design d = example("seed-002-power-manager").designs.at(0);
  d.mc.runs = 20;
  const ToleranceResult a = run_tolerance(d);
  const ToleranceResult b = run_tolerance(d);
  ASSERT_TRUE(a.figures.contains("divider.VBAT_DIV.ratio"));
  const Distribution& r = a.figures.at("divider.VBAT_DIV.ratio");
  EXPECT_DOUBLE_EQ(r.median, b.figures.at("divider.VBAT_DIV.ratio").median);
  EXPECT_LE(r.min, r.nominal);
  EXPECT_GE(r.max, r.nominal);
  // Inside the 1 % corner values of the ratio.
  EXPECT_GE(r.min, 39.0 * 0.99 / (39.0 * 0.99 + 10.0 * 1.01));
  EXPECT_LE(r.max, 39.0 * 1.01 / (39.0 * 1.01 + 10.0 * 0.99));
  d.mc.seed = 2;
  EXPECT_NE(run_tolerance(d).figures.at("divider.VBAT_DIV.ratio").median, r.median);
}

}  // namespace
}  // namespace powerstack::design::test
