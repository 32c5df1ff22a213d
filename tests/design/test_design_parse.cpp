#include <string>

#include "design_test_util.hpp"

namespace powerstack::design::test {
namespace {

TEST(DesignParse, ExamplesReadWithAlternativesInFileOrder) {
  EXPECT_EQ(example("seed-002-power-manager").designs.size(), 1U);
  EXPECT_EQ(example("seed-003-knx-tank").designs.size(), 1U);
  const DesignFile f = example("seed-004-doorbell");
  ASSERT_EQ(f.designs.size(), 3U);
  EXPECT_EQ(f.designs[0].alternative, "supercap");
  EXPECT_EQ(f.designs[1].alternative, "lipo");
  EXPECT_EQ(f.designs[2].alternative, "solar");
  // Common loads in every alternative, the alternative's own parts only in it.
  EXPECT_EQ(f.designs[2].loads.size(), 6U);
  EXPECT_TRUE(f.designs[2].storage.front().name == "PB_CELL");
}

TEST(DesignParse, BaseDesignReads) {
  const Design d = parse_one(kBase);
  EXPECT_EQ(d.converters.size(), 1U);
  EXPECT_DOUBLE_EQ(d.loads[0].mode_i_a.at("run"), 0.1);
  EXPECT_DOUBLE_EQ(d.sources[0].i_max_a, 0.5);  // USB default
}

struct BadCase {
  const char* what;
  std::string from;
  std::string to;
  const char* expect;  // a piece of the message (after "t.toml:")
};

class DesignParseBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(DesignParseBad, OneClearErrorWithFileLineAndKey) {
  const BadCase& c = GetParam();
  std::string text = kBase;
  const auto at = text.find(c.from);
  ASSERT_NE(at, std::string::npos) << c.from;
  text.replace(at, c.from.size(), c.to);
  const std::string e = parse_error(text);
  EXPECT_EQ(e.rfind("t.toml:", 0), 0U) << e;
  EXPECT_NE(e.find(c.expect), std::string::npos) << c.what << ": " << e;
  // A line number follows the file name.
  EXPECT_TRUE(e.size() > 7 && std::isdigit(static_cast<unsigned char>(e[7]))) << e;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DesignParseBad,
    ::testing::Values(
        BadCase{"unknown key", "v_out_v = 3.3", "v_out_v = 3.3\nvout = 3",
                "'converter[0].vout': unknown key"},
        BadCase{"missing key", "v_out_v = 3.3\n", "", "'converter[0].v_out_v': missing"},
        BadCase{"unknown rail", "in = \"vbus\"", "in = \"vbsu\"", "nothing drives rail 'vbsu'"},
        BadCase{"bad type", "type = \"ldo\"", "type = \"ldoo\"", "'ldoo' is not one of"},
        BadCase{"out of range", "v_dropout_v = 0.3", "v_dropout_v = -1", "outside"},
        BadCase{"unknown mode", "run = 0.1 }", "runn = 0.1 }", "'load[0].modes.runn': unknown key"},
        BadCase{"duplicate name", "name = \"MCU\"", "name = \"LDO\"", "'LDO' is used by another"},
        BadCase{"loop", "v_max_v = 3.6",
                "v_max_v = 3.6\n[[diode]]\nname = \"DX\"\nfrom = \"v33\"\n"
                "to = \"vbus\"",
                "feeds itself"},
        BadCase{"syntax", "[device]", "[device", "t.toml:"},
        BadCase{"string for number", "v_out_v = 3.3", "v_out_v = \"3.3\"", "must be a number"},
        BadCase{"usage mode", "base_mode = \"run\"", "base_mode = \"walk\"",
                "'walk' is not one of [device] modes"},
        BadCase{"unknown part", "v_max_v = 3.6",
                "v_max_v = 3.6\n[[divider]]\nname = \"D\"\nin = "
                "\"vbus\"\nr_top_part = \"R9\"\nr_bottom_ohm = 1e3\nadc = \"esp32:11db\"",
                "no part named 'R9'"},
        BadCase{"inline and part", "v_max_v = 3.6",
                "v_max_v = 3.6\n[parts.R1]\nkind = \"resistor\""
                "\nvalue = 1e3\n[[divider]]\nname = \"D\"\nin = \"vbus\"\nr_top_part = \"R1\"\n"
                "r_top_ohm = 1e3\nr_bottom_ohm = 1e3\nadc = \"esp32:11db\"",
                "not both"},
        BadCase{"wrong part kind", "v_max_v = 3.6",
                "v_max_v = 3.6\n[parts.C1]\nkind = "
                "\"capacitor\"\nvalue = 1e-6\n[[divider]]\nname = \"D\"\nin = \"vbus\"\n"
                "r_top_part = \"C1\"\nr_bottom_ohm = 1e3\nadc = \"esp32:11db\"",
                "is a capacitor, not a resistor"},
        BadCase{"event target", "v_max_v = 3.6",
                "v_max_v = 3.6\n[[event]]\ntype = \"dropout\"\n"
                "source = \"MAINS\"\nt_s = 1\nduration_s = 1",
                "no source named 'MAINS'"},
        BadCase{"no device", "[device]\nname = \"t\"\nmodes = [\"sleep\", \"run\"]", "",
                "'device': missing"}));

TEST(DesignParse, MissingFileIsAnError) {
  const DesignParseResult r = read_design_file("/nonexistent/x.toml");
  EXPECT_FALSE(r.file);
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace powerstack::design::test
