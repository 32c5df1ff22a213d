#include "powerstack/settings/charger_settings_record.hpp"

#include <cmath>

#include "powerstack/settings/byte_order.hpp"

namespace powerstack::settings {

namespace {

std::uint16_t to_u16(float v) {
  if (!(v >= 0.0f)) {
    return 0;
  }
  return v >= 65535.0f ? 65535U : static_cast<std::uint16_t>(std::lround(v));
}

DecodeStatus decode_v1(const std::uint8_t* p, ChargerSettings& s) {
  const auto chemistry = static_cast<Chemistry>(p[0]);
  const std::uint8_t cells = p[1];
  if (chemistry_name(chemistry) == nullptr || cells == 0) {
    return DecodeStatus::kInvalid;
  }
  s = default_charger_settings(chemistry, cells);
  const float n = static_cast<float>(cells);
  s.v_absorb_cell_v = static_cast<float>(get_u16(p + 2)) / 1000.0f / n;
  s.v_float_cell_v = static_cast<float>(get_u16(p + 4)) / 1000.0f / n;
  s.v_equalize_cell_v = 0.0f;  // v1 had no equalisation stage
  s.v_recharge_cell_v = static_cast<float>(get_u16(p + 6)) / 1000.0f / n;
  s.i_charge_max_a = static_cast<float>(get_u16(p + 8)) / 1000.0f;
  s.i_tail_a = 0.05f * s.i_charge_max_a;  // v1 firmware's fixed rule
  s.i_pv_max_a = static_cast<float>(get_u16(p + 10)) / 1000.0f;
  s.p_in_max_w = static_cast<float>(get_u16(p + 12));
  s.t_absorb_max_s = static_cast<std::uint32_t>(get_u16(p + 14)) * 60U;
  return DecodeStatus::kOk;
}

DecodeStatus decode_v2(const std::uint8_t* p, ChargerSettings& s) {
  s.chemistry = static_cast<Chemistry>(p[0]);
  s.cells_in_series = p[1];
  s.v_absorb_cell_v = get_f32(p + 4);
  s.v_float_cell_v = get_f32(p + 8);
  s.v_equalize_cell_v = get_f32(p + 12);
  s.v_recharge_cell_v = get_f32(p + 16);
  s.i_charge_max_a = get_f32(p + 20);
  s.i_tail_a = get_f32(p + 24);
  s.t_absorb_max_s = get_u32(p + 28);
  s.i_pv_max_a = get_f32(p + 32);
  s.p_in_max_w = get_f32(p + 36);
  s.t_charge_min_c = get_f32(p + 40);
  s.t_charge_max_c = get_f32(p + 44);
  s.v_temp_comp_mv_per_k_cell = get_f32(p + 48);
  return DecodeStatus::kOk;
}

}  // namespace

const char* to_string(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::kOk:
      return "ok";
    case DecodeStatus::kBadLength:
      return "payload length does not match its schema version";
    case DecodeStatus::kNewerVersion:
      return "written by newer firmware (schema version above this firmware's)";
    case DecodeStatus::kUnknownVersion:
      return "unknown schema version";
    case DecodeStatus::kInvalid:
      return "stored values outside the allowed ranges";
  }
  return "unknown";
}

std::size_t encode_charger_settings(const ChargerSettings& s, std::uint8_t* out) {
  out[0] = static_cast<std::uint8_t>(s.chemistry);
  out[1] = s.cells_in_series;
  put_u16(out + 2, 0);
  put_f32(out + 4, s.v_absorb_cell_v);
  put_f32(out + 8, s.v_float_cell_v);
  put_f32(out + 12, s.v_equalize_cell_v);
  put_f32(out + 16, s.v_recharge_cell_v);
  put_f32(out + 20, s.i_charge_max_a);
  put_f32(out + 24, s.i_tail_a);
  put_u32(out + 28, s.t_absorb_max_s);
  put_f32(out + 32, s.i_pv_max_a);
  put_f32(out + 36, s.p_in_max_w);
  put_f32(out + 40, s.t_charge_min_c);
  put_f32(out + 44, s.t_charge_max_c);
  put_f32(out + 48, s.v_temp_comp_mv_per_k_cell);
  return kChargerSettingsV2Bytes;
}

