#include "powerstack/twin/settings_json.hpp"

#include <array>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

namespace powerstack::twin {

namespace {

using settings::ChargerField;
using settings::ChargerSettings;
using settings::Chemistry;

enum class Kind { kChemistry, kCount, kSeconds, kFloat };

struct FieldSpec {
  ChargerField field;
  Kind kind;
  float ChargerSettings::*number;  // kFloat only
};

constexpr std::array<FieldSpec, 14> kFields = {{
    {ChargerField::kChemistry, Kind::kChemistry, nullptr},
    {ChargerField::kCellsInSeries, Kind::kCount, nullptr},
    {ChargerField::kVAbsorb, Kind::kFloat, &ChargerSettings::v_absorb_cell_v},
    {ChargerField::kVFloat, Kind::kFloat, &ChargerSettings::v_float_cell_v},
    {ChargerField::kVEqualize, Kind::kFloat, &ChargerSettings::v_equalize_cell_v},
    {ChargerField::kVRecharge, Kind::kFloat, &ChargerSettings::v_recharge_cell_v},
    {ChargerField::kIChargeMax, Kind::kFloat, &ChargerSettings::i_charge_max_a},
    {ChargerField::kITail, Kind::kFloat, &ChargerSettings::i_tail_a},
    {ChargerField::kTAbsorbMax, Kind::kSeconds, nullptr},
    {ChargerField::kIPvMax, Kind::kFloat, &ChargerSettings::i_pv_max_a},
    {ChargerField::kPInMax, Kind::kFloat, &ChargerSettings::p_in_max_w},
    {ChargerField::kTChargeMin, Kind::kFloat, &ChargerSettings::t_charge_min_c},
    {ChargerField::kTChargeMax, Kind::kFloat, &ChargerSettings::t_charge_max_c},
    {ChargerField::kVTempComp, Kind::kFloat, &ChargerSettings::v_temp_comp_mv_per_k_cell},
}};

constexpr std::array<Chemistry, 3> kChemistries = {Chemistry::kLiFePO4, Chemistry::kLiIon,
                                                   Chemistry::kLeadAcid};

const FieldSpec* find_field(const std::string& name) {
  for (const FieldSpec& f : kFields) {
    if (name == settings::field_name(f.field)) {
      return &f;
    }
  }
  return nullptr;
}

std::string chemistry_list() {
  std::string names;
  for (const Chemistry c : kChemistries) {
    names += names.empty() ? "" : ", ";
    names += std::string("\"") + settings::chemistry_name(c) + "\"";
  }
  return names;
}

// Sets one field of `out` from `v`; the error message when the JSON value cannot be stored.
std::optional<FieldError> set_field(const FieldSpec& spec, const nlohmann::json& v,
                                    ChargerSettings& out) {
  const std::string name = settings::field_name(spec.field);
  switch (spec.kind) {
    case Kind::kChemistry:
      if (v.is_string()) {
        for (const Chemistry c : kChemistries) {
          if (v.get<std::string>() == settings::chemistry_name(c)) {
            out.chemistry = c;
            return std::nullopt;
          }
        }
      }
      return FieldError{name, "must be one of " + chemistry_list(), v, {}, {}};
    case Kind::kCount:
      if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= 255) {
        out.cells_in_series = static_cast<std::uint8_t>(v.get<std::int64_t>());
        return std::nullopt;
      }
      return FieldError{name, "must be an integer in 0..255", v, 0.0, 255.0};
    case Kind::kSeconds: {
      constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
      if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::uint64_t>() <= kMax) {
        out.t_absorb_max_s = static_cast<std::uint32_t>(v.get<std::uint64_t>());
        return std::nullopt;
      }
      return FieldError{name, "must be an integer number of seconds", v, 0.0,
                        static_cast<double>(kMax)};
    }
    case Kind::kFloat:
      if (v.is_number()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && std::fabs(d) <= static_cast<double>(FLT_MAX)) {
          out.*spec.number = static_cast<float>(d);
          return std::nullopt;
        }
        return FieldError{name, "outside the range of a 32-bit float", v, {}, {}};
      }
      return FieldError{name, "must be a number", v, {}, {}};
  }
  return FieldError{name, "unsupported field", v, {}, {}};
}

