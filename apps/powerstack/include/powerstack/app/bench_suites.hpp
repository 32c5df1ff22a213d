// The registry behind `powerstack bench NAME`: each performance suite produces rows of
// named figures; the command prints them as a table and can write
// {"suite": NAME, "rows": [...]} as JSON. Later issues add suites here.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace powerstack::app {

struct BenchSuite {
  std::string name;
  std::string description;
  std::function<nlohmann::json()> run;  // returns a JSON array of row objects
  // Optional: the suite's own table of its rows (else one "key=value" line a row).
  std::function<std::string(const nlohmann::json& rows)> table = {};
};

const std::vector<BenchSuite>& bench_suites();

}  // namespace powerstack::app
