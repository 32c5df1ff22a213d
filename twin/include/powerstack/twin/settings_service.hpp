// SettingsService: the device's charger settings as the API sees them. The current settings
// live in the settings store (core/settings) on a flash part (on the host a sim::FileFlash
// in the data directory, so they survive a restart). apply() parses and validates a PUT body
// (settings_json.hpp), writes the record, and only when the flash has it hands the new
// settings to the listener (the device runner, which applies them at a tick boundary). A
// failed write leaves the previous settings in force and answers 503 storage-failed.
// Thread-safe: reads and writes may come from any server thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "powerstack/hal/nv_storage.hpp"
#include "powerstack/settings/charger_settings.hpp"
#include "powerstack/settings/settings_store.hpp"
#include "sim/flash/file_flash.hpp"

namespace powerstack::twin {

// The emulated part: 16 KiB, 4 KiB erase blocks, 8-byte program units (STM32L4/G4-like);
// two banks of 8 KiB.
inline constexpr hal::NvGeometry kSettingsFlashGeometry{16384, 4096, 8};
inline constexpr settings::StoreLayout kSettingsLayout{0, 8192};

// DIR/settings.flash, created erased when missing; nullptr with `error` set otherwise.
std::unique_ptr<sim::FileFlash> open_settings_flash(const std::string& data_dir,
                                                    std::string& error);

class SettingsService {
 public:
  using Listener = std::function<void(const settings::ChargerSettings&)>;

  // `flash` outlives the service. `defaults` serve until something is stored.
  SettingsService(hal::NvStorage& flash, const settings::ChargerSettings& defaults);

  struct LoadReport {
    bool from_flash = false;  // false: nothing (intact) stored, the defaults are in force
    std::string note;         // one line for the log
  };
  // Mounts the store and loads the stored settings (migrating an older record).
  LoadReport load();

  [[nodiscard]] settings::ChargerSettings current() const;
  void set_listener(Listener listener);

  struct Result {
    int status = 200;     // 200, 400 (bad-json / bad-field) or 503 (storage-failed)
    nlohmann::json body;  // the stored settings, or the error object
  };
  Result apply(std::string_view body);

 private:
  mutable std::mutex mutex_;
  settings::SettingsStore store_;
  settings::ChargerSettings current_;
  Listener listener_;
};

}  // namespace powerstack::twin
