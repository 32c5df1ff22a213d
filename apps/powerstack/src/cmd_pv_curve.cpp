// `powerstack pv-curve`: evaluates a PV panel with the single-diode model, either from its
// five parameters or from a datasheet (TOML) fitted to them and scaled to an irradiance
// and cell temperature. Prints Isc, Voc, Imp, Vmp, Pmp and the I-V curve, or with --json
// exactly {"isc":..,"voc":..,"imp":..,"vmp":..,"pmp":..,"curve":[[v,i],...]}.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "powerstack/app/command.hpp"
#include "sim/models/pv_single_diode.hpp"
#include "sim/scenario/pv_datasheet.hpp"

namespace powerstack::app {

namespace {

using sim::PvModuleFit;
using sim::PvModuleParams;
using sim::SingleDiodeParams;

struct PvCurveArgs {
  std::array<double, 5> direct{};  // IL, I0, Rs, Rsh, nNsVth
  std::array<CLI::Option*, 5> direct_opts{};
  std::string datasheet;
  CLI::Option* datasheet_opt = nullptr;
  double irradiance_w_m2 = sim::kStcIrradianceWPerM2;
  double temp_c = sim::kStcTemperatureC;
  CLI::Option* irradiance_opt = nullptr;
  CLI::Option* temp_opt = nullptr;
  int points = 50;
  bool json = false;
};

constexpr std::array<const char*, 5> kDirectNames = {"--il", "--i0", "--rs", "--rsh", "--nnsvth"};

// Reads and fits a datasheet file; on failure returns nullopt with one line in `error`.
std::optional<PvModuleFit> load_datasheet(const std::string& path, std::string& error) {
  const std::optional<PvModuleParams> ds = sim::load_pv_datasheet_file(path, error);
  if (!ds) {
    return std::nullopt;
  }
  PvModuleFit fit = sim::fit_pv_module(*ds);
  if (!fit.ok) {
    error = path + ": cannot fit a single-diode model: " + fit.error;
    return std::nullopt;
  }
  return fit;
}

// Checks the mode and values; on failure returns nullopt with one line in `error`.
std::optional<SingleDiodeParams> resolve_params(const PvCurveArgs& a, std::string& error,
                                                std::string& source, std::string& note) {
  int given = 0;
  std::string missing;
  for (std::size_t k = 0; k < a.direct_opts.size(); ++k) {
    if (a.direct_opts[k]->count() > 0) {
      ++given;
    } else {
      missing += (missing.empty() ? "" : " ") + std::string(kDirectNames[k]);
    }
  }
  const bool has_ds = a.datasheet_opt->count() > 0;
  if (has_ds && given > 0) {
    error = "pv-curve: give either --datasheet FILE or the five parameters, not both";
    return std::nullopt;
  }
  if (!has_ds && given == 0) {
    error = "pv-curve: give --datasheet FILE or all of --il --i0 --rs --rsh --nnsvth";
    return std::nullopt;
  }
  if (!has_ds) {
    if (given < 5) {
      error = "pv-curve: missing " + missing + " (give all of --il --i0 --rs --rsh --nnsvth)";
      return std::nullopt;
    }
    if (a.irradiance_opt->count() > 0 || a.temp_opt->count() > 0) {
      error =
          "pv-curve: --irradiance and --temp-c need --datasheet (the five parameters are used "
          "as given)";
      return std::nullopt;
    }
    const SingleDiodeParams p{a.direct[0], a.direct[1], a.direct[2], a.direct[3], a.direct[4]};
    for (std::size_t k = 0; k < a.direct.size(); ++k) {
      const bool rs = k == 2;
      if (!std::isfinite(a.direct[k]) || a.direct[k] < 0.0 || (!rs && a.direct[k] == 0.0)) {
        error = fmt::format("pv-curve: {} {} must be {}", kDirectNames[k], a.direct[k],
                            rs ? "zero or positive" : "positive");
        return std::nullopt;
      }
    }
    source = fmt::format("five parameters: IL {} A, I0 {} A, Rs {} ohm, Rsh {} ohm, nNsVth {} V",
                         p.il_a, p.i0_a, p.rs_ohm, p.rsh_ohm, p.nnsvth_v);
    return p;
  }
  if (!std::isfinite(a.irradiance_w_m2) || a.irradiance_w_m2 <= 0.0 || a.irradiance_w_m2 > 2000.0) {
    error = fmt::format("pv-curve: --irradiance {} must be positive (W/m2, at most 2000)",
                        a.irradiance_w_m2);
    return std::nullopt;
  }
  if (!std::isfinite(a.temp_c) || a.temp_c < -60.0 || a.temp_c > 120.0) {
    error = fmt::format("pv-curve: --temp-c {} is outside -60 .. 120 C", a.temp_c);
    return std::nullopt;
  }
  const std::optional<PvModuleFit> fit = load_datasheet(a.datasheet, error);
  if (!fit) {
    return std::nullopt;
  }
  const SingleDiodeParams p = sim::module_params_at(*fit, a.irradiance_w_m2, a.temp_c);
  source = fmt::format(
      "datasheet '{}' at {} W/m2, {} C\nmodel: IL {:.6g} A, I0 {:.6g} A, Rs {:.6g} ohm, Rsh "
      "{:.6g} ohm, nNsVth {:.6g} V (fitted n {:.4f})",
      a.datasheet, a.irradiance_w_m2, a.temp_c, p.il_a, p.i0_a, p.rs_ohm, p.rsh_ohm, p.nnsvth_v,
      fit->ideality);
  if (!fit->beta_matched) {
    note = fmt::format(
        "note: the datasheet beta could not be matched with 0.5 <= n and a positive shunt; "
        "the model's beta is {:.3e} /K",
        fit->beta_voc_model_per_k);
  }
  return p;
}

int cmd_pv_curve(const PvCurveArgs& a, std::ostream& out, std::ostream& err) {
  std::string error;
  std::string source;
  std::string note;
  const std::optional<SingleDiodeParams> p = resolve_params(a, error, source, note);
  if (!p) {
    err << "powerstack: " << error << '\n';
    return 1;
  }
  if (a.points < 2 || a.points > 100000) {
    err << "powerstack: pv-curve: --points " << a.points << " must be 2 .. 100000\n";
    return 1;
  }
  const sim::PvSummary s = sim::pv_summary(*p);
  const std::vector<sim::PvPoint> curve = sim::pv_curve(*p, a.points);
  bool finite = std::isfinite(s.isc_a) && std::isfinite(s.voc_v) && std::isfinite(s.pmp_w);
  for (const sim::PvPoint& pt : curve) {
    finite = finite && std::isfinite(pt.v_v) && std::isfinite(pt.i_a);
  }
  if (!finite) {
    err << "powerstack: pv-curve: the model gives no finite curve for these parameters\n";
    return 1;
  }
  if (!note.empty()) {
    err << "powerstack: " << note << '\n';
  }
  if (a.json) {
    nlohmann::ordered_json doc;
    doc["isc"] = s.isc_a;
    doc["voc"] = s.voc_v;
    doc["imp"] = s.imp_a;
    doc["vmp"] = s.vmp_v;
    doc["pmp"] = s.pmp_w;
    nlohmann::ordered_json pts = nlohmann::ordered_json::array();
    for (const sim::PvPoint& pt : curve) {
      pts.push_back({pt.v_v, pt.i_a});
    }
    doc["curve"] = std::move(pts);
    out << doc.dump() << '\n';
    return 0;
  }
  // Rounding noise at Voc (~1e-15 A) would print as -0.0000.
  const auto tidy = [](double x) { return std::fabs(x) < 5e-5 ? 0.0 : x; };
  fmt::print(out, "pv-curve: {}\n\n", source);
  fmt::print(out,
             "Isc {:10.4f} A\nVoc {:10.4f} V\nImp {:10.4f} A\nVmp {:10.4f} V\nPmp {:10.4f} W\n\n",
             s.isc_a, s.voc_v, s.imp_a, s.vmp_v, s.pmp_w);
  fmt::print(out, "{:>10} {:>10} {:>10}\n", "V [V]", "I [A]", "P [W]");
  for (const sim::PvPoint& pt : curve) {
    fmt::print(out, "{:10.4f} {:10.4f} {:10.4f}\n", tidy(pt.v_v), tidy(pt.i_a),
               tidy(pt.v_v * pt.i_a));
  }
  return 0;
}

}  // namespace

Command add_pv_curve_command(CLI::App& app, CommandIo io) {
  auto args = std::make_shared<PvCurveArgs>();
  auto* sub = app.add_subcommand(
      "pv-curve", "Evaluate a PV panel (single-diode model): Isc, Voc, MPP and the I-V curve");
  const std::array<const char*, 5> help = {
      "Photocurrent IL (A)", "Diode saturation current I0 (A)", "Series resistance Rs (ohm)",
      "Shunt resistance Rsh (ohm)", "n * Ns * kT/q, the modified ideality factor (V)"};
  for (std::size_t k = 0; k < kDirectNames.size(); ++k) {
    args->direct_opts[k] = sub->add_option(kDirectNames[k], args->direct[k], help[k]);
  }
  args->datasheet_opt = sub->add_option(
      "--datasheet", args->datasheet,
      "TOML datasheet: isc_a, voc_v, imp_a, vmp_v, alpha_isc_per_k, beta_voc_per_k, "
      "cells_in_series (format: docs/pv-models.md)");
  args->irradiance_opt = sub->add_option("--irradiance", args->irradiance_w_m2,
                                         "Irradiance for --datasheet (W/m2, default 1000)");
  args->temp_opt =
      sub->add_option("--temp-c", args->temp_c, "Cell temperature for --datasheet (C, default 25)");
  sub->add_option("--points", args->points, "Points of the I-V curve (default 50)");
  sub->add_flag("--json", args->json, "Print only JSON to stdout");
  return {sub, [args, io] { return cmd_pv_curve(*args, io.out, io.err); }};
}

}  // namespace powerstack::app
