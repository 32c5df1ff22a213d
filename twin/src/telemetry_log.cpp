#include "powerstack/twin/telemetry_log.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>

namespace powerstack::twin {

namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS samples (t_s REAL PRIMARY KEY, p_pv_w REAL, v_bat_v REAL,"
    " i_bat_a REAL, soc REAL);"
    "CREATE TABLE IF NOT EXISTS hourly (hour INTEGER PRIMARY KEY, n INTEGER, p_pv_w REAL,"
    " v_bat_v REAL, i_bat_a REAL, soc REAL);"
    // A crash may lose the last samples, never the file (WAL); no fsync per sample.
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

// Runs a query with up to two double parameters and collects LogPoints from 5 columns.
std::vector<LogPoint> query_points(sqlite3* db, const char* sql, double a) {
  std::vector<LogPoint> out;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    return out;
  }
  sqlite3_bind_double(st, 1, a);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.push_back({sqlite3_column_double(st, 0), sqlite3_column_double(st, 1),
                   sqlite3_column_double(st, 2), sqlite3_column_double(st, 3),
                   sqlite3_column_double(st, 4)});
  }
  sqlite3_finalize(st);
  return out;
}

double scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  double v = 0.0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_double(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

}  // namespace

std::unique_ptr<TelemetryLog> TelemetryLog::open(const std::string& path, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    error = "cannot open the log '" + path + "': " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  char* msg = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &msg) != SQLITE_OK) {
    error = "the log '" + path + "' is not usable: " + (msg ? msg : "unknown error");
    sqlite3_free(msg);
    sqlite3_close(db);
    return nullptr;
  }
  double last = scalar(db, "SELECT COALESCE(MAX(t_s), 0) FROM samples");
  if (last == 0.0) {
    last = scalar(db, "SELECT COALESCE(MAX(hour) * 3600 + 3600, 0) FROM hourly");
  }
  return std::unique_ptr<TelemetryLog>(new TelemetryLog(db, last));
}

TelemetryLog::TelemetryLog(sqlite3* db, double base_s) : db_(db), base_s_(base_s) {}

TelemetryLog::~TelemetryLog() {
  sqlite3_close(db_);
}

bool TelemetryLog::exec(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

bool TelemetryLog::add(const DeviceStatus& s) {
  const std::lock_guard lock(mutex_);
  const double t = base_s_ + s.t_s;
  const auto hour = static_cast<long long>(t / 3600.0);
  const std::string sql = fmt::format(
      "BEGIN;"
      "INSERT OR REPLACE INTO samples VALUES ({0:.17g}, {1:.17g}, {2:.17g}, {3:.17g}, {4:.17g});"
      "INSERT INTO hourly VALUES ({5}, 1, {1:.17g}, {2:.17g}, {3:.17g}, {4:.17g})"
      " ON CONFLICT(hour) DO UPDATE SET n = n + 1, p_pv_w = p_pv_w + excluded.p_pv_w,"
      " v_bat_v = v_bat_v + excluded.v_bat_v, i_bat_a = i_bat_a + excluded.i_bat_a,"
      " soc = soc + excluded.soc;"
      "DELETE FROM samples WHERE t_s < {6:.17g};"
      "DELETE FROM hourly WHERE hour < {7};"
      "COMMIT;",
      t, s.p_pv_w, s.v_bat_v, s.i_bat_a, s.soc, hour, t - kFullRetentionS,
      static_cast<long long>((t - kHourlyRetentionS) / 3600.0));
  if (!exec(sql.c_str())) {
    exec("ROLLBACK;");
    return false;
  }
  return true;
}

std::vector<LogPoint> TelemetryLog::history(const std::string& range) {
  const std::lock_guard lock(mutex_);
  const double now = scalar(db_, "SELECT COALESCE(MAX(t_s), 0) FROM samples");
  if (range == "day") {
    return query_points(db_,
                        "SELECT MIN(t_s), AVG(p_pv_w), AVG(v_bat_v), AVG(i_bat_a), AVG(soc)"
                        " FROM samples WHERE t_s > ?1 GROUP BY CAST(t_s / 300 AS INTEGER)"
                        " ORDER BY 1",
                        now - 86400.0);
  }
  if (range == "month") {
    return query_points(db_,
                        "SELECT hour * 3600.0, p_pv_w / n, v_bat_v / n, i_bat_a / n, soc / n"
                        " FROM hourly WHERE hour * 3600.0 > ?1 ORDER BY hour",
                        now - 30.0 * 86400.0);
  }
  return {};
}

std::string TelemetryLog::to_csv(const std::vector<LogPoint>& points) {
  std::string out = "t_s,p_pv_w,v_bat_v,i_bat_a,soc\n";
  for (const LogPoint& p : points) {
    out += fmt::format("{:.0f},{:.2f},{:.3f},{:.3f},{:.4f}\n", p.t_s, p.p_pv_w, p.v_bat_v,
                       p.i_bat_a, p.soc);
  }
  return out;
}

long long TelemetryLog::full_rows() {
  const std::lock_guard lock(mutex_);
  return static_cast<long long>(scalar(db_, "SELECT COUNT(*) FROM samples"));
}

long long TelemetryLog::hourly_rows() {
  const std::lock_guard lock(mutex_);
  return static_cast<long long>(scalar(db_, "SELECT COUNT(*) FROM hourly"));
}

}  // namespace powerstack::twin
