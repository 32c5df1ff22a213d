// The design reader: top level, alternatives, and the checks that involve several tables.
#include "powerstack/design/parse.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "parse_detail.hpp"
#include "sim/scenario/text_file.hpp"

namespace powerstack::design {

namespace {

using detail::read_top;
using detail::ReadContext;
using detail::TomlReader;

// Source line of each table of the array `key` in `t` (0 when unknown).
std::vector<int> lines_of(const toml::table* t, const std::string& key) {
  std::vector<int> lines;
  if (t == nullptr) {
    return lines;
  }
  const toml::array* arr = t->get_as<toml::array>(key);
  if (arr == nullptr) {
    return lines;
  }
  for (const auto& item : *arr) {
    lines.push_back(static_cast<int>(item.source().begin.line));
  }
  return lines;
}

int line_at(const std::vector<int>& lines, std::size_t i) {
  return i < lines.size() ? lines[i] : 0;
}

// Reads the component arrays of one table (the top level or an alternative) into `d`.
void read_components(TomlReader& r, const toml::table* raw, const ReadContext& ctx, Design& d) {
  auto each = [&](const char* key, const std::function<void(TomlReader&, int)>& fn) {
    const std::vector<int> lines = lines_of(raw, key);
    std::size_t i = 0;
    for (TomlReader& t : r.tables(key)) {
      fn(t, line_at(lines, i++));
      if (!r.ok()) {
        return;
      }
    }
  };
  each("source",
       [&](TomlReader& t, int l) { d.sources.push_back(detail::read_source(t, ctx, l)); });
  each("storage",
       [&](TomlReader& t, int l) { d.storage.push_back(detail::read_storage(t, ctx, l)); });
  each("converter",
       [&](TomlReader& t, int l) { d.converters.push_back(detail::read_converter(t, l)); });
  each("diode", [&](TomlReader& t, int l) { d.diodes.push_back(detail::read_diode(t, l)); });
  each("switch", [&](TomlReader& t, int l) { d.switches.push_back(detail::read_switch(t, l)); });
  each("divider",
       [&](TomlReader& t, int l) { d.dividers.push_back(detail::read_divider(t, ctx, l)); });
  each("comparator",
       [&](TomlReader& t, int l) { d.comparators.push_back(detail::read_comparator(t, ctx, l)); });
  each("load", [&](TomlReader& t, int l) { d.loads.push_back(detail::read_load(t, d.modes, l)); });
  each("event", [&](TomlReader& t, int l) { d.events.push_back(detail::read_event(t, l)); });
  each("claim", [&](TomlReader& t, int l) { d.claims.push_back(detail::read_claim(t, l)); });
  each("bom", [&](TomlReader& t, int /*line*/) { d.bom.push_back(detail::read_bom(t)); });
}

class Checker {
 public:
  Checker(const Design& d, std::string& error) : d_(d), error_(error) {}

  void fail(int line, const std::string& key, const std::string& what) {
    if (error_.empty()) {
      error_ = d_.file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": '" + key +
               "': " + what +
               (d_.alternative.empty() ? "" : " (alternative '" + d_.alternative + "')");
    }
  }

  void run() {
    names();
    rails();
    loops();
    references();
  }

 private:
  void name(const std::string& n, int line, const std::string& what) {
    if (n.empty()) {
      fail(line, what + ".name", "must not be empty");
    } else if (!names_.insert(n).second) {
      fail(line, what + ".name", "'" + n + "' is used by another component");
    }
  }

  void names() {
    const auto all = [&](const auto& list, const char* what) {
      for (const auto& x : list)
        name(x.name, x.line, what);
    };
    all(d_.sources, "source");
    all(d_.storage, "storage");
    all(d_.converters, "converter");
    all(d_.diodes, "diode");
    all(d_.switches, "switch");
    all(d_.dividers, "divider");
    all(d_.comparators, "comparator");
    all(d_.loads, "load");
  }

