// Each rule fires on a design that violates it and stays silent on a clean one.
#include <algorithm>
#include <string>

#include "design_test_util.hpp"

namespace powerstack::design::test {
namespace {

std::vector<Finding> findings_of(const std::string& text, const std::string& rule) {
  const Design d = parse_one(text);
  const Network net(d);
  std::vector<Finding> all = check_rules(net, compute_figures(net));
  std::vector<Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule; });
  return out;
}

std::string with(const std::string& from, const std::string& to, const std::string& extra = "") {
  std::string t = kBase;
  if (!from.empty()) {
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    t.replace(at, from.size(), to);
  }
  return t + extra;
}

bool has(const std::vector<Finding>& f, Severity s) {
  return std::any_of(f.begin(), f.end(), [s](const Finding& x) { return x.severity == s; });
}

TEST(DesignRules, CleanBaseHasNoFindings) {
  const Design d = parse_one(kBase);
  const Network net(d);
  const auto all = check_rules(net, compute_figures(net));
  for (const auto& f : all)
    ADD_FAILURE() << f.rule << ": " << f.message;
}

TEST(DesignRules, RegulatorHeadroom) {
  EXPECT_TRUE(findings_of(kBase, "regulator-headroom").empty());
  const auto f = findings_of(with("v_dropout_v = 0.3", "v_dropout_v = 1.6"), "regulator-headroom");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].component, "LDO");
  EXPECT_NE(f[0].message.find("4.90 V"), std::string::npos) << f[0].message;
}

TEST(DesignRules, ConverterUvlo) {
  const std::string buck = R"(
[[converter]]
name = "BUCK"
type = "buck"
in = "vbus"
out = "v18"
v_out_v = 1.8
efficiency = 0.9
v_in_min_v = VMIN
)";
  auto text = [&](const char* vmin) {
    std::string b = buck;
    b.replace(b.find("VMIN"), 4, vmin);
    return with("", "", b);
  };
  EXPECT_TRUE(findings_of(text("4.5"), "converter-uvlo").empty());
  const auto f = findings_of(text("4.9"), "converter-uvlo");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
}

TEST(DesignRules, AdcRange) {
  const char* div = R"(
[[divider]]
name = "DIV"
in = "vbus"
r_top_ohm = RTOP
r_bottom_ohm = 10e3
adc = "esp32:11db"
)";
  auto text = [&](const char* rtop) {
    std::string b = div;
    b.replace(b.find("RTOP"), 4, rtop);
    return with("", "", b);
  };
  EXPECT_TRUE(findings_of(text("20e3"), "adc-range").empty());
  const auto f = findings_of(text("10e3"), "adc-range");
  ASSERT_FALSE(f.empty());
  EXPECT_TRUE(has(f, Severity::kError));
}

TEST(DesignRules, VoltageRatingCapacitorAndSeriesBank) {
  auto cap = [](const char* rated, int series, const char* balance) {
    return with("", "",
                std::string("[[storage]]\nname = \"C\"\ntype = \"supercap\"\nrail = "
                            "\"vbus\"\nc_f = 1.0\nc_tolerance = 0.2\nv_rated_v = ") +
                    rated + "\nseries = " + std::to_string(series) + "\n" + balance);
  };
  EXPECT_TRUE(findings_of(cap("10", 1, ""), "voltage-rating").empty());
  EXPECT_TRUE(has(findings_of(cap("6.3", 1, ""), "voltage-rating"), Severity::kWarning));
  EXPECT_TRUE(has(findings_of(cap("5.0", 1, ""), "voltage-rating"), Severity::kError));
  // 2 x 2.7 V on 5.25 V: balanced with 1 % resistors 2.65 V per cell (above the 80 % derating),
  // unbalanced with 20 % capacitors the small one takes 3.15 V.
  EXPECT_FALSE(has(findings_of(cap("2.7", 2, "r_balance_ohm = 100\nr_balance_tolerance = 0.01"),
                               "voltage-rating"),
                   Severity::kError));
  EXPECT_TRUE(has(findings_of(cap("2.7", 2, ""), "voltage-rating"), Severity::kError));
}

