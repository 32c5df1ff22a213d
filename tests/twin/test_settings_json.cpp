#include <gtest/gtest.h>

#include <string>

#include "powerstack/twin/settings_json.hpp"

namespace {

using powerstack::settings::ChargerSettings;
using powerstack::settings::Chemistry;
using powerstack::twin::parse_settings_json;
using powerstack::twin::settings_to_json;

const nlohmann::json* field(const powerstack::twin::ApiError& e, const std::string& name) {
  for (const auto& f : e.fields) {
    if (f.field == name) {
      static nlohmann::json j;
      j = {{"message", f.message}, {"value", f.value}, {"has_range", f.min.has_value()}};
      return &j;
    }
  }
  return nullptr;
}

TEST(SettingsJson, RoundTripsEveryField) {
  ChargerSettings s = powerstack::settings::default_charger_settings(Chemistry::kLeadAcid, 12);
  const auto p = parse_settings_json(settings_to_json(s).dump(), ChargerSettings{});
  ASSERT_TRUE(p.ok()) << p.error.message;
  EXPECT_EQ(settings_to_json(*p.settings), settings_to_json(s));
  EXPECT_EQ(p.settings->chemistry, Chemistry::kLeadAcid);
  EXPECT_EQ(settings_to_json(s)["chemistry"], "lead-acid");
}

TEST(SettingsJson, FloatsPrintShortest) {
  ChargerSettings s;
  s.v_absorb_cell_v = 3.55f;
  EXPECT_EQ(settings_to_json(s)["v_absorb_cell_v"].dump(), "3.55");
}

TEST(SettingsJson, PartialObjectKeepsTheOtherFields) {
  const ChargerSettings current;
  const auto p =
      parse_settings_json(R"({"v_absorb_cell_v": 3.45, "t_absorb_max_s": 3600})", current);
  ASSERT_TRUE(p.ok());
  EXPECT_FLOAT_EQ(p.settings->v_absorb_cell_v, 3.45f);
  EXPECT_EQ(p.settings->t_absorb_max_s, 3600U);
  EXPECT_EQ(p.settings->cells_in_series, current.cells_in_series);
  EXPECT_FLOAT_EQ(p.settings->i_charge_max_a, current.i_charge_max_a);
}

TEST(SettingsJson, NotJsonSaysWhere) {
  const auto p = parse_settings_json(R"({"v_absorb_cell_v": 3.4,)", ChargerSettings{});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error.status, 400);
  EXPECT_EQ(p.error.code, "bad-json");
  EXPECT_NE(p.error.message.find("byte"), std::string::npos);
}

TEST(SettingsJson, NumberBeyondDoubleIsBadJsonNotACrash) {
  for (const char* body : {R"({"p_in_max_w": 1e3005})", R"({"p_in_max_w":1e3005)"}) {
    const auto p = parse_settings_json(body, ChargerSettings{});
    ASSERT_FALSE(p.ok()) << body;
    EXPECT_EQ(p.error.code, "bad-json") << body;
  }
}

TEST(SettingsJson, NotAnObject) {
  for (const char* body : {"[1,2]", "3", "\"x\"", "null", ""}) {
    const auto p = parse_settings_json(body, ChargerSettings{});
    ASSERT_FALSE(p.ok()) << body;
    EXPECT_EQ(p.error.code, "bad-json") << body;
  }
}

TEST(SettingsJson, EveryTypeErrorIsReportedTogether) {
  const auto p = parse_settings_json(
      R"({"bogus": 1, "chemistry": "NiMH", "cells_in_series": 8.5, "t_absorb_max_s": -1,
          "i_tail_a": "1", "p_in_max_w": 1e300, "i_pv_max_a": true})",
      ChargerSettings{});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error.code, "bad-field");
  EXPECT_EQ(p.error.fields.size(), 7U);
  for (const char* name : {"bogus", "chemistry", "cells_in_series", "t_absorb_max_s", "i_tail_a",
                           "p_in_max_w", "i_pv_max_a"}) {
    EXPECT_NE(field(p.error, name), nullptr) << name;
  }
  EXPECT_EQ((*field(p.error, "bogus"))["message"], "unknown field");
  EXPECT_EQ((*field(p.error, "i_tail_a"))["value"], "1");
}

TEST(SettingsJson, RangeIssuesOfTheMergedWholeCarryMinAndMax) {
  const auto p =
      parse_settings_json(R"({"v_absorb_cell_v": 4.2, "cells_in_series": 0})", ChargerSettings{});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error.code, "bad-field");
  const auto* absorb = field(p.error, "v_absorb_cell_v");
  ASSERT_NE(absorb, nullptr);
  EXPECT_TRUE((*absorb)["has_range"].get<bool>());
  EXPECT_NE(field(p.error, "cells_in_series"), nullptr);
  const nlohmann::json j = powerstack::twin::error_to_json(p.error);
  EXPECT_EQ(j["error"], "bad-field");
  bool found = false;
  for (const auto& f : j["fields"]) {
    if (f["field"] == "v_absorb_cell_v") {
      found = true;
      EXPECT_LT(f["min"].get<double>(), 4.2);
      EXPECT_LT(f["max"].get<double>(), 4.2);
    }
  }
  EXPECT_TRUE(found);
}

TEST(SettingsJson, ChemistryChangeIsCheckedAsAWhole) {
  // LiFePO4 voltages do not suit lead-acid: switching chemistry alone is refused.
  const auto p = parse_settings_json(R"({"chemistry": "lead-acid"})", ChargerSettings{});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(field(p.error, "v_absorb_cell_v"), nullptr);
}

}  // namespace
