// libFuzzer target: the balancer frame receiver, the command and response codecs and one
// BalancerModule (the core tests' hardware fakes) on an arbitrary byte stream (issue 6).
//
// The input is the serial line from the upstream neighbour, fed one byte at a time
// - to a FrameReceiver. A frame it delivers must be the input's bytes up to that CR, as
//   encode_frame writes its payload. Each frame is decoded as a command and as a response (at
//   most one may succeed); a successful decode is re-encoded and must give the same payload,
//   except where the readers are documented as lenient (command.hpp, response.hpp: number
//   fields with other padding or a '+', the aliases "(aTCOK" and "(aMA"): there the address,
//   name and fixed parts must still match, and the re-encoded payload must be canonical (it
//   decodes to the same value and re-encodes to itself). route() must agree with the decoded
//   command.
// - to a BalancerModule, time advancing deterministically with the bytes (below). What the
//   module sends is fed to a second FrameReceiver: every frame must be accepted and nothing
//   else come out; each is a frame the module received (forwarded unchanged) or a canonical
//   response or ZSMA from an address the module has held. Every frame the module receives
//   gives exactly its output (answer, NAK or forward; ZQMA two), queued or counted as
//   dropped; a tick adds none except a DBG report. Its state stays consistent (the switch
//   driven as reported, settings in range and equal to the EEPROM), and frames queued before
//   a pause of >= 400 ms have been sent by its end.
//
// Time: a byte takes 2 ms; a second DEL in a row (0x7F 0x7F: a single DEL can be a CRC byte)
// stalls 150 ms, past the 100 ms line timeout; after a CR the sender pauses
// 20 + 150 * (previous byte & 7) ms, after an LF 1 + (previous byte & 15) s. The cell and
// temperature counts change at line breaks. The module's clock starts at 0 (power-up), and
// pauses stay far below 2^31 ms.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/balancer_module.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/frame_receiver.hpp"
#include "powerstack/balancer/module_settings.hpp"
#include "powerstack/balancer/response.hpp"
#include "powerstack/balancer/router.hpp"
#include "test_balancer_fakes.hpp"

