// One balancer module against fake hardware: measurement, EEPROM defaults, automatic and
// dynamic balancing, DBG, settings commands, half duplex. Time advances one byte slot
// (2.083 ms at 4800 baud) per step.
#include <cstdint>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/balancer/balancer_module.hpp"
#include "powerstack/balancer/cell_measurement.hpp"
#include "powerstack/balancer/frame_receiver.hpp"
#include "test_balancer_fakes.hpp"

namespace bal = powerstack::balancer;
using bal_test::bytes;
using bal_test::length;
using bal_test::Node;
using bal_test::slot_ms;

namespace {

// A module on a bench: the test plays the upstream neighbour and listens downstream.
class Bench {
 public:
  static constexpr int kMaxOut = 40;
  struct Out {
    char text[bal::kMaxPayload + 1];
    uint32_t start_ms;  // first byte on the wire
    uint32_t end_ms;    // CR on the wire
  };

  Bench() { node.module.start(0); }

  // Queues a payload as a frame for the module (sent one byte per slot).
  void send(const char* payload) {
    pending_ = bal::encode_frame(bytes(payload), length(payload), tx_, sizeof(tx_));
    sent_ = 0;
  }
  void send_raw(const char* text) {
    pending_ = length(text);
    std::memcpy(tx_, text, pending_);
    sent_ = 0;
  }
  void step() {
    const uint32_t now = slot_ms(slot_);
    node.module.tick(now);
    uint8_t byte = 0;
    if (node.module.link_state() == bal::LinkState::kSending &&
        node.module.next_tx_byte(byte, now)) {
      if (frame_start_ms_ == kNone) {
        frame_start_ms_ = now;
      }
      if (rx_.push(byte) == bal::RxEvent::kFrame && out_count < kMaxOut) {
        Out& o = out[out_count++];
        std::memcpy(o.text, rx_.payload(), rx_.payload_length());
        o.text[rx_.payload_length()] = '\0';
        o.start_ms = frame_start_ms_;
        o.end_ms = now;
      }
      if (byte == bal::kCr) {
        frame_start_ms_ = kNone;
      }
      both_ = both_ || sent_ < pending_;  // the test never talks while the module sends
    } else if (sent_ < pending_) {
      node.module.receive_byte(tx_[sent_++], now);
    }
    ++slot_;
  }
  void run_ms(uint32_t ms) {
    const uint32_t end = slot_ms(slot_) + ms;
    while (slot_ms(slot_) < end) {
      step();
    }
  }
  // Sends a payload and runs until the line is quiet; returns the last frame out or "".
  const char* ask(const char* payload) {
    const int before = out_count;
    send(payload);
    run_ms(200);
    return out_count > before ? out[out_count - 1].text : "";
  }
  [[nodiscard]] uint32_t now_ms() const { return slot_ms(slot_); }
  [[nodiscard]] bool collided() const { return both_; }

  Node node;
  Out out[kMaxOut] = {};
  int out_count = 0;

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFU;
  bal::FrameReceiver rx_;
  uint8_t tx_[64] = {};
  uint8_t pending_ = 0;
  uint8_t sent_ = 0;
  uint32_t slot_ = 0;
  uint32_t frame_start_ms_ = kNone;
  bool both_ = false;
};

bool is(const char* actual, const char* expected) {
  return std::strcmp(actual, expected) == 0;
}

}  // namespace

PS_TEST(balancer_module_eeprom_ff_means_defaults) {
  Node n;
  n.module.start(0);
  PS_CHECK(n.module.address() == 1);
  PS_CHECK(n.module.settings().reference_correction_mv == 0);
  PS_CHECK(n.module.settings().temperature_correction_k == 0);
  PS_CHECK(n.module.oscillator_correction() == 0);
  PS_CHECK(n.module.settings().balance_start_mv == 3500);
  PS_CHECK(n.eeprom.writes == 0);  // reading never writes
}

PS_TEST(balancer_module_eeprom_rejects_out_of_range_bytes) {
  Node n;
  n.eeprom[1] = 0;        // address 0: none -> default 1
  n.eeprom[2] = 128 + 9;  // reference +9
  n.eeprom[3] = 29;       // temperature -99
  n.eeprom[4] = 0;        // -128: out of range -> 0
  n.eeprom[5] = 0x0D;     // 0x0DAD = 3501 mV: above the maximum -> 3500
  n.eeprom[6] = 0xAD;
  n.module.start(0);
  PS_CHECK(n.module.address() == 1);
  PS_CHECK(n.module.settings().reference_correction_mv == 9);
  PS_CHECK(n.module.settings().temperature_correction_k == -99);
  PS_CHECK(n.module.oscillator_correction() == 0);
  PS_CHECK(n.module.settings().balance_start_mv == 3500);
  n.eeprom[1] = 200;
  n.eeprom[5] = 0x0D;  // 3400 mV
  n.eeprom[6] = 0x48;
  n.module.start(0);
  PS_CHECK(n.module.address() == 200);
  PS_CHECK(n.module.settings().balance_start_mv == 3400);
}

