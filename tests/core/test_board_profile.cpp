// Board profiles: the built-in boards validate, their chains reproduce the published scaling
// (computed here from the sources' constants, not from the profile), every kind of bad
// profile is named, the board id round-trips through the settings store and an unknown id
// is refused with its number.
#include <cmath>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/board/board_profile.hpp"
#include "powerstack/board/board_record.hpp"
#include "test_settings_rig.hpp"

namespace pb = powerstack::board;
using pb::BoardError;
using pb::BoardRecordStatus;
using powerstack::settings::StoreStatus;
using settings_test::Rig;

namespace {

// counts -> value through the profile's chain.
float read(const pb::ChannelSpec& spec, std::uint32_t counts) {
  const auto ch = pb::make_channel(spec);
  return ch.ok() ? ch.value().convert(counts).value : std::nanf("");
}

}  // namespace

PS_TEST(board_builtin_profiles_validate) {
  PS_CHECK(pb::board_count() == 2);
  for (std::size_t i = 0; i < pb::board_count(); ++i) {
    const pb::BoardCheck c = pb::validate(pb::board_at(i));
    PS_CHECK(c.ok());
    PS_CHECK(pb::find_board(static_cast<std::uint16_t>(pb::board_at(i).id)) == &pb::board_at(i));
  }
  PS_CHECK(pb::find_board(0) == nullptr);
  PS_CHECK(pb::find_board(7) == nullptr);
}

// AngeloCasi FUGU V1.10: ADS1015 at +-2.048 V is 1 mV a count; v_in = volts x 40.2156,
// v_out = volts x 24.5, i_in = -(1.33 volts - 2.525) / 0.066 (ACS712-30A behind x 1.33).
PS_TEST(board_fugu_original_scaling_matches_the_published_constants) {
  const pb::BoardProfile& b = *pb::find_board(1);
  PS_CHECK_NEAR(read(b.v_in, 1000), 1.000 * 40.2156, 1e-3);
  PS_CHECK_NEAR(read(b.v_out, 1100), 1.100 * 24.5, 1e-3);
  PS_CHECK_NEAR(read(b.i_in, 1898), -(1.33 * 1.898 - 2.525) / 0.066, 2e-3);  // ~0 A
  PS_CHECK_NEAR(read(b.i_in, 1400), -(1.33 * 1.400 - 2.525) / 0.066, 2e-3);  // ~10 A
  PS_CHECK(!b.i_out.fitted());  // computed from the input power
  PS_CHECK(b.pins.pwm_high == 33 && b.pins.driver_enable == 32 && b.pins.input_switch == 27);
}

// fl4p fmetal: v_in through 200k / 7.5k on a 12-bit 3.1 V ADC, v_out through 47k / 47k on the
// INA226 bus input (1.25 mV a count), i_out through a 1 mOhm shunt (2.5 uV a count).
PS_TEST(board_fl4p_fmetal_scaling_matches_the_published_constants) {
  const pb::BoardProfile& b = *pb::find_board(2);
  PS_CHECK_NEAR(read(b.v_in, 2048), 2048.0 * 3.1 / 4095.0 * 207.5 / 7.5, 1e-3);
  PS_CHECK_NEAR(read(b.v_out, 11200), 11200 * 1.25e-3 * 2.0, 1e-3);
  PS_CHECK_NEAR(read(b.i_out, 4000), 4000 * 2.5e-6 / 1e-3, 1e-3);  // 10 A
  PS_CHECK(!b.i_in.fitted());
  PS_CHECK_NEAR(b.limits.l_h, 45e-6, 1e-9);
}