std::size_t encode_charger_settings_v1(const ChargerSettings& s, std::uint8_t* out) {
  const float n = static_cast<float>(s.cells_in_series);
  out[0] = static_cast<std::uint8_t>(s.chemistry);
  out[1] = s.cells_in_series;
  put_u16(out + 2, to_u16(s.v_absorb_cell_v * n * 1000.0f));
  put_u16(out + 4, to_u16(s.v_float_cell_v * n * 1000.0f));
  put_u16(out + 6, to_u16(s.v_recharge_cell_v * n * 1000.0f));
  put_u16(out + 8, to_u16(s.i_charge_max_a * 1000.0f));
  put_u16(out + 10, to_u16(s.i_pv_max_a * 1000.0f));
  put_u16(out + 12, to_u16(s.p_in_max_w));
  put_u16(out + 14, to_u16(static_cast<float>(s.t_absorb_max_s) / 60.0f));
  return kChargerSettingsV1Bytes;
}

DecodeStatus decode_charger_settings(std::uint16_t version, const std::uint8_t* payload,
                                     std::size_t length, ChargerSettings& out) {
  ChargerSettings s;
  DecodeStatus st = DecodeStatus::kOk;
  switch (version) {
    case 1:
      if (length != kChargerSettingsV1Bytes) {
        return DecodeStatus::kBadLength;
      }
      st = decode_v1(payload, s);
      break;
    case 2:
      if (length != kChargerSettingsV2Bytes) {
        return DecodeStatus::kBadLength;
      }
      st = decode_v2(payload, s);
      break;
    default:
      return version > ChargerSettings::kSchemaVersion ? DecodeStatus::kNewerVersion
                                                       : DecodeStatus::kUnknownVersion;
  }
  if (st != DecodeStatus::kOk) {
    return st;
  }
  if (!validate(s).ok()) {
    return DecodeStatus::kInvalid;
  }
  out = s;
  return DecodeStatus::kOk;
}

ChargerSettingsLoad load_charger_settings(SettingsStore& store, ChargerSettings& out) {
  ChargerSettingsLoad r;
  std::uint8_t buf[kChargerSettingsV2Bytes > kChargerSettingsV1Bytes ? kChargerSettingsV2Bytes
                                                                     : kChargerSettingsV1Bytes];
  r.store = store.read(kChargerSettingsKey, buf, sizeof buf, r.info);
  if (r.store == StoreStatus::kBufferTooSmall) {
    // Longer than any version this firmware knows.
    r.store = StoreStatus::kOk;
    r.stored_version = r.info.version;
    r.decode = r.info.version > ChargerSettings::kSchemaVersion ? DecodeStatus::kNewerVersion
                                                                : DecodeStatus::kBadLength;
    return r;
  }
  if (r.store != StoreStatus::kOk) {
    return r;
  }
  r.stored_version = r.info.version;
  ChargerSettings s;
  r.decode = decode_charger_settings(r.info.version, buf, r.info.length, s);
  if (r.decode != DecodeStatus::kOk) {
    return r;
  }
  out = s;
  if (r.info.version < ChargerSettings::kSchemaVersion) {
    r.migrated = true;
    const std::size_t n = encode_charger_settings(s, buf);
    r.migrated_write = store.write(kChargerSettingsKey, ChargerSettings::kSchemaVersion, buf, n);
  }
  return r;
}

ChargerSettingsSave save_charger_settings(SettingsStore& store, const ChargerSettings& s) {
  ChargerSettingsSave r;
  r.report = validate(s);
  if (!r.report.ok()) {
    return r;
  }
  std::uint8_t buf[kChargerSettingsV2Bytes];
  const std::size_t n = encode_charger_settings(s, buf);
  r.store = store.write(kChargerSettingsKey, ChargerSettings::kSchemaVersion, buf, n);
  return r;
}

}  // namespace powerstack::settings