nlohmann::json field_value(const ChargerSettings& s, ChargerField f) {
  const nlohmann::json all = settings_to_json(s);
  return all.at(settings::field_name(f));
}

SettingsParse failure(std::string code, std::string message, std::vector<FieldError> fields) {
  SettingsParse p;
  p.error = {400, std::move(code), std::move(message), std::move(fields)};
  return p;
}

// The shortest decimal that reads back as the same float, so 3.55f is 3.55 in JSON and not
// 3.549999952316284.
double shortest(float f) {
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), f);
  return std::strtod(std::string(buf.data(), r.ptr).c_str(), nullptr);
}

}  // namespace

nlohmann::json settings_to_json(const ChargerSettings& s) {
  const char* chem = settings::chemistry_name(s.chemistry);
  return {
      {"chemistry", chem != nullptr ? chem : "unknown"},
      {"cells_in_series", s.cells_in_series},
      {"v_absorb_cell_v", shortest(s.v_absorb_cell_v)},
      {"v_float_cell_v", shortest(s.v_float_cell_v)},
      {"v_equalize_cell_v", shortest(s.v_equalize_cell_v)},
      {"v_recharge_cell_v", shortest(s.v_recharge_cell_v)},
      {"i_charge_max_a", shortest(s.i_charge_max_a)},
      {"i_tail_a", shortest(s.i_tail_a)},
      {"t_absorb_max_s", s.t_absorb_max_s},
      {"i_pv_max_a", shortest(s.i_pv_max_a)},
      {"p_in_max_w", shortest(s.p_in_max_w)},
      {"t_charge_min_c", shortest(s.t_charge_min_c)},
      {"t_charge_max_c", shortest(s.t_charge_max_c)},
      {"v_temp_comp_mv_per_k_cell", shortest(s.v_temp_comp_mv_per_k_cell)},
  };
}

SettingsParse parse_settings_json(std::string_view body, const ChargerSettings& current) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    return failure("bad-json", "body is not valid JSON: error at byte " + std::to_string(e.byte),
                   {});
  } catch (const nlohmann::json::exception& e) {
    // e.g. out_of_range 406: a number too large for a double (1e3005); found by the fuzzer.
    return failure("bad-json", std::string("body is not usable JSON: ") + e.what(), {});
  }
  if (!doc.is_object()) {
    return failure(
        "bad-json",
        std::string("body is a JSON ") + doc.type_name() + ", not an object of settings fields",
        {});
  }
  ChargerSettings merged = current;
  std::vector<FieldError> errors;
  std::array<bool, kFields.size()> reported{};
  for (const auto& [key, value] : doc.items()) {
    const FieldSpec* spec = find_field(key);
    if (spec == nullptr) {
      errors.push_back({key, "unknown field", value, {}, {}});
      continue;
    }
    if (auto e = set_field(*spec, value, merged)) {
      reported[static_cast<std::size_t>(spec - kFields.data())] = true;
      errors.push_back(std::move(*e));
    }
  }
  // The merged whole: fields that could not be stored keep their current (valid) values.
  const settings::ValidationReport report = settings::validate(merged);
  for (std::size_t i = 0; i < report.count; ++i) {
    const settings::FieldIssue& issue = report.issues[i];
    const auto index = static_cast<std::size_t>(issue.field);
    if (index < reported.size() && reported[index]) {
      continue;
    }
    errors.push_back({settings::field_name(issue.field), issue.problem,
                      field_value(merged, issue.field), shortest(issue.min), shortest(issue.max)});
  }
  if (!errors.empty()) {
    std::string message = std::to_string(errors.size()) +
                          (errors.size() == 1 ? " field" : " fields") +
                          " rejected; nothing was stored";
    return failure("bad-field", std::move(message), std::move(errors));
  }
  SettingsParse ok;
  ok.settings = merged;
  return ok;
}

}  // namespace powerstack::twin