  void need(const std::string& rail, int line, const std::string& key) {
    if (!driven_.contains(rail)) {
      fail(line, key,
           "nothing drives rail '" + rail +
               "' (no source, storage, converter, diode "
               "or switch has it as its output)");
    }
  }

  void rails() {
    for (const auto& x : d_.sources)
      driven_.insert(x.out);
    for (const auto& x : d_.storage)
      driven_.insert(x.rail);
    for (const auto& x : d_.converters)
      driven_.insert(x.out);
    for (const auto& x : d_.diodes)
      driven_.insert(x.to);
    for (const auto& x : d_.switches)
      driven_.insert(x.to);
    for (const auto& x : d_.converters)
      need(x.in, x.line, "converter.in");
    for (const auto& x : d_.diodes)
      need(x.from, x.line, "diode.from");
    for (const auto& x : d_.switches) {
      for (const auto& m : x.open_in) {
        if (!is_mode(m))
          fail(x.line, "switch.open_in", "'" + m + "' is not one of [device] modes");
      }
      need(x.from, x.line, "switch.from");
      need(x.gate_high, x.line, "switch.gate_high");
    }
    for (const auto& x : d_.dividers)
      need(x.in, x.line, "divider.in");
    for (const auto& x : d_.comparators) {
      need(x.in, x.line, "comparator.in");
      need(x.supply, x.line, "comparator.supply");
    }
    for (const auto& x : d_.loads)
      need(x.rail, x.line, "load.rail");
    if (d_.loads.empty() && error_.empty()) {
      fail(0, "load", "the design has no load ([[load]])");
    }
    if (d_.modes.empty() && error_.empty()) {
      fail(0, "device.modes", "no modes");
    }
  }

  // A rail must not feed itself through converters, diodes or switches.
  void loops() {
    std::map<std::string, std::vector<std::pair<std::string, int>>> edges;
    for (const auto& x : d_.converters)
      edges[x.in].push_back({x.out, x.line});
    for (const auto& x : d_.diodes)
      edges[x.from].push_back({x.to, x.line});
    for (const auto& x : d_.switches)
      edges[x.from].push_back({x.to, x.line});
    std::map<std::string, int> state;  // 1 on the stack, 2 done
    std::function<void(const std::string&)> visit = [&](const std::string& rail) {
      state[rail] = 1;
      for (const auto& [to, line] : edges[rail]) {
        if (state[to] == 1) {
          fail(line, "to", "rail '" + to + "' feeds itself (a loop through '" + rail + "')");
          return;
        }
        if (state[to] == 0) {
          visit(to);
        }
      }
      state[rail] = 2;
    };
    for (const auto& [rail, out] : edges) {
      if (state[rail] == 0 && error_.empty()) {
        visit(rail);
      }
    }
  }

  [[nodiscard]] bool is_mode(const std::string& m) const {
    for (const auto& x : d_.modes) {
      if (x == m)
        return true;
    }
    return false;
  }

  void references() {
    for (const auto& c : d_.converters) {
      if (c.kind != ConverterKind::kCharger)
        continue;
      bool found = false;
      for (const auto& s : d_.storage) {
        found = found || (s.name == c.battery && s.kind == StorageKind::kBattery);
      }
      if (!found)
        fail(c.line, "converter.battery", "no battery storage named '" + c.battery + "'");
    }
    for (const auto& e : d_.events) {
      bool found = false;
      if (e.kind == EventKind::kBurst) {
        for (const auto& l : d_.loads)
          found = found || (l.name == e.target && l.burst);
        if (!found)
          fail(e.line, "event.load", "no load named '" + e.target + "' with a burst");
      } else if (e.kind == EventKind::kDropout) {
        for (const auto& s : d_.sources)
          found = found || s.name == e.target;
        if (!found)
          fail(e.line, "event.source", "no source named '" + e.target + "'");
      } else {
        for (const auto& s : d_.storage)
          found = found || s.name == e.target;
        if (!found)
          fail(e.line, "event.storage", "no storage named '" + e.target + "'");
      }
      if (!e.mode.empty() && !is_mode(e.mode)) {
        fail(e.line, "event.mode", "'" + e.mode + "' is not one of [device] modes");
      }
    }
  }

