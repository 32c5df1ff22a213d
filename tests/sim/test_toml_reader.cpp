#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/toml_reader.hpp"

namespace {

using powerstack::sim::parse_toml;
using powerstack::sim::TomlReader;

toml::table parse(const std::string& text) {
  std::string error;
  auto t = parse_toml(text, "s.toml", error);
  EXPECT_TRUE(t.has_value()) << error;
  // Moved, not copied: a copied toml++ node loses its source position.
  return t ? std::move(*t) : toml::table{};
}

TEST(TomlReader, ReadsTypedValuesWithDefaults) {
  const auto t = parse("[battery]\ncells = 8\ncapacity_ah = 100\nchemistry = \"lifepo4\"\n");
  TomlReader root(&t, "s.toml", "");
  TomlReader b = root.table("battery");
  EXPECT_EQ(b.integer("cells", 1, 64), 8);
  EXPECT_DOUBLE_EQ(b.number("capacity_ah", 0.1, 1e4), 100.0);  // an integer is a number too
  EXPECT_EQ(b.text("chemistry", {"lifepo4", "li-ion"}), "lifepo4");
  EXPECT_DOUBLE_EQ(b.number_or("initial_soc", 0.5, 0.0, 1.0), 0.5);
  b.finish();
  root.finish();
  EXPECT_TRUE(root.ok()) << root.error();
}

TEST(TomlReader, ErrorsNameFileLineAndKey) {
  const auto t = parse("[battery]\ncells = 8\n\ncapacity_ah = -3\n");
  TomlReader root(&t, "s.toml", "");
  TomlReader b = root.table("battery");
  b.integer("cells", 1, 64);
  b.number("capacity_ah", 0.1, 1e4);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error(), "s.toml:4: 'battery.capacity_ah': -3 is outside 0.1 .. 10000");
}

TEST(TomlReader, UnknownKeyIsAnError) {
  const auto t = parse("[battery]\ncells = 8\ncapacty_ah = 100\n");
  TomlReader root(&t, "s.toml", "");
  TomlReader b = root.table("battery");
  b.integer("cells", 1, 64);
  b.number_or("capacity_ah", 100.0, 0.1, 1e4);
  b.finish();
  EXPECT_EQ(root.error(), "s.toml:3: 'battery.capacty_ah': unknown key");
}

TEST(TomlReader, WrongTypesAndChoices) {
  const auto t = parse("a = \"x\"\nb = 1.5\nc = \"nimh\"\nd = [1, \"2\"]\ne = 3\n");
  {
    TomlReader r(&t, "s.toml", "");
    r.number("a", 0, 1);
    EXPECT_NE(r.error().find("'a': must be a number"), std::string::npos) << r.error();
  }
  {
    TomlReader r(&t, "s.toml", "");
    r.integer("b", 0, 10);
    EXPECT_NE(r.error().find("'b': must be a whole number"), std::string::npos) << r.error();
  }
  {
    TomlReader r(&t, "s.toml", "");
    r.text("c", {"lifepo4", "li-ion"});
    EXPECT_NE(r.error().find("'nimh' is not one of lifepo4, li-ion"), std::string::npos)
        << r.error();
  }
  {
    TomlReader r(&t, "s.toml", "");
    r.numbers("d", 0, 10);
    EXPECT_NE(r.error().find("'d': every element"), std::string::npos) << r.error();
  }
  {
    TomlReader r(&t, "s.toml", "");
    r.table("e");
    EXPECT_NE(r.error().find("'e': must be a table"), std::string::npos) << r.error();
  }
}

TEST(TomlReader, MissingRequiredKeyInAbsentSection) {
  const toml::table t;
  TomlReader root(&t, "s.toml", "");
  TomlReader pv = root.table("pv");
  EXPECT_FALSE(pv.present());
  pv.number("isc_a", 0.0, 100.0);
  EXPECT_EQ(root.error(), "s.toml: 'pv.isc_a': missing (a number from 0 to 100)");
}

TEST(TomlReader, ArrayOfTablesGetIndexedPaths) {
  const auto t = parse("[[events]]\nt_s = 1\n[[events]]\nt_s = -1\n");
  TomlReader root(&t, "s.toml", "");
  auto events = root.tables("events");
  ASSERT_EQ(events.size(), 2U);
  events[0].number("t_s", 0, 10);
  events[1].number("t_s", 0, 10);
  EXPECT_EQ(root.error(), "s.toml:4: 'events[1].t_s': -1 is outside 0 .. 10");
}

TEST(TomlReader, SyntaxErrorsCarryLineAndColumn) {
  std::string error;
  EXPECT_FALSE(parse_toml("a = 1\nb = = 2\n", "bad.toml", error).has_value());
  EXPECT_EQ(error.rfind("bad.toml:2:", 0), 0U) << error;
}

}  // namespace
