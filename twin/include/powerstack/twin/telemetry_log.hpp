// TelemetryLog: the device's SQLite log (DATA_DIR/log.sqlite). A row per sample (the runner
// samples every --log-period of device time) and an hourly aggregate, both with retention so
// the file never grows without bound: full rows for the last kFullRetentionS (2 days) of
// device time, hourly means for the last kHourlyRetentionS (365 days). Device time restarts
// at 0 with every twin start; the log continues its own clock (the last logged time plus
// the gap to the first new sample), so history survives restarts in order.
// history("day"): the last 24 h in 5-minute means; history("month"): the last 30 days of
// hourly means. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "powerstack/twin/device_status.hpp"

struct sqlite3;

namespace powerstack::twin {

struct LogPoint {
  double t_s = 0.0;  // log time (continues across restarts)
  double p_pv_w = 0.0;
  double v_bat_v = 0.0;
  double i_bat_a = 0.0;
  double soc = 0.0;
};

class TelemetryLog {
 public:
  static constexpr double kFullRetentionS = 2.0 * 86400.0;
  static constexpr double kHourlyRetentionS = 365.0 * 86400.0;

  // Null with `error` set when the database cannot be opened or created.
  static std::unique_ptr<TelemetryLog> open(const std::string& path, std::string& error);
  ~TelemetryLog();
  TelemetryLog(const TelemetryLog&) = delete;
  TelemetryLog& operator=(const TelemetryLog&) = delete;

  // Adds the status as a sample (its t_s is device time since this twin started).
  bool add(const DeviceStatus& s);
  // "day" or "month" (anything else: empty).
  std::vector<LogPoint> history(const std::string& range);
  static std::string to_csv(const std::vector<LogPoint>& points);

  [[nodiscard]] long long full_rows();
  [[nodiscard]] long long hourly_rows();

 private:
  explicit TelemetryLog(sqlite3* db, double base_s);
  bool exec(const char* sql);
  std::mutex mutex_;
  sqlite3* db_;
  double base_s_;  // log time of device time 0 for this run
};

}  // namespace powerstack::twin
