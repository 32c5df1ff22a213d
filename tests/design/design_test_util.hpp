// Helpers for the design tests: parse a design from text, or read an example.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "powerstack/design/analysis.hpp"
#include "powerstack/design/parse.hpp"

namespace powerstack::design::test {

inline Design parse_one(const std::string& text) {
  const DesignParseResult r = parse_design(text, "t.toml");
  EXPECT_TRUE(r.file) << r.error;
  if (!r.file)
    return {};
  EXPECT_EQ(r.file->designs.size(), 1U);
  return r.file->designs.front();
}

inline DesignFile example(const std::string& name) {
  const DesignParseResult r =
      read_design_file(std::string(POWERSTACK_EXAMPLE_DESIGNS) + "/" + name + "/design.toml");
  EXPECT_TRUE(r.file) << r.error;
  return r.file ? *r.file : DesignFile{};
}

inline std::string parse_error(const std::string& text) {
  const DesignParseResult r = parse_design(text, "t.toml");
  EXPECT_FALSE(r.file);
  return r.error;
}

// A clean small design: USB -> LDO 3.3 V -> MCU.
inline const char* kBase = R"(
[device]
name = "t"
modes = ["sleep", "run"]
[usage]
base_mode = "run"
[[source]]
name = "USB"
type = "usb"
out = "vbus"
[[converter]]
name = "LDO"
type = "ldo"
in = "vbus"
out = "v33"
v_out_v = 3.3
v_dropout_v = 0.3
i_q_a = 1e-6
i_max_a = 0.5
v_in_max_v = 6.0
[[load]]
name = "MCU"
rail = "v33"
modes = { sleep = 1e-6, run = 0.1 }
v_min_v = 3.0
v_max_v = 3.6
)";

}  // namespace powerstack::design::test