namespace {

namespace bal = powerstack::balancer;

constexpr uint32_t kByteMs = 2U;
constexpr uint8_t kDel = 0x7FU;
constexpr uint32_t kStallMs = 150U;
constexpr uint32_t kTickMs = 100U;
// A pause at least this long must see every frame queued before it sent.
constexpr uint32_t kDrainMs = 400U;

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

using Payload = std::string;

Payload payload_of(const uint8_t* p, uint8_t n) {
  return Payload(reinterpret_cast<const char*>(p), n);
}

uint8_t address_chars(uint8_t n) {
  uint8_t text[bal::kMaxAddressChars];
  return bal::encode_address(n, text);
}

bool same_command(const bal::Command& a, const bal::Command& b) {
  return a.kind == b.kind && a.target == b.target && a.value == b.value;
}

bool same_response(const bal::Response& a, const bal::Response& b) {
  return a.kind == b.kind && a.address == b.address && a.value == b.value &&
         a.balancing == b.balancing;
}

// The canonical payload of a command (0-length when it cannot be written).
Payload encode(const bal::Command& c) {
  uint8_t out[bal::kMaxPayload];
  const uint8_t n = bal::encode_command(c, out, sizeof(out));
  check(n <= bal::kMaxPayload);
  return payload_of(out, n);
}

Payload encode(const bal::Response& r) {
  uint8_t out[bal::kMaxPayload];
  const uint8_t n = bal::encode_response(r, out, sizeof(out));
  check(n <= bal::kMaxPayload);
  return payload_of(out, n);
}

const uint8_t* bytes_of(const Payload& p) {
  return reinterpret_cast<const uint8_t*>(p.data());
}
uint8_t length_of(const Payload& p) {
  return static_cast<uint8_t>(p.size());
}

// The canonical payload survives the frame codec: encode_frame, then a fresh receiver.
void check_frame_round_trip(const Payload& p) {
  uint8_t frame[bal::kMaxFrame];
  const uint8_t n = bal::encode_frame(bytes_of(p), length_of(p), frame, sizeof(frame));
  check(n == p.size() + bal::kCrcBytes + 1U);
  bal::FrameReceiver rx;
  for (uint8_t i = 0; i + 1U < n; ++i) {
    check(rx.push(frame[i]) == bal::RxEvent::kNone);
  }
  check(rx.push(frame[n - 1U]) == bal::RxEvent::kFrame);
  check(payload_of(rx.payload(), rx.payload_length()) == p);
}

bool value_in_field(const bal::Command& c) {
  switch (c.kind) {
    case bal::CommandKind::kSetBalanceStart:
      return c.value >= 0 && c.value <= 9999;
    case bal::CommandKind::kSetReferenceCorrection:
    case bal::CommandKind::kSetOscillatorCorrection:
      return c.value >= -9 && c.value <= 9;
    case bal::CommandKind::kSetTemperatureCorrection:
      return c.value >= -99 && c.value <= 99;
    case bal::CommandKind::kAssignAddresses:
      return c.value >= 0 && c.value <= bal::kMaxModules;
    default:
      return c.value == 0;
  }
}

// Checks a decoded command against its payload; returns the canonical payload.
Payload check_command(const Payload& p, const bal::Command& c) {
  check(value_in_field(c));
  const bool broadcast =
      c.kind == bal::CommandKind::kAssignAddresses || c.kind == bal::CommandKind::kQueryAddresses;
  check(broadcast == (c.target == bal::kTargetBroadcast));
  check(c.target != bal::kTargetStandalone || c.kind == bal::CommandKind::kDebug);
  check(c.target == bal::kTargetBroadcast || c.target <= bal::kMaxModules);

  const Payload q = encode(c);
  check(!q.empty());
  check(bal::is_valid_payload(bytes_of(q), length_of(q)));
  bal::Command again;
  check(bal::decode_command(bytes_of(q), length_of(q), again) && same_command(again, c));
  check(encode(again) == q);
  if (q != p) {
    // Only the signed argument fields are read leniently (" 9", "+9", "  -  9", "9"); the
    // address and the name are fixed, so the first bytes must be equal.
    const bool lenient = c.kind == bal::CommandKind::kSetReferenceCorrection ||
                         c.kind == bal::CommandKind::kSetTemperatureCorrection ||
                         c.kind == bal::CommandKind::kSetOscillatorCorrection;
    check(lenient);
    const std::size_t header = address_chars(c.target) + 3U;  // never broadcast nor bare
    check(p.size() > header && p.compare(0, header, q, 0, header) == 0);
  }
  return q;
}

// The names after "(a" of the responses that carry a number (response.hpp), in
// ResponseKind order: kVoltage .. kOscillatorCorrection.
const char* const kValueResponseNames[] = {"UA", "TA", "BS", "RC", "TC", "OC"};

bool response_value_fits(const bal::Response& r) {
  switch (r.kind) {
    case bal::ResponseKind::kVoltage:
    case bal::ResponseKind::kBalanceStart:
      return r.value >= 0 && r.value <= 9999;
    case bal::ResponseKind::kTemperature:
      return r.value >= 0 && r.value <= 999;
    case bal::ResponseKind::kReferenceCorrection:
    case bal::ResponseKind::kOscillatorCorrection:
      return r.value >= -9 && r.value <= 9;
    case bal::ResponseKind::kTemperatureCorrection:
      return r.value >= -99 && r.value <= 99;
    default:
      return r.value == 0;
  }
}

Payload check_response(const Payload& p, const bal::Response& r) {
  check(r.address >= 1U && r.address <= bal::kMaxModules);
  check(response_value_fits(r));
  check(r.kind == bal::ResponseKind::kVoltage || !r.balancing);

  const Payload q = encode(r);
  check(!q.empty() && q[0] == '(');
  check(bal::is_valid_payload(bytes_of(q), length_of(q)));
  bal::Response again;
  check(bal::decode_response(bytes_of(q), length_of(q), again) && same_response(again, r));
  check(encode(again) == q);
  if (q != p) {
    uint8_t addr[bal::kMaxAddressChars];
    const Payload a(reinterpret_cast<const char*>(addr), bal::encode_address(r.address, addr));
    switch (r.kind) {
      case bal::ResponseKind::kModuleAddress:
        check(p == "(" + a + "MA");  // the original firmware's form
        break;
      case bal::ResponseKind::kTemperatureCorrectionSet:
        check(p == "(" + a + "TCOK");  // the original firmware's STC acknowledgement
        break;
      case bal::ResponseKind::kVoltage:
      case bal::ResponseKind::kTemperature:
      case bal::ResponseKind::kBalanceStart:
      case bal::ResponseKind::kReferenceCorrection:
      case bal::ResponseKind::kTemperatureCorrection:
      case bal::ResponseKind::kOscillatorCorrection: {
        // Numbers are read with other padding; address and name are fixed ...
        const Payload header = "(" + a + kValueResponseNames[static_cast<uint8_t>(r.kind)];
        check(p.size() > header.size() && p.compare(0, header.size(), header) == 0);
        // ... and so is the balancing flag after the voltage.
        if (r.kind == bal::ResponseKind::kVoltage) {
          check(p.compare(p.size() - 2U, 2U, q, q.size() - 2U, 2U) == 0);
        }
        break;
      }
      default:
        check(false);  // acknowledgements and NAK have no variable part
    }
  }
  return q;
}

// Checks one frame a receiver delivered: codec round trips and routing.
void check_frame(const Payload& p) {
  check(!p.empty() && p.size() <= bal::kMaxPayload);
  check(bal::is_valid_payload(bytes_of(p), length_of(p)));

  bal::Command c;
  bal::Response r;
  const bool is_command = bal::decode_command(bytes_of(p), length_of(p), c);
  const bool is_response = bal::decode_response(bytes_of(p), length_of(p), r);
  check(!(is_command && is_response));

  if (is_command) {
    check_frame_round_trip(check_command(p, c));
    // The router agrees with the command.
    const bal::Route own = bal::route(bytes_of(p), length_of(p), c.target);
    if (c.target == bal::kTargetBroadcast) {
      if (c.kind == bal::CommandKind::kQueryAddresses) {
        check(own == bal::Route::kReportAddress);
      } else {
        check(own ==
              (c.value < bal::kMaxModules ? bal::Route::kAssignAddress : bal::Route::kForward));
      }
    } else if (c.target == bal::kTargetStandalone) {
      check(own == bal::Route::kHandle);
      check(bal::route(bytes_of(p), length_of(p), 1) == bal::Route::kHandle);
    } else {
      check(own == bal::Route::kHandle);
      const auto other = static_cast<uint8_t>(c.target == 1U ? 2U : 1U);
      check(bal::route(bytes_of(p), length_of(p), other) == bal::Route::kForward);
    }
  }
  if (is_response) {
    check_frame_round_trip(check_response(p, r));
    check(bal::route(bytes_of(p), length_of(p), r.address) == bal::Route::kForward);
  }
  if (p[0] == '(') {
    check(!is_command);
    check(bal::route(bytes_of(p), length_of(p), 1) == bal::Route::kForward);
  } else {
    check(!is_response);
  }
}

// One module with its fakes, the time, what it received and what it sent.
class ModuleRig {
 public:
  ModuleRig() {
    module().start(now_);
    expected_switch_changes_ = 1;  // start() opens the switch
    check_state();
    check_settings();
  }

