// ChargerSettings as a settings-store record: the byte layout of each schema version, the
// migration from older versions, and load/save through a SettingsStore.
//
// Migration: a decoder knows every version it ever wrote. load_charger_settings() decodes an
// older record, converts it step by step (v1 -> v2 -> ...) to the current struct, validates
// it and writes it back as the current version, so the next start reads it directly. A
// power cut during that write leaves the old record, which migrates again. A record newer
// than this firmware knows (after a rollback to older firmware) is reported, never guessed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/settings/charger_settings.hpp"
#include "powerstack/settings/settings_store.hpp"

namespace powerstack::settings {

inline constexpr std::uint16_t kChargerSettingsKey = 0x0001;

// v1: 16 bytes. 0 u8 chemistry, 1 u8 cells, 2 u16 absorption pack mV, 4 u16 float pack mV,
// 6 u16 recharge pack mV, 8 u16 charge current limit mA, 10 u16 PV current limit mA,
// 12 u16 input power limit W, 14 u16 absorption time limit minutes.
inline constexpr std::size_t kChargerSettingsV1Bytes = 16;
// v2: 52 bytes. 0 u8 chemistry, 1 u8 cells, 2 u16 0, then f32: 4 absorb, 8 float,
// 12 equalize, 16 recharge (V/cell), 20 i_charge_max, 24 i_tail (A), 28 u32 t_absorb_max_s,
// f32: 32 i_pv_max (A), 36 p_in_max (W), 40 t_charge_min, 44 t_charge_max (C),
// 48 temperature compensation (mV/K/cell).
inline constexpr std::size_t kChargerSettingsV2Bytes = 52;

enum class DecodeStatus : std::uint8_t {
  kOk = 0,
  kBadLength,       // payload length does not match its version
  kNewerVersion,    // written by newer firmware
  kUnknownVersion,  // 0 or a version never written
  kInvalid,         // decoded, but outside the allowed ranges (see validate())
};
const char* to_string(DecodeStatus s);

// The current version's payload; out must hold kChargerSettingsV2Bytes.
std::size_t encode_charger_settings(const ChargerSettings& s, std::uint8_t* out);
// The v1 layout, as v1 firmware wrote it (for migration tests and tools). Per-cell values
// are multiplied by the cell count and rounded to mV.
std::size_t encode_charger_settings_v1(const ChargerSettings& s, std::uint8_t* out);
// Any known version to the current struct; v1 gets the fields it lacked from the
// chemistry's defaults and its implicit tail current (5 % of the current limit).
DecodeStatus decode_charger_settings(std::uint16_t version, const std::uint8_t* payload,
                                     std::size_t length, ChargerSettings& out);

struct ChargerSettingsLoad {
  StoreStatus store = StoreStatus::kOk;  // kNotFound: nothing stored yet (use defaults)
  DecodeStatus decode = DecodeStatus::kOk;
  std::uint16_t stored_version = 0;
  bool migrated = false;                          // stored_version was older than current
  StoreStatus migrated_write = StoreStatus::kOk;  // writing back the migrated record
  ReadInfo info;
  [[nodiscard]] bool ok() const { return store == StoreStatus::kOk && decode == DecodeStatus::kOk; }
};

// `out` changes only when ok().
ChargerSettingsLoad load_charger_settings(SettingsStore& store, ChargerSettings& out);
// Validates first: an invalid struct is not written (the report names every bad field and
// the store is not touched).
struct ChargerSettingsSave {
  ValidationReport report;
  StoreStatus store = StoreStatus::kOk;
  [[nodiscard]] bool ok() const { return report.ok() && store == StoreStatus::kOk; }
};
ChargerSettingsSave save_charger_settings(SettingsStore& store, const ChargerSettings& s);

}  // namespace powerstack::settings
