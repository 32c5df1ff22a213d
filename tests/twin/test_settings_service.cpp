#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "powerstack/twin/settings_json.hpp"
#include "powerstack/twin/settings_service.hpp"

namespace {

using powerstack::settings::ChargerSettings;
using powerstack::twin::open_settings_flash;
using powerstack::twin::SettingsService;

std::string temp_dir(const char* name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   (std::string("powerstack-twin-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(SettingsService, StoredSettingsSurviveAReopenedFlash) {
  const std::string dir = temp_dir("persist");
  std::string error;
  {
    auto flash = open_settings_flash(dir, error);
    ASSERT_NE(flash, nullptr) << error;
    SettingsService service(*flash, ChargerSettings{});
    EXPECT_FALSE(service.load().from_flash);
    ChargerSettings seen{};
    int calls = 0;
    service.set_listener([&](const ChargerSettings& s) {
      seen = s;
      ++calls;
    });
    const auto r = service.apply(R"({"v_absorb_cell_v": 3.45, "i_tail_a": 2.0})");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(calls, 1);
    EXPECT_FLOAT_EQ(seen.v_absorb_cell_v, 3.45f);
    EXPECT_EQ(r.body["i_tail_a"], 2.0);
  }
  auto flash = open_settings_flash(dir, error);
  ASSERT_NE(flash, nullptr) << error;
  SettingsService reopened(*flash, ChargerSettings{});
  EXPECT_TRUE(reopened.load().from_flash);
  EXPECT_FLOAT_EQ(reopened.current().v_absorb_cell_v, 3.45f);
  EXPECT_FLOAT_EQ(reopened.current().i_tail_a, 2.0f);
  std::filesystem::remove_all(dir);
}

TEST(SettingsService, InvalidBodyStoresNothingAndCallsNoOne) {
  const std::string dir = temp_dir("invalid");
  std::string error;
  auto flash = open_settings_flash(dir, error);
  ASSERT_NE(flash, nullptr) << error;
  SettingsService service(*flash, ChargerSettings{});
  service.load();
  int calls = 0;
  service.set_listener([&](const ChargerSettings&) { ++calls; });
  const auto r = service.apply(R"({"v_absorb_cell_v": 9})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"], "bad-field");
  EXPECT_EQ(calls, 0);
  EXPECT_FLOAT_EQ(service.current().v_absorb_cell_v, ChargerSettings{}.v_absorb_cell_v);
  std::filesystem::remove_all(dir);
}

TEST(SettingsService, FailingFlashKeepsTheOldSettingsAndAnswers503) {
  const std::string dir = temp_dir("failing");
  std::string error;
  auto flash = open_settings_flash(dir, error);
  ASSERT_NE(flash, nullptr) << error;
  SettingsService service(*flash, ChargerSettings{});
  service.load();
  ASSERT_EQ(service.apply(R"({"v_absorb_cell_v": 3.45})").status, 200);
  int calls = 0;
  service.set_listener([&](const ChargerSettings&) { ++calls; });
  flash->emulation().schedule_power_cut(5);  // the supply fails while the record is written
  const auto r = service.apply(R"({"v_absorb_cell_v": 3.5})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body["error"], "storage-failed");
  EXPECT_EQ(calls, 0);
  EXPECT_FLOAT_EQ(service.current().v_absorb_cell_v, 3.45f);
  // After the "reboot" the flash still holds the old value, never a mix.
  flash.reset();
  auto again = open_settings_flash(dir, error);
  ASSERT_NE(again, nullptr) << error;
  SettingsService reopened(*again, ChargerSettings{});
  EXPECT_TRUE(reopened.load().from_flash);
  EXPECT_FLOAT_EQ(reopened.current().v_absorb_cell_v, 3.45f);
  std::filesystem::remove_all(dir);
}

}  // namespace
