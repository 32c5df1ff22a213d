#include "sim/scenario/pv_datasheet.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "sim/scenario/text_file.hpp"

namespace powerstack::sim {

namespace {

std::string format_number(double x) {
  std::array<char, 32> buf{};
  (void)std::snprintf(buf.data(), buf.size(), "%g", x);
  return buf.data();
}

}  // namespace

PvModuleParams read_pv_datasheet(TomlReader& r) {
  PvModuleParams ds;
  // A required number: "missing" names what is expected; the range check follows.
  const auto number = [&r](const char* key, const char* what) {
    if (!r.has(key)) {
      r.fail(key, std::string("missing (") + what + ")");
      return 0.0;
    }
    return r.number(key, -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
  };
  const auto positive = [&](const char* key, const char* what, double hi) {
    const double v = number(key, what);
    if (r.ok() && !(v > 0.0 && v <= hi)) {
      r.fail(key, format_number(v) + " must be positive (at most " + format_number(hi) + ")");
    }
    return v;
  };
  ds.isc_a = positive("isc_a", "short-circuit current, A", 1e3);
  ds.voc_v = positive("voc_v", "open-circuit voltage, V", 1e4);
  ds.imp_a = positive("imp_a", "MPP current, A", 1e3);
  ds.vmp_v = positive("vmp_v", "MPP voltage, V", 1e4);
  ds.alpha_isc_per_k = number("alpha_isc_per_k", "Isc temperature coefficient, 1/K");
  if (r.ok() && !(std::fabs(ds.alpha_isc_per_k) <= 0.01)) {
    r.fail("alpha_isc_per_k", format_number(ds.alpha_isc_per_k) +
                                  " is not a relative coefficient per kelvin (0.0005 "
                                  "= 0.05 %/K; at most 0.01 in size)");
  }
  ds.beta_voc_per_k = number("beta_voc_per_k", "Voc temperature coefficient, 1/K");
  if (r.ok() && !(ds.beta_voc_per_k < 0.0 && ds.beta_voc_per_k >= -0.01)) {
    r.fail("beta_voc_per_k", format_number(ds.beta_voc_per_k) +
                                 " must be negative, relative per kelvin (-0.0029 "
                                 "= -0.29 %/K; -0.01 .. 0)");
  }
  ds.cells_in_series = static_cast<int>(r.integer("cells_in_series", 1, 10000));
  r.text_or("name", "");
  r.text_or("notes", "");
  if (r.ok() && !(ds.imp_a < ds.isc_a)) {
    r.fail("imp_a", "must be below isc_a");
  }
  if (r.ok() && !(ds.vmp_v < ds.voc_v)) {
    r.fail("vmp_v", "must be below voc_v");
  }
  return ds;
}

std::optional<PvModuleParams> load_pv_datasheet_file(const std::string& path, std::string& error) {
  std::string text;
  if (!read_text_file(path, text, error)) {
    return std::nullopt;
  }
  std::optional<toml::table> table = parse_toml(text, path, error);
  if (!table) {
    return std::nullopt;
  }
  TomlReader r(&*table, path, "");
  const PvModuleParams ds = read_pv_datasheet(r);
  r.finish();
  if (!r.ok()) {
    error = r.error();
    return std::nullopt;
  }
  return ds;
}

}  // namespace powerstack::sim
