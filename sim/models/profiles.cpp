#include "sim/models/profiles.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <system_error>

namespace powerstack::sim {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Whole field as a double (a leading '+' allowed), or nothing.
std::optional<double> parse_number(std::string_view field) {
  if (!field.empty() && field.front() == '+') {
    field.remove_prefix(1);
  }
  if (field.empty()) {
    return std::nullopt;
  }
  double x = 0.0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, x);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return x;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) {
      return fields;
    }
    start = comma + 1;
  }
}

std::string format_number(double x) {
  std::array<char, 32> buf{};
  const auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return ec == std::errc() ? std::string(buf.data(), ptr) : std::string("?");
}

ProfileParseResult fail(std::size_t line_no, const std::string& what) {
  ProfileParseResult r;
  r.error = "line " + std::to_string(line_no) + ": " + what;
  return r;
}

// Seconds into the day, in [0, 86400).
double time_of_day_s(double t_s) {
  const double tau = std::fmod(t_s, kSecondsPerDay);
  return tau < 0.0 ? tau + kSecondsPerDay : tau;
}

}  // namespace

Result<TimeSeriesProfile> TimeSeriesProfile::create(std::vector<double> t_s,
                                                    std::vector<double> values) {
  if (t_s.empty() || t_s.size() != values.size()) {
    return Status::kInvalidArgument;
  }
  for (std::size_t k = 0; k < t_s.size(); ++k) {
    if (!std::isfinite(t_s[k]) || !std::isfinite(values[k])) {
      return Status::kInvalidArgument;
    }
    if (k > 0 && !(t_s[k] > t_s[k - 1])) {
      return Status::kOutOfOrder;
    }
  }
  TimeSeriesProfile p;
  p.t_s_ = std::move(t_s);
  p.values_ = std::move(values);
  return p;
}

double TimeSeriesProfile::value_at(double t_s) const {
  if (std::isnan(t_s)) {
    return t_s;
  }
  if (t_s <= t_s_.front()) {
    return values_.front();
  }
  if (t_s >= t_s_.back()) {
    return values_.back();
  }
  const auto it = std::upper_bound(t_s_.begin(), t_s_.end(), t_s);
  const auto k = static_cast<std::size_t>(it - t_s_.begin());  // t_s_[k-1] <= t < t_s_[k]
  const double f = (t_s - t_s_[k - 1]) / (t_s_[k] - t_s_[k - 1]);
  return values_[k - 1] + f * (values_[k] - values_[k - 1]);
}

ProfileParseResult parse_profile_csv(std::string_view text) {
  std::vector<double> times;
  std::vector<double> values;
  std::string name = "value";
  bool seen_content = false;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t stop = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view line = trim(text.substr(start, stop - start));
    ++line_no;
    start = stop + 1;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const std::vector<std::string_view> fields = split_fields(line);
    const bool first_content = !seen_content;
    seen_content = true;
    if (first_content && fields.front() == "t_s") {
      if (fields.size() != 2 || fields[1].empty()) {
        return fail(line_no, "header must be 't_s,<name>'");
      }
      name = std::string(fields[1]);
      continue;
    }
    if (fields.size() != 2) {
      return fail(line_no, "expected 2 columns (t_s,value), got " + std::to_string(fields.size()));
    }
    const std::optional<double> t = parse_number(fields[0]);
    if (!t) {
      return fail(line_no, "time '" + std::string(fields[0]) + "' is not a number");
    }
    const std::optional<double> v = parse_number(fields[1]);
    if (!v) {
      return fail(line_no, "value '" + std::string(fields[1]) + "' is not a number");
    }
    if (!std::isfinite(*t) || !std::isfinite(*v)) {
      return fail(line_no, "non-finite number");
    }
    if (!times.empty() && !(*t > times.back())) {
      return fail(line_no, "time " + format_number(*t) + " s does not increase (previous row " +
                               format_number(times.back()) + " s)");
    }
    times.push_back(*t);
    values.push_back(*v);
  }
  if (times.empty()) {
    ProfileParseResult r;
    r.error = "line " + std::to_string(line_no) + ": no data rows";
    return r;
  }
  Result<TimeSeriesProfile> created =
      TimeSeriesProfile::create(std::move(times), std::move(values));
  ProfileParseResult r;
  if (!created.ok()) {  // unreachable: every row was checked above
    r.error = "line " + std::to_string(line_no) + ": " + to_string(created.status());
    return r;
  }
  r.profile = created.value();
  r.profile->set_name(std::move(name));
  return r;
}

double ClearSkySine::irradiance_w_m2(double t_s) const {
  const double day_s = sunset_s - sunrise_s;
  const double tau_s = time_of_day_s(t_s) - sunrise_s;
  if (!(day_s > 0.0) || !(tau_s > 0.0) || !(tau_s < day_s)) {
    return 0.0;
  }
  return g_peak_w_m2 * std::sin(std::numbers::pi * tau_s / day_s);
}

double ClearSkySine::daily_energy_j_m2() const {
  const double day_s = sunset_s - sunrise_s;
  return day_s > 0.0 ? 2.0 * g_peak_w_m2 * day_s / std::numbers::pi : 0.0;
}

double ClearSkyAirMass::cos_zenith(double t_s) const {
  const double decl =
      23.45 * kDegToRad * std::sin(2.0 * std::numbers::pi * (284.0 + day_of_year) / 365.0);
  const double hour_angle = 15.0 * kDegToRad * (time_of_day_s(t_s) / 3600.0 - 12.0);
  const double lat = latitude_deg * kDegToRad;
  return std::sin(lat) * std::sin(decl) + std::cos(lat) * std::cos(decl) * std::cos(hour_angle);
}

double ClearSkyAirMass::irradiance_w_m2(double t_s) const {
  const double cos_z = cos_zenith(t_s);
  if (!(cos_z > 0.0)) {
    return 0.0;
  }
  const double zenith_deg = std::acos(std::min(cos_z, 1.0)) / kDegToRad;
  const double air_mass = 1.0 / (cos_z + 0.50572 * std::pow(96.07995 - zenith_deg, -1.6364));
  const double dni_w_m2 = 1353.0 * std::pow(0.7, std::pow(air_mass, 0.678));
  return g_scale * 1.1 * dni_w_m2 * cos_z;
}

double DailyTemperatureSine::temperature_c(double t_s) const {
  return t_mean_c +
         amplitude_c * std::cos(2.0 * std::numbers::pi * (t_s - t_peak_s) / kSecondsPerDay);
}

}  // namespace powerstack::sim
