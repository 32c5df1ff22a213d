#include "powerstack/twin/settings_service.hpp"

#include <filesystem>

#include "powerstack/settings/charger_settings_record.hpp"
#include "powerstack/twin/settings_json.hpp"

namespace powerstack::twin {

std::unique_ptr<sim::FileFlash> open_settings_flash(const std::string& data_dir,
                                                    std::string& error) {
  const std::string path = (std::filesystem::path(data_dir) / "settings.flash").string();
  return sim::FileFlash::open(path, kSettingsFlashGeometry, sim::FileFlash::Mode::kCreateIfMissing,
                              error);
}

SettingsService::SettingsService(hal::NvStorage& flash, const settings::ChargerSettings& defaults)
    : store_(flash, kSettingsLayout), current_(defaults) {}

SettingsService::LoadReport SettingsService::load() {
  const std::lock_guard lock(mutex_);
  LoadReport r;
  const settings::StoreStatus mounted = store_.mount();
  if (mounted != settings::StoreStatus::kOk) {
    r.note = std::string("settings store: mount failed (") + settings::to_string(mounted) +
             "); using the defaults";
    return r;
  }
  settings::ChargerSettings loaded = current_;
  const settings::ChargerSettingsLoad l = settings::load_charger_settings(store_, loaded);
  if (l.ok()) {
    current_ = loaded;
    r.from_flash = true;
    r.note = "settings: loaded from flash (schema v" + std::to_string(l.stored_version) +
             (l.migrated ? ", migrated)" : ")");
  } else if (l.store == settings::StoreStatus::kNotFound) {
    r.note = "settings: none stored yet; using the scenario's";
  } else {
    r.note = std::string("settings: stored record unusable (") + settings::to_string(l.store) +
             ", " + settings::to_string(l.decode) + "); using the scenario's";
  }
  return r;
}

settings::ChargerSettings SettingsService::current() const {
  const std::lock_guard lock(mutex_);
  return current_;
}

void SettingsService::set_listener(Listener listener) {
  const std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

SettingsService::Result SettingsService::apply(std::string_view body) {
  const std::lock_guard lock(mutex_);
  SettingsParse parsed = parse_settings_json(body, current_);
  if (!parsed.ok()) {
    return {parsed.error.status, error_to_json(parsed.error)};
  }
  const settings::ChargerSettingsSave saved =
      settings::save_charger_settings(store_, *parsed.settings);
  if (!saved.ok()) {
    // The store keeps what it held; re-mount so its view matches the flash after a fault.
    (void)store_.mount();
    ApiError e{503,
               "storage-failed",
               std::string("the settings could not be written to flash (") +
                   settings::to_string(saved.store) + "); the previous settings are in force",
               {}};
    return {503, error_to_json(e)};
  }
  current_ = *parsed.settings;
  if (listener_) {
    listener_(current_);
  }
  return {200, settings_to_json(current_)};
}

}  // namespace powerstack::twin