TEST(DesignRules, GateDrive) {
  const char* sw = R"(
[[switch]]
name = "Q"
type = "pmos"
from = "vbus"
to = "vsw"
gate_high = "GATE"
v_th_min_v = 0.4
v_th_max_v = 1.0
v_gs_on_v = 2.5
)";
  auto text = [&](const char* gate) {
    std::string b = sw;
    b.replace(b.find("GATE"), 4, gate);
    return with("", "", b);
  };
  EXPECT_TRUE(findings_of(text("vbus"), "gate-drive").empty());
  const auto f = findings_of(text("v33"), "gate-drive");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_NE(f[0].message.find("does not turn off"), std::string::npos);
}

TEST(DesignRules, SourceLimit) {
  EXPECT_TRUE(findings_of(kBase, "source-limit").empty());
  const auto f = findings_of(with("run = 0.1", "run = 0.6"), "source-limit");
  ASSERT_EQ(f.size(), 2U);  // the USB port and the LDO
}

TEST(DesignRules, BusTankDrainsWhenSteadyLoadExceedsFanIn) {
  std::string knx = R"(
[device]
name = "k"
modes = ["rx"]
[[source]]
name = "BUS"
type = "bus"
out = "vf"
v_v = 29
i_max_a = 0.04
r_series_ohm = 10
[[storage]]
name = "T"
type = "capacitor"
rail = "vf"
c_f = 540e-6
v_rated_v = 35
v_initial_v = 28
[[converter]]
name = "DC"
type = "buck"
in = "vf"
out = "v3"
v_out_v = 3.3
efficiency = 0.85
[[load]]
name = "ESP"
rail = "v3"
modes = { rx = LOAD }
)";
  auto text = [&](const char* load) {
    std::string t = knx;
    t.replace(t.find("LOAD"), 4, load);
    return t;
  };
  EXPECT_TRUE(findings_of(text("0.085"), "source-limit").empty());
  EXPECT_TRUE(has(findings_of(text("0.4"), "source-limit"), Severity::kError));
}

TEST(DesignRules, BrownoutMargin) {
  EXPECT_TRUE(findings_of(kBase, "brownout-margin").empty());
  EXPECT_TRUE(has(findings_of(with("v_min_v = 3.0", "v_min_v = 3.25"), "brownout-margin"),
                  Severity::kWarning));
  EXPECT_TRUE(has(findings_of(with("v_min_v = 3.0", "v_min_v = 3.4"), "brownout-margin"),
                  Severity::kError));
}

TEST(DesignRules, StorageCombination) {
  const std::string bank =
      "[[storage]]\nname = \"C\"\ntype = \"supercap\"\nrail = \"vbus\"\n"
      "c_f = 1.0\nv_rated_v = 2.7\nseries = 3\n";
  EXPECT_FALSE(has(findings_of(with("", "", bank + "r_balance_ohm = 100\n"), "storage-combination"),
                   Severity::kWarning));
  EXPECT_TRUE(has(findings_of(with("", "", bank), "storage-combination"), Severity::kWarning));
}

TEST(DesignRules, BatteryLimits) {
  const std::string bat =
      "[[storage]]\nname = \"B\"\ntype = \"battery\"\nchemistry = \"lipo\"\n"
      "rail = \"vb\"\ncapacity_ah = 1.0\n";
  EXPECT_TRUE(findings_of(with("", "", bat), "battery-limits").empty());
  EXPECT_TRUE(has(findings_of(with("", "", bat + "v_full_v = 4.35\n"), "battery-limits"),
                  Severity::kError));
  EXPECT_TRUE(has(findings_of(with("", "", bat + "v_cutoff_v = 2.5\n"), "battery-limits"),
                  Severity::kError));
}

TEST(DesignRules, ComparatorInput) {
  const char* cmp = R"(
[[comparator]]
name = "CMP"
in = "vbus"
supply = "vbus"
v_ref_v = 5.0
r_in_ohm = 1e4
r_hyst_ohm = 1e7
v_cm_headroom_v = HEAD
)";
  auto text = [&](const char* head) {
    std::string b = cmp;
    b.replace(b.find("HEAD"), 4, head);
    return with("", "", b);
  };
  EXPECT_TRUE(findings_of(text("0.0"), "comparator-input").empty());
  EXPECT_TRUE(has(findings_of(text("1.5"), "comparator-input"), Severity::kError));
}

