// VE.Direct text blocks: framing and checksum against hand-computed bytes, the field values
// against the public protocol's units and codes, and the one-block-a-second pacing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "powerstack/twin/vedirect.hpp"
#include "powerstack/twin/vedirect_port.hpp"

namespace {

using powerstack::twin::DeviceStatus;
using powerstack::twin::TripRecord;
namespace vd = powerstack::twin::vedirect;

// The example snapshot of docs/twin-api.md: charging in bulk, the tracker at the MPP.
DeviceStatus charging() {
  DeviceStatus s;
  s.t_s = 3600.0;
  s.v_pv_v = 61.2;
  s.i_pv_a = 8.1;
  s.p_pv_w = 495.7;
  s.v_mpp_v = 61.0;
  s.p_mpp_w = 496.0;
  s.v_bat_v = 27.1;
  s.i_bat_a = 17.9;
  s.charge_state = "bulk";
  s.binding_limit = "mppt";
  s.converter_on = true;
  s.last_trip = "none";
  s.pv_today_wh = 812.0;
  s.pv_total_wh = 812.0;
  return s;
}

DeviceStatus night() {
  DeviceStatus s;
  s.v_bat_v = 26.2;
  s.i_bat_a = -0.25;
  s.charge_state = "bulk";
  s.binding_limit = "none";
  s.converter_on = false;
  return s;
}

std::map<std::string, std::string> by_label(const std::vector<vd::Field>& fields) {
  std::map<std::string, std::string> m;
  for (const auto& f : fields) {
    m[f.label] = f.value;
  }
  return m;
}

unsigned byte_sum(const std::string& bytes) {
  unsigned sum = 0;
  for (const char c : bytes) {
    sum += static_cast<unsigned char>(c);
  }
  return sum;
}

TEST(VeDirectFrame, OneFieldBlockMatchesHandComputedBytes) {
  // "\r\nV\t12800\r\nChecksum\t": 13+10+86+9 + 49+50+56+48+48 + 13+10 + 819 ("Checksum") + 9
  // = 1220; 1220 mod 256 = 196, so the checksum byte is 256 - 196 = 60 ('<').
  const std::string block = vd::frame_block({{"V", "12800"}});
  EXPECT_EQ(block, std::string("\r\nV\t12800\r\nChecksum\t<"));
  EXPECT_EQ(vd::checksum_byte("\r\nV\t12800\r\nChecksum\t"), 60);
}

TEST(VeDirectFrame, ChecksumByteIsZeroWhenTheSumIsAlreadyAMultipleOf256) {
  // 'd' (100) + 'd' + '8' (56) = 256: nothing to add. The byte may be any value, even a NUL.
  EXPECT_EQ(vd::checksum_byte("dd8"), 0);
  EXPECT_EQ(vd::checksum_byte(""), 0);
  EXPECT_EQ(vd::checksum_byte("\xff"), 1);
}

TEST(VeDirectFrame, EveryEncodedBlockSumsToZeroModulo256) {
  vd::Encoder enc;
  for (const DeviceStatus& s : {charging(), night()}) {
    const std::string block = enc.block(s);
    EXPECT_EQ(byte_sum(block) % 256U, 0U) << block;
    // "\r\nChecksum\t" (11 bytes) and the checksum byte close the block.
    EXPECT_EQ(block.rfind("\r\nChecksum\t"), block.size() - 12);
  }
}

TEST(VeDirectFields, ChargingSnapshotInProtocolUnits) {
  vd::Encoder enc;
  const auto f = by_label(enc.fields(charging()));
  EXPECT_EQ(f.at("PID"), "0xA053");
  EXPECT_EQ(f.at("V"), "27100");    // mV
  EXPECT_EQ(f.at("I"), "17900");    // mA
  EXPECT_EQ(f.at("VPV"), "61200");  // mV
  EXPECT_EQ(f.at("PPV"), "496");    // W, 495.7 rounded
  EXPECT_EQ(f.at("CS"), "3");       // bulk
  EXPECT_EQ(f.at("MPPT"), "2");     // tracker active
  EXPECT_EQ(f.at("OR"), "0x00000000");
  EXPECT_EQ(f.at("ERR"), "0");
  EXPECT_EQ(f.at("LOAD"), "OFF");
  EXPECT_EQ(f.at("H19"), "81");  // 812 Wh in 0.01 kWh
  EXPECT_EQ(f.at("H20"), "81");
  EXPECT_EQ(f.at("H21"), "496");
  EXPECT_EQ(f.at("H22"), "0");
  EXPECT_EQ(f.at("H23"), "0");
  EXPECT_EQ(f.at("HSDS"), "0");
}

TEST(VeDirectFields, FieldOrderIsAnMpptsOrder) {
  vd::Encoder enc;
  std::string labels;
  for (const auto& f : enc.fields(charging())) {
    labels += f.label + " ";
  }
  EXPECT_EQ(labels, "PID FW SER# V I VPV PPV CS MPPT OR ERR LOAD H19 H20 H21 H22 H23 HSDS ");
}

TEST(VeDirectFields, NightIsOffWithNoInputPowerAndADischargeCurrent) {
  vd::Encoder enc;
  const auto f = by_label(enc.fields(night()));
  EXPECT_EQ(f.at("I"), "-250");
  EXPECT_EQ(f.at("CS"), "0");
  EXPECT_EQ(f.at("MPPT"), "0");
  EXPECT_EQ(f.at("OR"), "0x00000001");
  EXPECT_EQ(f.at("ERR"), "0");
}

TEST(VeDirectFields, ChargeStatesAndLimits) {
  DeviceStatus s = charging();
  s.charge_state = "absorption";
  s.binding_limit = "v-out";
  EXPECT_EQ(vd::state_of_operation(s), 4);
  EXPECT_EQ(vd::tracker_mode(s), 1);  // voltage or current limited
  s.charge_state = "float";
  EXPECT_EQ(vd::state_of_operation(s), 5);
  s.charge_state = "full";
  EXPECT_EQ(vd::state_of_operation(s), 5);
  s.charge_state = "equalise";
  EXPECT_EQ(vd::state_of_operation(s), 7);
  s.charge_state = "inhibited";
  s.converter_on = false;
  EXPECT_EQ(vd::state_of_operation(s), 0);
  EXPECT_EQ(vd::off_reason(s), 0x10U);
  s.charge_state = "bulk";  // panel there, converter not yet switching
  EXPECT_EQ(vd::state_of_operation(s), 245);
  EXPECT_EQ(vd::off_reason(s), 0x0U);
}

TEST(VeDirectFields, ActiveTripIsAFaultWithItsErrorCodeUntilReleased) {
  DeviceStatus s = charging();
  s.converter_on = false;
  s.recent_trips.push_back({10.0, "input under-voltage", true, 3.0});  // not an error
  s.recent_trips.push_back({20.0, "over-temperature", true, 92.0});
  EXPECT_EQ(vd::state_of_operation(s), 2);
  EXPECT_EQ(vd::error_code(s), 17);
  EXPECT_EQ(vd::off_reason(s), 0x10U);
  s.recent_trips.push_back({30.0, "over-temperature", false, 70.0});
  EXPECT_EQ(vd::error_code(s), 0);
  EXPECT_NE(vd::state_of_operation(s), 2);
}

TEST(VeDirectFields, TripReasonsInEitherSpelling) {
  const std::vector<std::pair<std::string, int>> cases = {{"output over-voltage", 2},
                                                          {"output-over-voltage", 2},
                                                          {"output-over-voltage-comparator", 2},
                                                          {"output over-current", 18},
                                                          {"output-short", 18},
                                                          {"PV back-feed", 19},
                                                          {"input over-voltage", 33},
                                                          {"input-short", 34},
                                                          {"over-temperature", 17},
                                                          {"sensor-stuck", 21},
                                                          {"input-under-voltage", 0},
                                                          {"no-such-reason", 0}};
  for (const auto& [reason, err] : cases) {
    DeviceStatus s = charging();
    s.recent_trips.push_back({1.0, reason, true, 0.0});
    EXPECT_EQ(vd::error_code(s), err) << reason;
  }
}

TEST(VeDirectFields, DayRolloverMovesTodayToYesterday) {
  vd::Encoder enc;
  DeviceStatus s = charging();
  s.pv_today_wh = 1234.0;
  s.p_pv_w = 610.0;
  enc.observe(s);
  s.p_pv_w = 300.0;  // the day's maximum stays 610
  EXPECT_EQ(by_label(enc.fields(s)).at("H21"), "610");
  s.pv_today_wh = 0.0;  // the twin reset its day counters
  s.p_pv_w = 0.0;
  const auto f = by_label(enc.fields(s));
  EXPECT_EQ(f.at("H22"), "123");  // 1234 Wh
  EXPECT_EQ(f.at("H23"), "610");
  EXPECT_EQ(f.at("H21"), "0");
  EXPECT_EQ(f.at("HSDS"), "1");
}

TEST(VeDirectFields, NonFiniteReadingsAreNotAvailable) {
  vd::Encoder enc;
  DeviceStatus s = charging();
  enc.observe(s);
  s.v_bat_v = std::numeric_limits<double>::quiet_NaN();
  s.p_pv_w = std::numeric_limits<double>::infinity();
  const auto f = by_label(enc.fields(s));
  EXPECT_EQ(f.at("V"), "---");
  EXPECT_EQ(f.at("PPV"), "---");
  EXPECT_EQ(f.at("H21"), "496");  // the infinite reading is not the day's maximum
}

struct RecordingSink {
  bool refuse = false;
  std::vector<std::string> blocks;
  powerstack::twin::VeDirectPort::Sink fn() {
    return [this](std::string_view bytes) {
      if (refuse) {
        return false;
      }
      blocks.emplace_back(bytes);
      return true;
    };
  }
};

TEST(VeDirectPort, OneBlockPerDeviceSecond) {
  RecordingSink sink;
  powerstack::twin::VeDirectPort port(sink.fn());
  DeviceStatus s = charging();
  for (int i = 0; i < 40; ++i) {  // snapshots every 0.25 s for 10 s
    s.t_s = 100.0 + 0.25 * i;
    port.on_status(s);
  }
  EXPECT_EQ(sink.blocks.size(), 10U);
  EXPECT_EQ(port.blocks_sent(), 10U);
}

TEST(VeDirectPort, FastTwinSendsOneBlockPerSnapshotWithoutBursts) {
  RecordingSink sink;
  powerstack::twin::VeDirectPort port(sink.fn());
  DeviceStatus s = charging();
  for (int i = 0; i < 5; ++i) {  // --speed 60 with two snapshots a wall second
    s.t_s = 30.0 * i;
    port.on_status(s);
  }
  EXPECT_EQ(sink.blocks.size(), 5U);
}

TEST(VeDirectPort, RefusedBlocksAreDroppedAndCounted) {
  RecordingSink sink;
  powerstack::twin::VeDirectPort port(sink.fn());
  DeviceStatus s = charging();
  sink.refuse = true;
  s.t_s = 0.0;
  EXPECT_FALSE(port.on_status(s));
  sink.refuse = false;
  s.t_s = 1.0;
  EXPECT_TRUE(port.on_status(s));
  EXPECT_EQ(port.blocks_dropped(), 1U);
  EXPECT_EQ(port.blocks_sent(), 1U);
}

}  // namespace

namespace {

TEST(DeviceTimePacer, SamplerARoundingErrorShortOfTheGridIsStillDue) {
  powerstack::twin::DeviceTimePacer pacer(1.0);
  int due = 0;
  double t = 0.0;
  for (int i = 0; i < 100; ++i) {  // 0.1 s steps summed: 0.9999999999999999 and the like
    due += pacer.due(t) ? 1 : 0;
    t += 0.1;
  }
  EXPECT_EQ(due, 10);
  EXPECT_FALSE(pacer.due(std::numeric_limits<double>::quiet_NaN()));
}

}  // namespace
