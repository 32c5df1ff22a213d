// Environment time series: a sampled profile from CSV text (linear interpolation), a
// built-in clear-sky day of irradiance (a sine, or an air-mass model from the sun's position)
// and a daily ambient-temperature sine.
//
// Time: t_s is seconds since local midnight of day 0 (solar time for the air-mass model);
// the built-in profiles repeat every 86 400 s. Irradiance is global horizontal in W/m^2
// (the sine model: on whatever plane g_peak was given for). Nothing here throws; the CSV
// reader returns its errors as "line N: ..." text. See docs/other-models.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "powerstack/common/status.hpp"

namespace powerstack::sim {

inline constexpr double kSecondsPerDay = 86400.0;

class TimeSeriesProfile {
 public:
  TimeSeriesProfile() = default;
  // Refuses empty or unequal columns, non-finite numbers and times that do not increase.
  static Result<TimeSeriesProfile> create(std::vector<double> t_s, std::vector<double> values);

  // Linear interpolation; held at the first/last value outside the samples.
  [[nodiscard]] double value_at(double t_s) const;
  [[nodiscard]] const std::vector<double>& times_s() const { return t_s_; }
  [[nodiscard]] const std::vector<double>& values() const { return values_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 private:
  std::vector<double> t_s_{0.0};
  std::vector<double> values_{0.0};
  std::string name_ = "value";
};

struct ProfileParseResult {
  std::optional<TimeSeriesProfile> profile;
  std::string error;  // "line N: ..." (1-based) when profile is empty
};

// CSV with two columns t_s,value. An optional header line whose first field is "t_s" names
// the value column; '#' comments, blank lines, spaces around fields and CRLF are accepted.
// Times must strictly increase; at least one data row.
ProfileParseResult parse_profile_csv(std::string_view text);

// G(t) = g_peak * sin(pi * (t - sunrise) / (sunset - sunrise)) between sunrise and sunset, 0
// otherwise. Daily energy: 2 * g_peak * (sunset - sunrise) / pi  [J/m^2].
struct ClearSkySine {
  double sunrise_s = 6.0 * 3600.0;
  double sunset_s = 18.0 * 3600.0;
  double g_peak_w_m2 = 1000.0;

  [[nodiscard]] double irradiance_w_m2(double t_s) const;
  [[nodiscard]] double daily_energy_j_m2() const;
};

// Global horizontal irradiance from the sun's position and the air mass:
//   declination d = 23.45 deg * sin(360 deg * (284 + day) / 365)       (Cooper 1969)
//   hour angle h = 15 deg/h * (solar hour - 12)
//   cos z = sin(lat) sin(d) + cos(lat) cos(d) cos(h)
//   AM = 1 / (cos z + 0.50572 (96.07995 - z_deg)^-1.6364)              (Kasten & Young 1989)
//   DNI = 1353 W/m^2 * 0.7^(AM^0.678)                                  (Meinel & Meinel 1976)
//   GHI = 1.1 * DNI * cos z   (diffuse taken as 10 % of direct, PVEducation), 0 with sun down
// scaled by g_scale (1: clear sky at sea level).
struct ClearSkyAirMass {
  double latitude_deg = 48.0;
  int day_of_year = 172;  // 1..365
  double g_scale = 1.0;

  [[nodiscard]] double cos_zenith(double t_s) const;
  [[nodiscard]] double irradiance_w_m2(double t_s) const;
};

// T(t) = t_mean + amplitude * cos(2 pi (t - t_peak) / 86400): warmest at t_peak, coldest
// 12 h later.
struct DailyTemperatureSine {
  double t_mean_c = 15.0;
  double amplitude_c = 6.0;
  double t_peak_s = 15.0 * 3600.0;

  [[nodiscard]] double temperature_c(double t_s) const;
};

}  // namespace powerstack::sim