PS_TEST(board_each_bad_profile_is_named) {
  struct Case {
    BoardError error;
    const char* field;
    void (*spoil)(pb::BoardProfile&);
  };
  const Case cases[] = {
      {BoardError::kNoVoltageSensor, "v_out", [](pb::BoardProfile& b) { b.v_out = {}; }},
      {BoardError::kNoCurrentSensor, "i_in, i_out", [](pb::BoardProfile& b) { b.i_in = {}; }},
      {BoardError::kBadChannel, "v_in", [](pb::BoardProfile& b) { b.v_in.front_end.gain = 0; }},
      {BoardError::kBadChannel, "v_out", [](pb::BoardProfile& b) { b.v_out.adc.bits = 0; }},
      {BoardError::kBadChannelNumber, "i_in", [](pb::BoardProfile& b) { b.i_in.channel = 4; }},
      {BoardError::kDuplicatePin, "pins.fan", [](pb::BoardProfile& b) { b.pins.fan = 33; }},
      {BoardError::kBadLimit, "limits.duty_max",
       [](pb::BoardProfile& b) { b.limits.duty_max = 1.5f; }},
      {BoardError::kBadLimit, "limits.l_h",
       [](pb::BoardProfile& b) { b.limits.l_h = std::nanf(""); }},
      {BoardError::kBadLimit, "limits.v_in_min_v",
       [](pb::BoardProfile& b) { b.limits.v_in_min_v = 90.0f; }},
      {BoardError::kRangeBelowLimit, "v_in",
       [](pb::BoardProfile& b) { b.limits.v_in_max_v = 100.0f; }},
  };
  for (const Case& c : cases) {
    pb::BoardProfile b = *pb::find_board(1);
    c.spoil(b);
    const pb::BoardCheck check = pb::validate(b);
    PS_CHECK(check.error == c.error);
    PS_CHECK(std::strcmp(check.field, c.field) == 0);
    PS_CHECK(std::strlen(pb::to_string(check.error)) > 10);
  }
}

PS_TEST(board_apply_sets_the_board_limits_without_raising_lower_ones) {
  powerstack::charger::ChargeControllerConfig cc;
  cc.i_out_max_a = 20.0f;  // the user's limit, below the board's 32 A
  pb::apply(*pb::find_board(2), cc);
  PS_CHECK_NEAR(cc.i_out_max_a, 20.0, 1e-6);
  PS_CHECK_NEAR(cc.i_in_max_a, 30.0, 1e-6);
  PS_CHECK_NEAR(cc.converter.l_h, 45e-6, 1e-9);
  PS_CHECK_NEAR(1.0f - cc.converter.t_ls_min_s * cc.converter.f_sw_hz, 0.969, 1e-5);
  PS_CHECK_NEAR(cc.protection.v_in_max_v, 80.0, 1e-6);  // the default 80 V is below 85 V
  PS_CHECK_NEAR(cc.protection.v_in_min_v, 10.5, 1e-6);
  // The last count below the top one (AdcChannel::span_high), through the 47k / 47k divider.
  PS_CHECK_NEAR(cc.protection.sensors.v_out_fs_v, 32766 * 1.25e-3 * 2.0, 1e-3);
  PS_CHECK(cc.protection.sensors.i_in_fs_a == 0.0f);  // virtual: not checked
}

PS_TEST(board_id_round_trips_through_the_settings_store) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  PS_CHECK(pb::load_board(r.store).status == BoardRecordStatus::kNotStored);
  PS_CHECK(pb::save_board_id(r.store, 2).ok());
  Rig boot(r, 4);
  PS_CHECK(boot.store.mount() == StoreStatus::kOk);
  const pb::BoardLoad load = pb::load_board(boot.store);
  PS_CHECK(load.ok() && load.id == 2 && load.profile == pb::find_board(2));
}

PS_TEST(board_unknown_or_damaged_records_are_refused) {
  Rig r;
  PS_CHECK(r.store.mount() == StoreStatus::kOk);
  // Saving an unknown id writes nothing.
  PS_CHECK(pb::save_board_id(r.store, 9).status == BoardRecordStatus::kUnknownBoard);
  PS_CHECK(r.flash.bytes_programmed() == 0);
  // A stored unknown id (e.g. from newer firmware's board list) is reported with its number.
  std::uint8_t p[pb::kBoardRecordBytes];
  PS_CHECK(r.store.write(pb::kBoardRecordKey, 1, p, pb::encode_board_record(9, p)) ==
           StoreStatus::kOk);
  pb::BoardLoad load = pb::load_board(r.store);
  PS_CHECK(load.status == BoardRecordStatus::kUnknownBoard && load.id == 9);
  PS_CHECK(load.profile == nullptr);
  PS_CHECK(r.store.write(pb::kBoardRecordKey, 2, p, 4) == StoreStatus::kOk);
  PS_CHECK(pb::load_board(r.store).status == BoardRecordStatus::kNewerVersion);
  PS_CHECK(r.store.write(pb::kBoardRecordKey, 1, p, 3) == StoreStatus::kOk);
  PS_CHECK(pb::load_board(r.store).status == BoardRecordStatus::kBadLength);
  std::uint16_t id = 0;
  PS_CHECK(pb::decode_board_record(0, p, 4, id) == BoardRecordStatus::kUnknownVersion);
  PS_CHECK(std::strlen(pb::to_string(BoardRecordStatus::kUnknownBoard)) > 10);
}
