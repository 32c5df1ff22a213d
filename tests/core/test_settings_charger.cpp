// ChargerSettings: range checks per field and chemistry, the v2 byte layout, the v1 -> v2
// migration (expected values worked out by hand from the v1 layout), and load/save through
// the store.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "harness/check.hpp"
#include "powerstack/settings/charger_settings_record.hpp"
#include "test_settings_rig.hpp"

namespace {

using namespace settings_test;
using ps::ChargerField;
using ps::ChargerSettings;
using ps::Chemistry;
using ps::StoreStatus;

PS_TEST(charger_settings_defaults_are_valid_for_every_chemistry) {
  const Chemistry all[] = {Chemistry::kLiFePO4, Chemistry::kLiIon, Chemistry::kLeadAcid};
  for (Chemistry c : all) {
    for (std::uint8_t cells = 1; cells <= 12; ++cells) {
      const ps::ValidationReport r = ps::validate(ps::default_charger_settings(c, cells));
      PS_CHECK(r.ok());
    }
  }
}

PS_TEST(charger_settings_each_bad_field_is_named) {
  struct Case {
    ChargerField field;
    void (*spoil)(ChargerSettings&);
  };
  const Case cases[] = {
      {ChargerField::kCellsInSeries, [](ChargerSettings& s) { s.cells_in_series = 0; }},
      {ChargerField::kVAbsorb, [](ChargerSettings& s) { s.v_absorb_cell_v = 3.80f; }},
      {ChargerField::kVFloat, [](ChargerSettings& s) { s.v_float_cell_v = 3.40f; }},
      {ChargerField::kVEqualize, [](ChargerSettings& s) { s.v_equalize_cell_v = 3.6f; }},
      {ChargerField::kVRecharge, [](ChargerSettings& s) { s.v_recharge_cell_v = 3.52f; }},
      {ChargerField::kIChargeMax, [](ChargerSettings& s) { s.i_charge_max_a = 45.0f; }},
      {ChargerField::kITail, [](ChargerSettings& s) { s.i_tail_a = 15.0f; }},
      {ChargerField::kTAbsorbMax, [](ChargerSettings& s) { s.t_absorb_max_s = 10; }},
      {ChargerField::kIPvMax, [](ChargerSettings& s) { s.i_pv_max_a = 0.0f; }},
      {ChargerField::kPInMax, [](ChargerSettings& s) { s.p_in_max_w = 2500.0f; }},
      {ChargerField::kTChargeMin, [](ChargerSettings& s) { s.t_charge_min_c = -5.0f; }},
      {ChargerField::kTChargeMax, [](ChargerSettings& s) { s.t_charge_max_c = -1.0f; }},
      {ChargerField::kVTempComp, [](ChargerSettings& s) { s.v_temp_comp_mv_per_k_cell = -3; }},
      {ChargerField::kIChargeMax,
       [](ChargerSettings& s) { s.i_charge_max_a = std::numeric_limits<float>::quiet_NaN(); }},
  };
  for (const Case& c : cases) {
    ChargerSettings s = ps::default_charger_settings(Chemistry::kLiFePO4, 8);
    c.spoil(s);
    const ps::ValidationReport r = ps::validate(s);
    const ps::FieldIssue* issue = r.find(c.field);
    PS_CHECK(issue != nullptr);
    PS_CHECK(std::strlen(issue->problem) > 10);
    PS_CHECK(std::strlen(ps::field_name(c.field)) > 3);
  }
  // Several at once: all reported.
  ChargerSettings s = ps::default_charger_settings(Chemistry::kLiFePO4, 8);
  s.v_float_cell_v = 3.4f;
  s.p_in_max_w = -1.0f;
  s.t_charge_min_c = -10.0f;
  PS_CHECK(ps::validate(s).count == 3);
  s.chemistry = static_cast<Chemistry>(9);
  const ps::ValidationReport r = ps::validate(s);
  PS_CHECK(r.count == 1 && r.issues[0].field == ChargerField::kChemistry);
}

PS_TEST(charger_settings_ranges_follow_chemistry_and_pack) {
  ChargerSettings lead = ps::default_charger_settings(Chemistry::kLeadAcid, 6);
  lead.v_equalize_cell_v = 2.55f;  // allowed for lead-acid
  PS_CHECK(ps::validate(lead).ok());
  lead.v_float_cell_v = 2.45f;  // above absorption 2.40
  PS_CHECK(ps::validate(lead).find(ChargerField::kVFloat) != nullptr);
  // 17 LiFePO4 cells at 3.55 V are 60.35 V: above the 60 V converter limit.
  ChargerSettings big = ps::default_charger_settings(Chemistry::kLiFePO4, 17);
  const ps::ValidationReport report = ps::validate(big);
  const ps::FieldIssue* issue = report.find(ChargerField::kVAbsorb);
  PS_CHECK(issue != nullptr);
  PS_CHECK_NEAR(issue->max, 60.0 / 17.0, 1e-5);
  big.v_absorb_cell_v = 3.5f;  // 59.5 V
  PS_CHECK(ps::validate(big).ok());
}

PS_TEST(charger_settings_v2_layout_round_trips) {
  ChargerSettings s = ps::default_charger_settings(Chemistry::kLeadAcid, 6);
  s.i_charge_max_a = 12.5f;
  s.t_absorb_max_s = 5400;
  std::uint8_t b[ps::kChargerSettingsV2Bytes];
  PS_CHECK(ps::encode_charger_settings(s, b) == 52);
  PS_CHECK(b[0] == 3 && b[1] == 6);
  // 12.5f is 0x41480000, little-endian at offset 20; 5400 = 0x1518 at 28.
  PS_CHECK(b[20] == 0x00 && b[21] == 0x00 && b[22] == 0x48 && b[23] == 0x41);
  PS_CHECK(b[28] == 0x18 && b[29] == 0x15 && b[30] == 0 && b[31] == 0);
  ChargerSettings back;
  PS_CHECK(ps::decode_charger_settings(2, b, sizeof b, back) == ps::DecodeStatus::kOk);
  PS_CHECK(back.i_charge_max_a == 12.5f && back.t_absorb_max_s == 5400);
  PS_CHECK(back.v_temp_comp_mv_per_k_cell == s.v_temp_comp_mv_per_k_cell);
  PS_CHECK(ps::decode_charger_settings(2, b, 51, back) == ps::DecodeStatus::kBadLength);
  PS_CHECK(ps::decode_charger_settings(3, b, sizeof b, back) == ps::DecodeStatus::kNewerVersion);
  PS_CHECK(ps::decode_charger_settings(0, b, sizeof b, back) == ps::DecodeStatus::kUnknownVersion);
  b[0] = 7;  // unknown chemistry
  PS_CHECK(ps::decode_charger_settings(2, b, sizeof b, back) == ps::DecodeStatus::kInvalid);
}

PS_TEST(charger_settings_v1_migrates_to_v2) {
  // A v1 record as v1 firmware wrote it: LiFePO4, 4 cells, absorption 14.4 V pack, float
  // 0, recharge 13.4 V, 15 A charge, 20 A PV, 400 W, 90 minutes.
  const std::uint8_t v1[16] = {1,    4,    0x40, 0x38, 0x00, 0x00, 0x58, 0x34,
                               0x98, 0x3A, 0x20, 0x4E, 0x90, 0x01, 90,   0};
  ChargerSettings s;
  PS_CHECK(ps::decode_charger_settings(1, v1, sizeof v1, s) == ps::DecodeStatus::kOk);
  PS_CHECK(s.chemistry == Chemistry::kLiFePO4 && s.cells_in_series == 4);
  PS_CHECK_NEAR(s.v_absorb_cell_v, 3.6, 1e-6);     // 14400 mV / 4
  PS_CHECK_NEAR(s.v_recharge_cell_v, 3.35, 1e-6);  // 13400 mV / 4
  PS_CHECK(s.v_float_cell_v == 0.0f && s.v_equalize_cell_v == 0.0f);
  PS_CHECK_NEAR(s.i_charge_max_a, 15.0, 1e-6);
  PS_CHECK_NEAR(s.i_tail_a, 0.75, 1e-6);  // 5 % of 15 A
  PS_CHECK_NEAR(s.i_pv_max_a, 20.0, 1e-6);
  PS_CHECK_NEAR(s.p_in_max_w, 400.0, 1e-6);
  PS_CHECK(s.t_absorb_max_s == 5400);
  // Fields v1 did not have: the chemistry's defaults.
  PS_CHECK(s.t_charge_min_c == 0.0f && s.t_charge_max_c == 45.0f);
  PS_CHECK(s.v_temp_comp_mv_per_k_cell == 0.0f);
  // The v1 encoder writes the same bytes back.
  std::uint8_t again[16];
  PS_CHECK(ps::encode_charger_settings_v1(s, again) == 16);
  PS_CHECK(std::memcmp(again, v1, 16) == 0);
  // A v1 record out of range stays refused after migration.
  std::uint8_t bad[16];
  std::memcpy(bad, v1, 16);
  bad[2] = 0xFF;
  bad[3] = 0xFF;  // 65.535 V on 4 LiFePO4 cells
  PS_CHECK(ps::decode_charger_settings(1, bad, 16, s) == ps::DecodeStatus::kInvalid);
  PS_CHECK(ps::decode_charger_settings(1, v1, 15, s) == ps::DecodeStatus::kBadLength);
}

PS_TEST(charger_settings_load_migrates_and_persists) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  ChargerSettings s;
  PS_CHECK(ps::load_charger_settings(r.store, s).store == StoreStatus::kNotFound);
  ChargerSettings v1 = ps::default_charger_settings(Chemistry::kLeadAcid, 6);
  std::uint8_t payload[16];
  PS_CHECK(r.store.write(ps::kChargerSettingsKey, 1, payload,
                         ps::encode_charger_settings_v1(v1, payload)) == StoreStatus::kOk);
  ps::ChargerSettingsLoad load = ps::load_charger_settings(r.store, s);
  PS_CHECK(load.ok() && load.migrated && load.stored_version == 1);
  PS_CHECK(load.migrated_write == StoreStatus::kOk);
  PS_CHECK_NEAR(s.v_absorb_cell_v, 2.4, 1e-6);
  PS_CHECK_NEAR(s.v_float_cell_v, 2.25, 1e-6);
  Rig boot(r, 4);
  PS_CHECK(boot.store.mount() == StoreStatus::kOk);
  load = ps::load_charger_settings(boot.store, s);
  PS_CHECK(load.ok() && !load.migrated && load.stored_version == 2);
  PS_CHECK(s.v_temp_comp_mv_per_k_cell == -4.0f);
}

PS_TEST(charger_settings_save_refuses_invalid_and_newer_records_are_reported) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  ChargerSettings s = ps::default_charger_settings(Chemistry::kLiIon, 3);
  s.v_absorb_cell_v = 4.35f;
  ps::ChargerSettingsSave save = ps::save_charger_settings(r.store, s);
  PS_CHECK(!save.ok() && save.report.find(ChargerField::kVAbsorb) != nullptr);
  PS_CHECK(r.flash.bytes_programmed() == 0);
  s.v_absorb_cell_v = 4.1f;
  PS_CHECK(ps::save_charger_settings(r.store, s).ok());
  // A record from firmware with schema 3 (after a rollback): reported, settings untouched.
  std::uint8_t future[60] = {};
  PS_CHECK(r.store.write(ps::kChargerSettingsKey, 3, future, sizeof future) == StoreStatus::kOk);
  ChargerSettings out = ps::default_charger_settings(Chemistry::kLeadAcid, 6);
  const ps::ChargerSettingsLoad load = ps::load_charger_settings(r.store, out);
  PS_CHECK(!load.ok() && load.decode == ps::DecodeStatus::kNewerVersion);
  PS_CHECK(out.chemistry == Chemistry::kLeadAcid);
}

}  // namespace
