// Rule checks: each rule is a named function (design/rules/<rule>.cpp) that reads the circuit
// and its figures and reports findings: what is wrong, where (component and file line), by how
// much and what to change, with a severity. Errors make `powerstack design check` fail.
#pragma once

#include <string>
#include <vector>

#include "powerstack/design/figures.hpp"
#include "powerstack/design/network.hpp"

namespace powerstack::design {

enum class Severity { kInfo, kWarning, kError };
const char* to_string(Severity s);

struct Finding {
  std::string rule;
  Severity severity = Severity::kWarning;
  std::string component;
  int line = 0;
  std::string message;
};

struct RuleContext {
  const Network& net;
  const Figures& figures;
  [[nodiscard]] const Design& design() const { return net.design(); }
};

using RuleFn = void (*)(const RuleContext&, std::vector<Finding>&);

struct Rule {
  const char* name;
  const char* checks;  // one line for --help and the docs
  RuleFn run;
};

const std::vector<Rule>& all_rules();

// Runs every rule; findings in rule order, errors first within a rule.
std::vector<Finding> check_rules(const Network& net, const Figures& figures);

}  // namespace powerstack::design