  bal::BalancerModule& module() { return node_.module; }

  // check_frame() once per distinct payload (inputs repeat frames; the checks are slow).
  // Returns true the first time.
  bool check_frame_once(const Payload& p) {
    if (!checked_.insert(p).second) {
      return false;
    }
    check_frame(p);
    return true;
  }

  // An input byte arrives now (lost when the module is sending), then time passes.
  void receive(uint8_t byte, uint8_t previous) {
    const uint16_t frames_before = module().link().rx_stats().frames;
    const uint8_t address_before = module().address();
    const uint32_t out_before = frames_out();
    module().receive_byte(byte, now_);
    if (module().link().rx_stats().frames == frames_before) {
      check(frames_out() == out_before);
    } else {
      // The module's receiver has a line timeout, so it can see frames the plain one did not.
      const Payload p =
          payload_of(module().link().received_payload(), module().link().received_length());
      // Every frame gives exactly its output: the answer (NAK included) or the forwarded
      // frame; ZQMA both. Each is queued, or counted as dropped (queue full).
      const bal::Route route = bal::route(bytes_of(p), length_of(p), address_before);
      check(frames_out() - out_before == (route == bal::Route::kReportAddress ? 2U : 1U));
      check_frame_once(p);
      received_.insert(p);
      check_settings();
      check_state();  // without a frame, receive_byte() changes no module state
    }

    uint32_t pause = kByteMs;
    if (byte == kDel && previous == kDel) {
      pause = kStallMs;
    } else if (byte == bal::kCr) {
      pause = 20U + 150U * (previous & 7U);
      node_.adc.cell_counts = static_cast<uint16_t>(820U + (previous & 63U));  // ~3.28..3.53 V
    } else if (byte == bal::kLf) {
      pause = 1000U * (1U + (previous & 15U));
      node_.adc.cell_counts = static_cast<uint16_t>(previous * 5U);  // beyond 1023: clamped
      node_.adc.temperature_counts = static_cast<uint16_t>(previous * 4U);
    }
    run_for(pause);
  }