PS_TEST(balancer_module_scales_counts_with_the_reference_correction) {
  PS_CHECK(bal::cell_mv_from_counts(810, 0) == 3240);
  PS_CHECK(bal::cell_mv_from_counts(810, 9) == 3254);   // 810 * 2057 / 512 = 3254.3
  PS_CHECK(bal::cell_mv_from_counts(810, -9) == 3226);  // 3225.8 rounds up
  PS_CHECK(bal::cell_mv_from_counts(1023, 0) == 4092);
  PS_CHECK(bal::cell_mv_from_counts(5000, 0) == 4092);  // clamped to 10 bits
  PS_CHECK(bal::cell_mv_from_counts(0, -9) == 0);
}

PS_TEST(balancer_module_average_follows_two_thirds_recurrence_without_stalling) {
  bal::CellVoltageFilter f;
  PS_CHECK(f.update(3300) == 3300);  // the first sample initialises
  double y = 3300.0;
  const uint16_t xs[] = {3360, 3310, 3290, 3400, 3330, 3330, 3330};
  for (uint16_t x : xs) {
    y = (2.0 * y + x) / 3.0;
    PS_CHECK_NEAR(f.update(x), y, 0.5 + 1.0 / 16.0);
  }
  // A constant input is reached exactly, from below and from above (whole-millivolt
  // truncation would stall up to 2 mV low).
  for (int start = 3000; start <= 3600; start += 600) {
    for (uint16_t x = 3290; x <= 3310; ++x) {
      bal::CellVoltageFilter g;
      g.update(static_cast<uint16_t>(start));
      for (int k = 0; k < 40; ++k) {
        g.update(x);
      }
      PS_CHECK(g.value_mv() == x);
    }
  }
}

PS_TEST(balancer_module_answers_voltage_and_temperature) {
  Bench b;
  PS_CHECK(is(b.ask("1QUA"), "(1UA3240 0"));
  b.node.adc.temperature_counts = 297;
  PS_CHECK(is(b.ask("1QTA"), "(1TA297"));
  PS_CHECK(is(b.ask("1QBU"), "(1BS3500"));
  PS_CHECK(is(b.ask("1QRC"), "(1RC 0"));
  PS_CHECK(is(b.ask("1QTC"), "(1TC 0"));
  PS_CHECK(is(b.ask("1QOC"), "(1OC 0"));
  PS_CHECK(is(b.ask("1XYZ"), "(1NAK"));
  PS_CHECK(is(b.ask("1SRC"), "(1NAK"));
  PS_CHECK(is(b.ask("2QUA"), "2QUA"));  // someone else's: forwarded unchanged
  PS_CHECK(b.node.module.stats().naks == 2 && b.node.module.stats().forwarded == 1);
  PS_CHECK(!b.collided());
}

PS_TEST(balancer_module_balances_automatically_above_start_voltage) {
  Bench b;
  b.node.adc.cell_counts = 876;  // 3504 mV
  b.run_ms(1000);
  PS_CHECK(b.node.module.cell_mv() < 3500 && !b.node.balance_switch.on);
  b.run_ms(15000);  // the average closes (2/3)^k of the step: 264 mV -> under 1 mV
  PS_CHECK(b.node.module.cell_mv() > 3500 && b.node.balance_switch.on);
  PS_CHECK(b.node.module.auto_balancing());
  // No command switches it off.
  PS_CHECK(is(b.ask("1EDB"), "(1EDBOK"));
  PS_CHECK(b.node.balance_switch.on);
  PS_CHECK(is(b.ask("1QUA"), "(1UA3504 1"));
  // Hysteresis: stays on down to start - 6 mV, off below.
  b.node.adc.cell_counts = 874;  // 3496 mV
  b.run_ms(20000);
  PS_CHECK(b.node.module.cell_mv() == 3496 && b.node.balance_switch.on);
  b.node.adc.cell_counts = 873;  // 3492 mV
  b.run_ms(20000);
  PS_CHECK(b.node.module.cell_mv() == 3492 && !b.node.balance_switch.on);
}

