// The [controller] type = "mppt-charger" keys of a scenario.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/solar_charger_scenario.hpp"

namespace {

using powerstack::sim::parse_solar_charger_scenario;

std::string scenario(const std::string& controller, const std::string& chemistry = "lifepo4") {
  return R"([scenario]
system = "solar-charger"
duration_s = 1
[pv.datasheet]
isc_a = 10.32
voc_v = 49.6
imp_a = 9.76
vmp_v = 41.0
alpha_isc_per_k = 0.00048
beta_voc_per_k = -0.0028
cells_in_series = 72
[battery]
chemistry = ")" +
         chemistry + R"("
[controller]
)" + controller;
}

}  // namespace

TEST(MpptChargerScenario, ReadsTheFirmwareKeys) {
  const auto r = parse_solar_charger_scenario(
      scenario("type = \"mppt-charger\"\nalgorithm = \"fugu-fl4p\"\ni_out_max_a = 20\n"
               "v_absorb_cell_v = 3.4\n"),
      "s.toml", "");
  ASSERT_TRUE(r.scenario) << r.error;
  EXPECT_EQ(r.scenario->controller.type, "mppt-charger");
  EXPECT_EQ(r.scenario->controller.algorithm, "fugu-fl4p");
  EXPECT_EQ(r.scenario->controller.profile, "lifepo4");  // from the battery chemistry
  EXPECT_DOUBLE_EQ(r.scenario->controller.i_out_max_a, 20.0);
  EXPECT_DOUBLE_EQ(r.scenario->controller.v_absorb_cell_v, 3.4);
  EXPECT_GT(r.scenario->controller.period_s, 0.0);  // the tracker's own period
}

TEST(MpptChargerScenario, ProfileFollowsTheChemistry) {
  const auto r = parse_solar_charger_scenario(scenario("type = \"mppt-charger\"\n", "lead-acid"),
                                              "s.toml", "");
  ASSERT_TRUE(r.scenario) << r.error;
  EXPECT_EQ(r.scenario->controller.profile, "lead-acid-flooded");
}

TEST(MpptChargerScenario, UnknownNamesAreErrors) {
  const auto a = parse_solar_charger_scenario(
      scenario("type = \"mppt-charger\"\nalgorithm = \"magic\"\n"), "s.toml", "");
  ASSERT_FALSE(a.scenario);
  EXPECT_NE(a.error.find("'controller.algorithm': 'magic' is not one of fugu-original"),
            std::string::npos)
      << a.error;
  const auto p = parse_solar_charger_scenario(
      scenario("type = \"mppt-charger\"\nprofile = \"nicd\"\n"), "s.toml", "");
  ASSERT_FALSE(p.scenario);
  EXPECT_NE(p.error.find("'controller.profile': 'nicd' is not one of lifepo4"), std::string::npos)
      << p.error;
  // A fixed-duty key in an mppt-charger section is unknown there.
  const auto d =
      parse_solar_charger_scenario(scenario("type = \"mppt-charger\"\nduty = 0.5\n"), "s.toml", "");
  ASSERT_FALSE(d.scenario);
  EXPECT_NE(d.error.find("'controller.duty': unknown key"), std::string::npos) << d.error;
}
