// VE.Direct text protocol (Victron Energy's serial protocol of its MPPT solar chargers): the
// fields a BlueSolar/SmartSolar MPPT sends, computed from a DeviceStatus, and their framing.
//
// A block is a run of "\r\n<label>\t<value>" field lines closed by "\r\nChecksum\t<byte>",
// where the byte makes the sum of every byte of the block 0 modulo 256. Units and codes follow
// the public "VE.Direct Protocol" document (mV, mA, W, 0.01 kWh, state codes). The mapping from
// the twin's data model (charge state -> CS, trips -> ERR, ...) is in docs/vedirect.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "powerstack/twin/device_status.hpp"

namespace powerstack::twin::vedirect {

// What the device says it is. PID is a product id of Victron's MPPT range so that readers
// which pick their field decoding by PID decode ours as an MPPT.
struct Identity {
  std::string pid = "0xA053";
  std::string fw = "001";  // firmware version 0.01 as three digits (major, minor)
  std::string serial = "PS000000001";
};

struct Field {
  std::string label;
  std::string value;
};

// VE.Direct codes from the data model (each documented in docs/vedirect.md).
int state_of_operation(const DeviceStatus& s);    // CS
int tracker_mode(const DeviceStatus& s);          // MPPT
int error_code(const DeviceStatus& s);            // ERR
std::uint32_t off_reason(const DeviceStatus& s);  // OR

// The byte that closes a block: (256 - sum of bytes mod 256) mod 256.
std::uint8_t checksum_byte(std::string_view bytes);

// The framed block of `fields` with its Checksum field appended.
std::string frame_block(const std::vector<Field>& fields);

// Encodes snapshots into blocks. It keeps what the data model has no field for: the maximum
// PV power of the day (H21), yesterday's yield and maximum (H22, H23) and the day number
// (HSDS). A day ends when the twin resets its "today" counters (any of them drops).
class Encoder {
 public:
  explicit Encoder(Identity identity = {}) : identity_(std::move(identity)) {}

  // Takes a snapshot into the day's maximum and the day count (fields() does too); feed it
  // every snapshot, not only those that become blocks. Observing one twice changes nothing.
  void observe(const DeviceStatus& s);
  // The fields of one block in the order an MPPT sends them (no Checksum).
  std::vector<Field> fields(const DeviceStatus& s);
  // fields() framed with its checksum.
  std::string block(const DeviceStatus& s) { return frame_block(fields(s)); }

 private:
  Identity identity_;
  bool seen_ = false;
  double prev_pv_today_wh_ = 0.0;
  double prev_bat_in_today_wh_ = 0.0;
  double prev_bat_out_today_wh_ = 0.0;
  double max_pv_today_w_ = 0.0;
  double yield_yesterday_wh_ = 0.0;
  double max_pv_yesterday_w_ = 0.0;
  int day_ = 0;
};

}  // namespace powerstack::twin::vedirect
