// Runs the powerstack CLI in-process (app::run_cli) for tests: the arguments after the program
// name go in; the exit code and everything written to out and err come back.
#pragma once

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "powerstack/app/cli.hpp"

namespace powerstack::test_support {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

// `prefix` (e.g. {"simulate"}) comes before `args`.
inline CliResult run_powerstack(const std::vector<std::string>& prefix,
                                const std::vector<std::string>& args) {
  std::vector<std::string> storage = {"powerstack"};
  storage.insert(storage.end(), prefix.begin(), prefix.end());
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  argv.reserve(storage.size());
  for (const auto& a : storage) {
    argv.push_back(a.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  CliResult r;
  r.code = app::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace powerstack::test_support