  const Design& d_;
  std::string& error_;
  std::set<std::string> names_;
  std::set<std::string> driven_;
};

void append(Design& to, const Design& from) {
  auto add = [](auto& a, const auto& b) { a.insert(a.end(), b.begin(), b.end()); };
  add(to.sources, from.sources);
  add(to.storage, from.storage);
  add(to.converters, from.converters);
  add(to.diodes, from.diodes);
  add(to.switches, from.switches);
  add(to.dividers, from.dividers);
  add(to.comparators, from.comparators);
  add(to.loads, from.loads);
  add(to.events, from.events);
  add(to.claims, from.claims);
  add(to.bom, from.bom);
}

}  // namespace

DesignParseResult parse_design(const std::string& text, const std::string& file_name) {
  DesignParseResult result;
  std::optional<toml::table> root = sim::parse_toml(text, file_name, result.error);
  if (!root) {
    return result;
  }
  auto sink = std::make_shared<std::string>();
  TomlReader r(&*root, file_name, "", sink);
  Design base;
  base.file = file_name;
  read_top(r, base);

  std::map<std::string, Part> parts;
  ReadContext ctx{&parts, sink};
  if (r.ok()) {
    TomlReader pr = r.table("parts");
    if (const toml::table* raw = root->get_as<toml::table>("parts")) {
      for (const auto& [k, node] : *raw) {
        const std::string name(k.str());
        TomlReader one = pr.table(name);
        parts[name] = detail::read_part(one, name, static_cast<int>(node.source().begin.line));
      }
    }
    pr.finish();
    base.parts = parts;
  }
  if (r.ok()) {
    read_components(r, &*root, ctx, base);
  }

  std::vector<Design> designs;
  if (r.ok()) {
    TomlReader alts = r.table("alternatives");
    const toml::table* raw_alts = root->get_as<toml::table>("alternatives");
    if (raw_alts != nullptr) {
      // In file order (toml++ iterates tables by key).
      std::vector<std::pair<int, std::string>> names;
      for (const auto& [k, node] : *raw_alts) {
        names.emplace_back(static_cast<int>(node.source().begin.line), std::string(k.str()));
      }
      std::sort(names.begin(), names.end());
      for (const auto& [alt_line, name] : names) {
        const toml::node& node = *raw_alts->get(name);
        TomlReader a = alts.table(name);
        Design extra;
        extra.modes = base.modes;
        read_components(a, node.as_table(), ctx, extra);
        Design d = base;
        d.alternative = name;
        d.name = base.name + " / " + name;
        d.notes = a.text_or("notes", base.notes);
        append(d, extra);
        a.finish();
        if (!r.ok())
          break;
        designs.push_back(std::move(d));
      }
      if (r.ok() && designs.empty()) {
        alts.fail("alternatives", "empty (give at least one [alternatives.NAME])");
      }
    } else {
      designs.push_back(base);
    }
  }
  if (r.ok()) {
    r.finish();
  }
  for (const Design& d : designs) {
    if (!r.ok())
      break;
    Checker(d, *sink).run();
  }
  if (!r.ok()) {
    result.error = r.error();
    return result;
  }
  result.file = DesignFile{};
  for (Design& d : designs) {
    result.file->designs.push_back(std::move(d));
  }
  return result;
}

DesignParseResult read_design_file(const std::string& path) {
  DesignParseResult result;
  std::string text;
  if (!sim::read_text_file(path, text, result.error, std::size_t{4} << 20U)) {
    return result;
  }
  return parse_design(text, path);
}

}  // namespace powerstack::design
