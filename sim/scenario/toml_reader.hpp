// TomlReader: typed, range-checked access to a TOML table that names the file, line and key
// of every problem, and rejects keys nobody asked for (a typo must not be silently ignored).
//
//   TomlReader r(table, "day.toml", "battery");
//   int cells = r.integer("cells", 1, 64);          // required
//   double soc = r.number_or("initial_soc", 0.5, 0.0, 1.0);
//   r.finish();                                      // unknown keys -> error
//
// Errors are collected as the first one found; ok() / error() report it. No exceptions leave
// the reader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace powerstack::sim {

class TomlReader {
 public:
  // `table` may be null (section absent): every required read then fails with "missing".
  TomlReader(const toml::table* table, std::string file, std::string path,
             std::shared_ptr<std::string> error_sink = nullptr);

  [[nodiscard]] bool present() const { return table_ != nullptr; }
  [[nodiscard]] bool has(const std::string& key) const;

  double number(const std::string& key, double lo, double hi);
  double number_or(const std::string& key, double fallback, double lo, double hi);
  std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi);
  std::int64_t integer_or(const std::string& key, std::int64_t fallback, std::int64_t lo,
                          std::int64_t hi);
  bool boolean_or(const std::string& key, bool fallback);
  std::string text(const std::string& key, const std::vector<std::string>& allowed = {});
  std::string text_or(const std::string& key, const std::string& fallback,
                      const std::vector<std::string>& allowed = {});
  std::vector<double> numbers(const std::string& key, double lo, double hi);
  std::vector<std::string> texts(const std::string& key);

  // A sub-table (or an absent one) sharing this reader's error sink.
  TomlReader table(const std::string& key);
  // Each table of an array of tables ([[events]]).
  std::vector<TomlReader> tables(const std::string& key);

  // Fails on the first key that was never read.
  void finish();

  [[nodiscard]] bool ok() const { return error_->empty(); }
  [[nodiscard]] const std::string& error() const { return *error_; }
  // Records an error about `key` (for checks that involve several keys).
  void fail(const std::string& key, const std::string& what);

 private:
  [[nodiscard]] std::string where(const std::string& key) const;
  const toml::node* get(const std::string& key);

  const toml::table* table_;
  std::string file_;
  std::string path_;
  std::shared_ptr<std::string> error_;
  std::set<std::string> used_;
};

// Parses TOML text; on a syntax error returns null and sets `error` to "file:line:col: ...".
// Move the table, never copy it: toml++ drops source positions (line numbers) on copy.
std::optional<toml::table> parse_toml(const std::string& text, const std::string& file,
                                      std::string& error);

}  // namespace powerstack::sim