  // Lets the module finish: every frame queued must go out within a long pause.
  void finish() { run_for(5000U); }

 private:
  // Time passes: the module sends (one byte every 2 ms) and ticks: at least every kTickMs
  // while bytes arrive (receive_byte() services the link itself), and every 100 ms (frames
  // queued) or every second (none: the ATtiny85's watchdog wake-up) in a pause.
  void run_for(uint32_t pause) {
    const uint32_t end = now_ + pause;
    const uint8_t queued = module().link().queued_frames();
    const uint16_t sent_before = module().link().stats().frames_sent;
    while (now_ != end) {
      if (module().link_state() == bal::LinkState::kSending) {
        uint8_t b = 0;
        check(module().next_tx_byte(b, now_));
        on_sent_byte(b);
        now_ += (end - now_ < kByteMs) ? end - now_ : kByteMs;
        continue;
      }
      uint8_t b = 0;
      check(!module().next_tx_byte(b, now_));
      if (pause != kByteMs || now_ - last_tick_ms_ >= kTickMs) {
        const bool debug = module().debug_active();
        const uint32_t out_before = frames_out();
        module().tick(now_);
        last_tick_ms_ = now_;
        // A tick sends no new frame, except a DBG voltage report.
        check(frames_out() - out_before <= (debug ? 1U : 0U));
        check_state();
        if (module().link_state() == bal::LinkState::kSending) {
          continue;
        }
      }
      const uint32_t step = module().link().queued_frames() != 0U ? 100U : 1000U;
      now_ += (end - now_ < step) ? end - now_ : step;
    }
    if (pause >= kDrainMs && sent_before < 0xFF00U) {
      check(module().link().stats().frames_sent - sent_before >= queued);
    }
  }

  void on_sent_byte(uint8_t b) {
    const bal::RxEvent e = downstream_.push(b);
    if (b != bal::kCr) {
      check(e == bal::RxEvent::kNone);
      return;
    }
    check(e == bal::RxEvent::kFrame);
    check(downstream_.stats().frames == module().link().stats().frames_sent);
    const Payload p = payload_of(downstream_.payload(), downstream_.payload_length());
    if (received_.count(p) != 0U || written_.count(p) != 0U) {
      return;  // forwarded unchanged, or already checked
    }
    check_frame_once(p);
    // Otherwise the module wrote it: canonical, from an address it has held.
    uint8_t from = 0;
    bal::Response r;
    bal::Command c;
    if (bal::decode_response(bytes_of(p), length_of(p), r)) {
      check(encode(r) == p);
      from = r.address;
    } else {
      check(bal::decode_command(bytes_of(p), length_of(p), c));
      check(c.kind == bal::CommandKind::kAssignAddresses && encode(c) == p);
      from = static_cast<uint8_t>(c.value);
    }
    bool held = false;
    for (const uint8_t a : addresses_) {
      held = held || a == from;
    }
    check(held);
    written_.insert(p);
  }

