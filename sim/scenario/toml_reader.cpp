#include "sim/scenario/toml_reader.hpp"

#include <cmath>
#include <sstream>

namespace powerstack::sim {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    out += (out.empty() ? "" : ", ") + s;
  }
  return out;
}

std::string number_text(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

}  // namespace

TomlReader::TomlReader(const toml::table* table, std::string file, std::string path,
                       std::shared_ptr<std::string> error_sink)
    : table_(table),
      file_(std::move(file)),
      path_(std::move(path)),
      error_(error_sink ? std::move(error_sink) : std::make_shared<std::string>()) {}

bool TomlReader::has(const std::string& key) const {
  return table_ != nullptr && table_->contains(key);
}

std::string TomlReader::where(const std::string& key) const {
  std::string line;
  if (table_ != nullptr) {
    const toml::node* n = table_->get(key);
    const auto& src = n != nullptr ? n->source() : table_->source();
    if (src.begin.line > 0) {
      line = ":" + std::to_string(src.begin.line);
    }
  }
  const std::string full_key = path_.empty() ? key : path_ + "." + key;
  return file_ + line + ": '" + full_key + "'";
}

void TomlReader::fail(const std::string& key, const std::string& what) {
  if (error_->empty()) {
    *error_ = where(key) + ": " + what;
    // One line, printable: keys and values come from the file and may hold anything.
    for (char& c : *error_) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        c = '?';
      }
    }
  }
}

const toml::node* TomlReader::get(const std::string& key) {
  used_.insert(key);
  if (table_ == nullptr) {
    return nullptr;
  }
  return table_->get(key);
}

double TomlReader::number(const std::string& key, double lo, double hi) {
  const toml::node* n = get(key);
  if (n == nullptr) {
    fail(key, "missing (a number from " + number_text(lo) + " to " + number_text(hi) + ")");
    return lo;
  }
  const std::optional<double> v = n->value<double>();  // integers convert too
  if (!v || !std::isfinite(*v)) {
    fail(key, "must be a number");
    return lo;
  }
  if (*v < lo || *v > hi) {
    fail(key, number_text(*v) + " is outside " + number_text(lo) + " .. " + number_text(hi));
    return lo;
  }
  return *v;
}

double TomlReader::number_or(const std::string& key, double fallback, double lo, double hi) {
  return has(key) ? number(key, lo, hi) : (used_.insert(key), fallback);
}

std::int64_t TomlReader::integer(const std::string& key, std::int64_t lo, std::int64_t hi) {
  const toml::node* n = get(key);
  if (n == nullptr) {
    fail(key,
         "missing (a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ")");
    return lo;
  }
  if (!n->is_integer()) {
    fail(key, "must be a whole number");
    return lo;
  }
  const std::int64_t v = n->as_integer()->get();
  if (v < lo || v > hi) {
    fail(key,
         std::to_string(v) + " is outside " + std::to_string(lo) + " .. " + std::to_string(hi));
    return lo;
  }
  return v;
}

std::int64_t TomlReader::integer_or(const std::string& key, std::int64_t fallback, std::int64_t lo,
                                    std::int64_t hi) {
  return has(key) ? integer(key, lo, hi) : (used_.insert(key), fallback);
}

bool TomlReader::boolean_or(const std::string& key, bool fallback) {
  const toml::node* n = get(key);
  if (n == nullptr) {
    return fallback;
  }
  if (!n->is_boolean()) {
    fail(key, "must be true or false");
    return fallback;
  }
  return n->as_boolean()->get();
}

std::string TomlReader::text(const std::string& key, const std::vector<std::string>& allowed) {
  const toml::node* n = get(key);
  if (n == nullptr) {
    fail(key, allowed.empty() ? "missing" : "missing (one of " + join(allowed) + ")");
    return {};
  }
  if (!n->is_string()) {
    fail(key, "must be a string");
    return {};
  }
  std::string v = n->as_string()->get();
  if (!allowed.empty()) {
    bool found = false;
    for (const auto& a : allowed) {
      found = found || a == v;
    }
    if (!found) {
      fail(key, "'" + v + "' is not one of " + join(allowed));
      return {};
    }
  }
  return v;
}

std::string TomlReader::text_or(const std::string& key, const std::string& fallback,
                                const std::vector<std::string>& allowed) {
  return has(key) ? text(key, allowed) : (used_.insert(key), fallback);
}

std::vector<double> TomlReader::numbers(const std::string& key, double lo, double hi) {
  std::vector<double> out;
  const toml::node* n = get(key);
  if (n == nullptr) {
    fail(key, "missing (an array of numbers)");
    return out;
  }
  const toml::array* arr = n->as_array();
  if (arr == nullptr) {
    fail(key, "must be an array of numbers");
    return out;
  }
  for (const auto& item : *arr) {
    const std::optional<double> v = item.value<double>();
    if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
      fail(key,
           "every element must be a number from " + number_text(lo) + " to " + number_text(hi));
      return {};
    }
    out.push_back(*v);
  }
  return out;
}

std::vector<std::string> TomlReader::texts(const std::string& key) {
  std::vector<std::string> out;
  const toml::node* n = get(key);
  if (n == nullptr) {
    return out;
  }
  const toml::array* arr = n->as_array();
  if (arr == nullptr) {
    fail(key, "must be an array of strings");
    return out;
  }
  for (const auto& item : *arr) {
    if (!item.is_string()) {
      fail(key, "every element must be a string");
      return {};
    }
    out.push_back(item.as_string()->get());
  }
  return out;
}

TomlReader TomlReader::table(const std::string& key) {
  const toml::node* n = get(key);
  const std::string sub = path_.empty() ? key : path_ + "." + key;
  if (n != nullptr && !n->is_table()) {
    fail(key, "must be a table");
    return {nullptr, file_, sub, error_};
  }
  return {n != nullptr ? n->as_table() : nullptr, file_, sub, error_};
}

std::vector<TomlReader> TomlReader::tables(const std::string& key) {
  std::vector<TomlReader> out;
  const toml::node* n = get(key);
  if (n == nullptr) {
    return out;
  }
  const toml::array* arr = n->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    fail(key, "must be an array of tables ([[" + key + "]])");
    return out;
  }
  std::size_t i = 0;
  for (const auto& item : *arr) {
    const std::string sub =
        (path_.empty() ? key : path_ + "." + key) + "[" + std::to_string(i++) + "]";
    out.emplace_back(item.as_table(), file_, sub, error_);
  }
  return out;
}

void TomlReader::finish() {
  if (table_ == nullptr) {
    return;
  }
  for (const auto& [k, v] : *table_) {
    const std::string key(k.str());
    if (!used_.contains(key)) {
      fail(key, "unknown key");
      return;
    }
  }
}

std::optional<toml::table> parse_toml(const std::string& text, const std::string& file,
                                      std::string& error) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    error = file + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ": " +
            std::string(e.description());
    return std::nullopt;
  }
}

}  // namespace powerstack::sim
