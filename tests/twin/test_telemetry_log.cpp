#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "powerstack/twin/telemetry_log.hpp"

namespace {

using powerstack::twin::DeviceStatus;
using powerstack::twin::TelemetryLog;

std::string temp_db(const char* name) {
  const auto p = std::filesystem::temp_directory_path() /
                 (std::string("powerstack-twin-log-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove(p);
  return p.string();
}

DeviceStatus at(double t_s, double p_w) {
  DeviceStatus s;
  s.t_s = t_s;
  s.p_pv_w = p_w;
  s.v_bat_v = 26.0;
  s.soc = 0.5;
  return s;
}

TEST(TelemetryLog, DayHistoryIsFiveMinuteMeans) {
  const std::string path = temp_db("day");
  std::string error;
  auto log = TelemetryLog::open(path, error);
  ASSERT_NE(log, nullptr) << error;
  for (int k = 1; k <= 600; ++k) {  // 10 minutes at 1 s, power = k
    ASSERT_TRUE(log->add(at(k, k)));
  }
  const auto day = log->history("day");
  ASSERT_EQ(day.size(), 3U);               // buckets [0,300), [300,600), [600,900)
  EXPECT_DOUBLE_EQ(day[0].p_pv_w, 150.0);  // mean of 1..299
  EXPECT_DOUBLE_EQ(day[1].p_pv_w, 449.5);  // mean of 300..599
  EXPECT_TRUE(log->history("year").empty());
  const std::string csv = TelemetryLog::to_csv(day);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "t_s,p_pv_w,v_bat_v,i_bat_a,soc");
  std::filesystem::remove(path);
}

TEST(TelemetryLog, RetentionBoundsBothTables) {
  const std::string path = temp_db("retention");
  std::string error;
  auto log = TelemetryLog::open(path, error);
  ASSERT_NE(log, nullptr) << error;
  // 400 days, one sample an hour.
  for (int k = 1; k <= 400 * 24; ++k) {
    ASSERT_TRUE(log->add(at(3600.0 * k, 1.0)));
  }
  EXPECT_LE(log->full_rows(), 2 * 24 + 1);
  EXPECT_GE(log->full_rows(), 2 * 24 - 1);
  EXPECT_LE(log->hourly_rows(), 365 * 24 + 1);
  EXPECT_GE(log->hourly_rows(), 365 * 24 - 1);
  EXPECT_EQ(log->history("month").size(), 30U * 24U);
  std::filesystem::remove(path);
}

TEST(TelemetryLog, ContinuesItsClockAcrossARestart) {
  const std::string path = temp_db("restart");
  std::string error;
  {
    auto log = TelemetryLog::open(path, error);
    ASSERT_NE(log, nullptr) << error;
    for (int k = 1; k <= 10; ++k) {
      log->add(at(60.0 * k, 100.0));
    }
  }
  auto log = TelemetryLog::open(path, error);
  ASSERT_NE(log, nullptr) << error;
  for (int k = 1; k <= 10; ++k) {
    log->add(at(60.0 * k, 200.0));  // device time starts again at 0
  }
  EXPECT_EQ(log->full_rows(), 20);
  const auto day = log->history("day");
  ASSERT_FALSE(day.empty());
  EXPECT_DOUBLE_EQ(day.front().p_pv_w, 100.0);
  std::filesystem::remove(path);
}

}  // namespace
