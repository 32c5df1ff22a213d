// The rule functions (one a file in this folder) and small helpers they share.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "powerstack/design/findings.hpp"

namespace powerstack::design::rules {

void regulator_headroom(const RuleContext& ctx, std::vector<Finding>& out);
void converter_uvlo(const RuleContext& ctx, std::vector<Finding>& out);
void adc_range(const RuleContext& ctx, std::vector<Finding>& out);
void voltage_rating(const RuleContext& ctx, std::vector<Finding>& out);
void gate_drive(const RuleContext& ctx, std::vector<Finding>& out);
void source_limit(const RuleContext& ctx, std::vector<Finding>& out);
void brownout_margin(const RuleContext& ctx, std::vector<Finding>& out);
void storage_combination(const RuleContext& ctx, std::vector<Finding>& out);
void battery_limits(const RuleContext& ctx, std::vector<Finding>& out);
void comparator_input(const RuleContext& ctx, std::vector<Finding>& out);
void sleep_current(const RuleContext& ctx, std::vector<Finding>& out);
void ride_through(const RuleContext& ctx, std::vector<Finding>& out);
void claim(const RuleContext& ctx, std::vector<Finding>& out);

inline void add(std::vector<Finding>& out, const char* rule, Severity sev, const std::string& who,
                int line, const std::string& msg) {
  out.push_back(Finding{rule, sev, who, line, msg});
}

inline double fig(const RuleContext& ctx, const std::string& key, double fallback = 0.0) {
  const auto it = ctx.figures.find(key);
  return it == ctx.figures.end() ? fallback : it->second;
}

}  // namespace powerstack::design::rules