  // Frames the module has produced: sent, queued (one of them may be on the wire) or dropped.
  uint32_t frames_out() {
    const bal::LinkStats& s = module().link().stats();
    return uint32_t{s.frames_sent} + s.tx_dropped + module().link().queued_frames();
  }

  // After every call into the module: the switch (at most one change a call) and counters.
  void check_state() {
    bal::BalancerModule& m = module();
    check(m.cell_mv() <= bal::kMaxCellMv);
    // The switch: what the module says, what it drove, and why.
    check(m.balancing() == (m.auto_balancing() || m.dynamic_balancing()));
    check(node_.balance_switch.on == m.balancing());
    if (m.balancing() != balancing_) {
      balancing_ = m.balancing();
      ++expected_switch_changes_;
    }
    check(node_.balance_switch.changes == expected_switch_changes_);
    const bal::ModuleStats& st = m.stats();
    check(st.naks <= st.handled);
    check(m.link().queued_frames() <= bal::kTxQueueFrames);
  }

  // After the module received a frame (the only time they change): the settings.
  void check_settings() {
    const bal::ModuleSettings& s = module().settings();
    check(s.address >= 1U && s.address <= bal::kMaxModules);
    check(s.reference_correction_mv >= -bal::kMaxReferenceCorrectionMv &&
          s.reference_correction_mv <= bal::kMaxReferenceCorrectionMv);
    check(s.temperature_correction_k >= -bal::kMaxTemperatureCorrectionK &&
          s.temperature_correction_k <= bal::kMaxTemperatureCorrectionK);
    check(s.oscillator_correction >= -bal::kMaxOscillatorCorrection &&
          s.oscillator_correction <= bal::kMaxOscillatorCorrection);
    check(s.balance_start_mv >= bal::kMinBalanceStartMv &&
          s.balance_start_mv <= bal::kMaxBalanceStartMv);
    // The settings in RAM are the ones stored.
    const bal::ModuleSettings stored = bal::load_settings(node_.eeprom);
    check(stored.address == s.address &&
          stored.reference_correction_mv == s.reference_correction_mv &&
          stored.temperature_correction_k == s.temperature_correction_k &&
          stored.oscillator_correction == s.oscillator_correction &&
          stored.balance_start_mv == s.balance_start_mv);
    if (addresses_.empty() || addresses_.back() != s.address) {
      addresses_.push_back(s.address);
    }
  }

  bal_test::Node node_;
  uint32_t now_ = 0;
  bool balancing_ = false;
  int expected_switch_changes_ = 0;
  bal::FrameReceiver downstream_;
  uint32_t last_tick_ms_ = 0;
  std::set<Payload> checked_;
  std::set<Payload> received_;  // by the module
  std::set<Payload> written_;   // by the module, checked
  std::vector<uint8_t> addresses_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bal::FrameReceiver rx;
  ModuleRig rig;
  uint16_t frames = 0;
  uint8_t previous = 0;
  for (std::size_t i = 0; i < size; ++i) {
    const uint8_t b = data[i];
    const bal::RxEvent e = rx.push(b);
    if (e == bal::RxEvent::kFrame) {
      check(b == bal::kCr);
      const uint8_t n = rx.payload_length();
      check(n >= 1U && n <= bal::kMaxPayload);
      ++frames;
      check(rx.stats().frames == frames);
      if (rig.check_frame_once(payload_of(rx.payload(), n))) {
        // The frame is the input's last n + 3 bytes, as encode_frame writes them.
        uint8_t frame[bal::kMaxFrame];
        const uint8_t f = bal::encode_frame(rx.payload(), n, frame, sizeof(frame));
        check(f == n + bal::kCrcBytes + 1U && f <= i + 1U);
        check(std::memcmp(frame, data + i + 1U - f, f) == 0);
      }
    } else {
      check(rx.payload_length() == 0U);
    }
    rig.receive(b, previous);
    previous = b;
  }
  rig.finish();
  return 0;
}
