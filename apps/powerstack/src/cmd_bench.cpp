// `powerstack bench NAME [--json FILE]`, `powerstack bench --list`: the performance suites.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <string>

#include "powerstack/app/bench_suites.hpp"
#include "powerstack/app/command.hpp"

namespace powerstack::app {

namespace {

void print_table(const nlohmann::json& rows, std::ostream& out) {
  for (const auto& row : rows) {
    std::string line;
    for (const auto& [key, value] : row.items()) {
      line += key + "=";
      if (value.is_number_float()) {
        line += fmt::format("{:.6g}", value.get<double>());
      } else if (value.is_string()) {
        line += value.get<std::string>();
      } else {
        line += value.dump();
      }
      line += "  ";
    }
    out << line << '\n';
  }
}

int cmd_bench(bool list, const std::string& name, const std::string& json_path, std::ostream& out,
              std::ostream& err) {
  if (list) {
    for (const auto& s : bench_suites()) {
      fmt::print(out, "{:<14} {}\n", s.name, s.description);
    }
    return 0;
  }
  if (name.empty()) {
    err << "powerstack bench: name a suite (powerstack bench --list shows them)\n";
    return 2;
  }
  for (const auto& s : bench_suites()) {
    if (s.name == name) {
      const nlohmann::json rows = s.run();
      fmt::print(out, "suite {}\n", name);
      if (s.table) {
        out << s.table(rows);
      } else {
        print_table(rows, out);
      }
      if (!json_path.empty() &&
          !write_json_file(json_path, {{"suite", name}, {"rows", rows}}, err)) {
        return 1;
      }
      return 0;
    }
  }
  err << "powerstack bench: unknown suite '" << name << "' (powerstack bench --list shows them)\n";
  return 2;
}

}  // namespace

Command add_bench_command(CLI::App& app, CommandIo io) {
  struct Args {
    bool list = false;
    std::string suite;
    std::string json_path;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("bench", "Run a named performance suite and print its table");
  sub->add_option("name", args->suite, "Suite name");
  sub->add_flag("--list", args->list, "List the suites");
  sub->add_option("--json", args->json_path,
                  R"(Write {"suite": NAME, "rows": [...]} to this file)");
  return {sub, [args, io] {
            return cmd_bench(args->list, args->suite, args->json_path, io.out, io.err);
          }};
}

}  // namespace powerstack::app
