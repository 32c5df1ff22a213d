// The PV module datasheet as data (TOML): isc_a, voc_v, imp_a, vmp_v, alpha_isc_per_k,
// beta_voc_per_k, cells_in_series, and optional name/notes. Used by `powerstack pv-curve
// --datasheet` and by scenarios ([pv] module = "file" or an inline [pv.module] table).
// Temperature coefficients are relative per kelvin (0.0005 = +0.05 %/K).
#pragma once

#include <optional>
#include <string>

#include "sim/models/pv_single_diode.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace powerstack::sim {

// Reads the datasheet keys of `r`'s table (does not call finish(): the caller may own more
// keys). Errors go to r's sink, naming file, line and key.
PvModuleParams read_pv_datasheet(TomlReader& r);

// Reads a datasheet file; on failure returns nullopt with one line in `error`.
std::optional<PvModuleParams> load_pv_datasheet_file(const std::string& path, std::string& error);

}  // namespace powerstack::sim