PS_TEST(balancer_module_sets_the_start_voltage_within_its_range) {
  Bench b;
  PS_CHECK(is(b.ask("1BSV3450"), "(1BSVOK"));
  PS_CHECK(is(b.ask("1QBU"), "(1BS3450"));
  PS_CHECK(b.node.eeprom[5] == 0x0D && b.node.eeprom[6] == 0x7A);
  PS_CHECK(is(b.ask("1BSV3399"), "(1NAK"));
  PS_CHECK(is(b.ask("1BSV3501"), "(1NAK"));
  b.node.adc.cell_counts = 864;  // 3456 mV > 3450
  b.run_ms(10000);
  PS_CHECK(b.node.balance_switch.on);
  // The setting survives a restart.
  b.node.module.start(b.now_ms());
  PS_CHECK(b.node.module.settings().balance_start_mv == 3450);
}

PS_TEST(balancer_module_dynamic_balancing_switches_itself_off) {
  Bench b;
  b.run_ms(500);
  const uint32_t t0 = b.now_ms();
  PS_CHECK(is(b.ask("1SDB"), "(1SDBOK"));
  PS_CHECK(b.node.balance_switch.on && b.node.module.dynamic_balancing());
  PS_CHECK(is(b.ask("1QUA"), "(1UA3240 1"));
  while (b.node.balance_switch.on && b.now_ms() < t0 + 70000U) {
    b.step();
  }
  const uint32_t off_after = b.now_ms() - t0;
  PS_CHECK(off_after > 60000U && off_after <= 61100U);
  // Repeated SDB keeps it on; EDB ends it at once.
  b.ask("1SDB");
  const uint32_t t1 = b.now_ms();
  b.run_ms(50000);
  b.ask("1SDB");
  b.run_ms(50000);
  PS_CHECK(b.node.balance_switch.on && b.now_ms() - t1 > 100000U);
  PS_CHECK(is(b.ask("1EDB"), "(1EDBOK"));
  PS_CHECK(!b.node.balance_switch.on && !b.node.module.dynamic_balancing());
}

PS_TEST(balancer_module_debug_reports_every_three_seconds_for_a_minute) {
  Bench b;
  b.run_ms(300);
  b.send("DBG");
  b.run_ms(70000);
  PS_CHECK(b.out_count == 20);
  for (int i = 0; i < b.out_count; ++i) {
    PS_CHECK(is(b.out[i].text, "(1UA3240 0"));
    // The first report answers DBG at once; the others follow every 3rd measurement cycle,
    // so the first interval is 2..3 s.
    const uint32_t dt = i == 0 ? 0 : b.out[i].start_ms - b.out[i - 1].start_ms;
    PS_CHECK(i == 0 || (i == 1 ? dt > 2000U && dt <= 3000U : dt >= 2990U && dt <= 3010U));
  }
  PS_CHECK(b.out[19].start_ms - b.out[1].start_ms == 54000U);
  PS_CHECK(!b.node.module.debug_active());
}

PS_TEST(balancer_module_stores_corrections) {
  Bench b;
  PS_CHECK(is(b.ask("1SRC-5"), "(1RCOK"));
  PS_CHECK(is(b.ask("1QRC"), "(1RC-5"));
  b.run_ms(30000);
  PS_CHECK(b.node.module.cell_mv() == 3232);  // 810 * 2043 / 512 = 3232.1
  PS_CHECK(is(b.ask("1STC-12"), "(1RTOK"));
  PS_CHECK(is(b.ask("1QTC"), "(1TC-12"));
  PS_CHECK(is(b.ask("1QTA"), "(1TA288"));
  PS_CHECK(is(b.ask("1SOC 3"), "(1OCOK"));
  PS_CHECK(is(b.ask("1QOC"), "(1OC 3"));
  PS_CHECK(b.node.eeprom[2] == 123 && b.node.eeprom[3] == 116 && b.node.eeprom[4] == 131);
  Node fresh;
  for (uint16_t i = 0; i < 16; ++i) {
    fresh.eeprom[i] = b.node.eeprom[i];
  }
  fresh.module.start(0);
  PS_CHECK(fresh.module.settings().reference_correction_mv == -5);
  PS_CHECK(fresh.module.settings().temperature_correction_k == -12);
  PS_CHECK(fresh.module.oscillator_correction() == 3);
}

