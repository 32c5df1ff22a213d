// Reads a design file (TOML, docs/design-files.md). On any problem returns no designs and one
// error "file:line: 'key': what is wrong"; nothing throws. Cross-references (rails, parts,
// modes, event targets) and the circuit's shape (a rail nobody drives, a loop) are checked
// here, so every design that comes out can be computed.
#pragma once

#include <optional>
#include <string>

#include "powerstack/design/design.hpp"

namespace powerstack::design {

struct DesignParseResult {
  std::optional<DesignFile> file;
  std::string error;
};

DesignParseResult parse_design(const std::string& text, const std::string& file_name);
DesignParseResult read_design_file(const std::string& path);

}  // namespace powerstack::design