TEST(DesignRules, SleepCurrent) {
  const std::string req = "[requirements]\ni_sleep_max_a = 10e-6\n";
  EXPECT_TRUE(findings_of(with("", "", req), "sleep-current").empty());
  const auto f = findings_of(with("", "",
                                  req + "[[divider]]\nname = \"D\"\nin = \"vbus\"\n"
                                        "r_top_ohm = 20e3\nr_bottom_ohm = 10e3\n"
                                        "adc = \"esp32:11db\"\n"),
                             "sleep-current");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_NE(f[0].message.find("divider D"), std::string::npos) << f[0].message;
}

TEST(DesignRules, RideThrough) {
  auto text = [](const char* c) {
    return with("", "",
                std::string("[[storage]]\nname = \"C\"\ntype = \"capacitor\"\nrail = "
                            "\"vbus\"\nv_rated_v = 10\nc_f = ") +
                    c +
                    "\n[[event]]\ntype = \"dropout\"\nsource = \"USB\"\nt_s = 0.1\n"
                    "duration_s = 1.0\n");
  };
  EXPECT_TRUE(findings_of(text("1.0"), "ride-through").empty());
  EXPECT_TRUE(has(findings_of(text("1e-3"), "ride-through"), Severity::kError));
}

TEST(DesignRules, Claim) {
  auto text = [](const char* fig, const char* v) {
    return with("", "", std::string("[[claim]]\nfigure = \"") + fig + "\"\nvalue = " + v + "\n");
  };
  EXPECT_TRUE(findings_of(text("budget.run.loads.v33.i_a", "0.1"), "claim").empty());
  EXPECT_TRUE(
      has(findings_of(text("budget.run.loads.v33.i_a", "0.2"), "claim"), Severity::kWarning));
  EXPECT_TRUE(has(findings_of(text("no.such.figure", "1"), "claim"), Severity::kError));
}

// The seeds' real mistakes, found by the rules.
TEST(DesignRules, SeedMistakesAreFlagged) {
  auto rules_of = [](const Design& d) {
    const Network net(d);
    std::set<std::string> out;
    for (const auto& f : check_rules(net, compute_figures(net))) {
      if (f.severity != Severity::kInfo)
        out.insert(f.rule + ":" + f.component);
    }
    return out;
  };
  const auto s002 = rules_of(example("seed-002-power-manager").designs.at(0));
  for (const char* k : {"regulator-headroom:U2_AMS1117", "adc-range:VBAT_DIV", "gate-drive:Q1",
                        "comparator-input:U1_WAKE", "sleep-current:", "claim:rc.SC1.retention_s"}) {
    EXPECT_TRUE(s002.contains(k)) << k;
  }
  EXPECT_FALSE(s002.contains("claim:divider.VBAT_DIV.ratio"));  // the seed's arithmetic is right
  const auto s003 = rules_of(example("seed-003-knx-tank").designs.at(0));
  EXPECT_TRUE(s003.contains("claim:burst.ESP32-C6.TANK.energy_j"));
  EXPECT_FALSE(s003.contains("claim:storage.TANK.energy_j"));
  const DesignFile f004 = example("seed-004-doorbell");
  const auto sc = rules_of(f004.designs.at(0));
  for (const char* k : {"claim:storage.SC.c_f", "claim:holdup.SC.s", "converter-uvlo:MP1584",
                        "claim:budget.active.loads.v3v3.i_a"}) {
    EXPECT_TRUE(sc.contains(k)) << k;
  }
  EXPECT_FALSE(sc.contains("claim:bom.cost_eur"));
  const auto lipo = rules_of(f004.designs.at(1));
  EXPECT_TRUE(lipo.contains("converter-uvlo:MP1584"));
  EXPECT_TRUE(lipo.contains("ride-through:LIPO"));
  const auto solar = rules_of(f004.designs.at(2));
  EXPECT_TRUE(solar.contains("claim:autonomy.PB_CELL.days"));
  EXPECT_TRUE(solar.contains("claim:solar.SOLAR.wh_per_day"));
}

}  // namespace
}  // namespace powerstack::design::test