PS_TEST(balancer_module_takes_the_next_address_and_reports_it) {
  Bench b;
  PS_CHECK(is(b.ask("ZSMA4"), "ZSMA5"));
  PS_CHECK(b.node.module.address() == 5 && b.node.eeprom[1] == 5);
  PS_CHECK(is(b.ask("5QUA"), "(5UA3240 0"));
  const int before = b.out_count;
  b.ask("ZQMA");
  PS_CHECK(b.out_count == before + 2);
  PS_CHECK(is(b.out[before].text, "(MA5") && is(b.out[before + 1].text, "ZQMA"));
  // The second frame waits (length + 2) byte times after the first: 9 * 2.083 ms.
  const uint32_t gap = b.out[before + 1].start_ms - b.out[before].end_ms;
  PS_CHECK(gap >= 18U && gap <= 22U);
}

PS_TEST(balancer_module_is_half_duplex) {
  // A module that answers is sending: bytes that arrive meanwhile are lost, as on the wire.
  Node n;
  n.module.start(0);
  uint8_t frame[bal::kMaxFrame];
  const uint8_t len = bal::encode_frame(bytes("1QUA"), 4, frame, sizeof(frame));
  for (uint8_t i = 0; i < len; ++i) {
    n.module.receive_byte(frame[i], 2U * i);
  }
  PS_CHECK(n.module.link_state() == bal::LinkState::kSending);
  n.module.receive_byte('x', 20);
  PS_CHECK(n.module.link().stats().lost_while_sending == 1);
  uint8_t byte = 0;
  int sent = 0;
  while (n.module.next_tx_byte(byte, 20)) {
    ++sent;
  }
  PS_CHECK(sent == 13 && n.module.link_state() == bal::LinkState::kReceiving);
}

PS_TEST(balancer_module_drops_a_stale_partial_line) {
  Bench b;
  b.send_raw("1QU");
  b.run_ms(150);  // silence longer than the 100 ms line timeout
  PS_CHECK(is(b.ask("1QUA"), "(1UA3240 0"));
  PS_CHECK(b.node.module.link().stats().line_timeouts == 1);
}

PS_TEST(balancer_link_still_sends_after_25_days_of_silence) {
  // A frame sent at t = 0, then nothing for 2^31 ms + 5 s (the link serviced every second in
  // between, as the module's tick does; two calls stand for those here).
  powerstack::balancer::SerialLink link;
  const uint8_t payload[] = {'(', '1', 'U', 'A', '3', '3', '0', '0', ' ', '0'};
  PS_CHECK(link.queue(payload, sizeof payload));
  link.service(0);
  PS_CHECK(link.state() == powerstack::balancer::LinkState::kSending);
  uint8_t byte = 0;
  while (link.next_tx_byte(byte, 0)) {
  }
  link.service(1000);
  PS_CHECK(link.queue(payload, sizeof payload));
  link.service(0x80000000UL + 5000UL);
  PS_CHECK(link.state() == powerstack::balancer::LinkState::kSending);
}

PS_TEST(balancer_link_is_quiet_only_with_nothing_received_queued_or_sent) {
  // The module image stops its millisecond clock and sleeps deeply only when quiet().
  Node n;
  n.module.start(0);
  PS_CHECK(n.module.link().quiet());
  n.module.receive_byte('1', 0);  // half a line: the line timeout needs the clock
  PS_CHECK(!n.module.link().quiet());
  n.module.tick(150);  // abandoned after 100 ms of silence
  PS_CHECK(n.module.link().quiet());
  uint8_t frame[bal::kMaxFrame];
  const uint8_t len = bal::encode_frame(bytes("1QUA"), 4, frame, sizeof(frame));
  for (uint8_t i = 0; i < len; ++i) {
    n.module.receive_byte(frame[i], 200U + 2U * i);
  }
  PS_CHECK(!n.module.link().quiet());  // answering
  uint8_t byte = 0;
  while (n.module.next_tx_byte(byte, 240)) {
  }
  PS_CHECK(!n.module.link().quiet());  // the inter-frame gap runs: (13 + 2) byte times
  n.module.tick(240 + bal::wire_time_ms(15) - 1);
  PS_CHECK(!n.module.link().quiet());
  n.module.tick(240 + bal::wire_time_ms(15));
  PS_CHECK(n.module.link().quiet());
  n.module.receive_byte('2', 300);
  n.module.receive_byte(bal::kCr, 302);  // a too-short line ends: nothing is left half done
  PS_CHECK(n.module.link().quiet());
}
