// Internals of the design reader shared by its files: the top-level and per-component readers.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "powerstack/design/design.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace powerstack::design::detail {

using sim::TomlReader;

// What the component readers need besides their table.
struct ReadContext {
  const std::map<std::string, Part>* parts = nullptr;
  std::shared_ptr<std::string> error;
};

// A passive value given either inline (`<key>_<unit> = x`, `<key>_tolerance = t`) or as a
// part (`<key>_part = "R1"`), never both. `kinds` lists the part kinds accepted.
Value read_value(TomlReader& r, const ReadContext& ctx, const std::string& key,
                 const std::string& unit, bool required, std::initializer_list<const char*> kinds);

// [device], [requirements], [usage], [montecarlo] and [simulation] into d.
void read_top(TomlReader& r, Design& d);

Part read_part(TomlReader& r, const std::string& name, int line);
Source read_source(TomlReader& r, const ReadContext& ctx, int line);
Storage read_storage(TomlReader& r, const ReadContext& ctx, int line);
Converter read_converter(TomlReader& r, int line);
Diode read_diode(TomlReader& r, int line);
Switch read_switch(TomlReader& r, int line);
Divider read_divider(TomlReader& r, const ReadContext& ctx, int line);
Comparator read_comparator(TomlReader& r, const ReadContext& ctx, int line);
Load read_load(TomlReader& r, const std::vector<std::string>& modes, int line);
Event read_event(TomlReader& r, int line);
Claim read_claim(TomlReader& r, int line);
BomLine read_bom(TomlReader& r);

inline constexpr double kBig = 1e12;  // upper bound of values that have no natural one

}  // namespace powerstack::design::detail
