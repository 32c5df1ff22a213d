// The `powerstack` command line: parses arguments, runs a subcommand, writes to the given
// streams and returns the process exit code (0 success, 1 bad input or failure, 2 usage).
#pragma once

#include <iosfwd>

namespace powerstack::app {

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace powerstack::app
