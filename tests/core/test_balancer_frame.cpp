// Balancer frame codec and streaming receiver: layout, round trips, and robustness against
// garbage, lost CRs, over-long lines and bit errors.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "harness/check.hpp"
#include "harness/rng.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/crc.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/frame_receiver.hpp"
#include "test_balancer_fakes.hpp"

namespace bal = powerstack::balancer;
using bal::FrameReceiver;
using bal::RxEvent;
using bal_test::bytes;
using bal_test::length;

namespace {

struct Frame {
  uint8_t data[bal::kMaxFrame];
  uint8_t size;
};

Frame frame_of(const char* payload) {
  Frame f{};
  f.size = bal::encode_frame(bytes(payload), length(payload), f.data, sizeof(f.data));
  return f;
}

// Feeds bytes; returns the number of valid frames; the last one is copied to `last`.
int feed(FrameReceiver& rx, const uint8_t* data, int n, char* last = nullptr) {
  int frames = 0;
  for (int i = 0; i < n; ++i) {
    if (rx.push(data[i]) == RxEvent::kFrame) {
      ++frames;
      if (last != nullptr) {
        std::memcpy(last, rx.payload(), rx.payload_length());
        last[rx.payload_length()] = '\0';
      }
    }
  }
  return frames;
}

int feed(FrameReceiver& rx, const Frame& f, char* last = nullptr) {
  return feed(rx, f.data, f.size, last);
}

int feed_text(FrameReceiver& rx, const char* text) {
  return feed(rx, bytes(text), static_cast<int>(std::strlen(text)));
}

// Every command and response shape of the protocol, as payloads.
const char* const kPayloads[] = {
    "1QUA",     "GQTA",    "HQBU",   "YQRC",    "a0QTC",       "v9QOC",      "5SDB",    "5EDB",
    "1BSV3450", "1SRC-9",  "CSRC 0", "1STC-12", "2STC 7",      "7SOC-4",     "1DBG",    "DBG",
    "ZSMA0",    "ZSMAG",   "ZSMAa0", "ZQMA",    "(1UA3239 0",  "(GUA 950 1", "(1TA298", "(1BS3500",
    "(1RC-9",   "(1TC-12", "(1OC 3", "(1SDBOK", "(1EDBOK",     "(1BSVOK",    "(1RCOK",  "(1RTOK",
    "(1OCOK",   "(MA1",    "(MAa0",  "(1NAK",   "(a0UA4092 1",
};

}  // namespace

PS_TEST(balancer_frame_layout_is_payload_crc_cr) {
  const Frame f = frame_of("1QUA");
  const uint8_t expected[] = {'1', 'Q', 'U', 'A', 0x9A, 0x0C, 0x0D};  // seed's prikazy.txt
  PS_CHECK(f.size == sizeof(expected));
  PS_CHECK(std::memcmp(f.data, expected, f.size) == 0);
}

PS_TEST(balancer_frame_rejects_invalid_payloads) {
  uint8_t out[bal::kMaxFrame];
  PS_CHECK(bal::encode_frame(bytes(""), 0, out, sizeof(out)) == 0);
  PS_CHECK(bal::encode_frame(bytes("0123456789ABCDEFG"), 17, out, sizeof(out)) == 0);
  PS_CHECK(bal::encode_frame(bytes("0123456789ABCDEF"), 16, out, sizeof(out)) == 19);
  PS_CHECK(bal::encode_frame(bytes("1Q\rA"), 4, out, sizeof(out)) == 0);
  PS_CHECK(bal::encode_frame(bytes("1Q\nA"), 4, out, sizeof(out)) == 0);
  PS_CHECK(bal::encode_frame(bytes("1Q(A"), 4, out, sizeof(out)) == 0);  // '(' only first
  PS_CHECK(bal::encode_frame(bytes("1Q\x80"
                                   "A"),
                             4, out, sizeof(out)) == 0);
  PS_CHECK(bal::encode_frame(bytes("1QUA"), 4, out, 6) == 0);  // capacity
  PS_CHECK(bal::encode_frame(bytes("1QUA"), 4, out, 7) == 7);
}

PS_TEST(balancer_frame_round_trips_every_shape) {
  FrameReceiver rx;
  char last[bal::kMaxPayload + 1];
  for (const char* p : kPayloads) {
    const Frame f = frame_of(p);
    PS_CHECK(f.size == length(p) + 3U);
    PS_CHECK(feed(rx, f, last) == 1);
    PS_CHECK(std::strcmp(last, p) == 0);
  }
  // Back to back, no gap.
  uint8_t stream[512];
  int n = 0;
  for (const char* p : kPayloads) {
    const Frame f = frame_of(p);
    std::memcpy(stream + n, f.data, f.size);
    n += f.size;
    PS_CHECK(n < 490);
  }
  PS_CHECK(feed(rx, stream, n) == static_cast<int>(sizeof(kPayloads) / sizeof(kPayloads[0])));
  PS_CHECK(rx.stats().crc_errors == 0 && rx.stats().broken_lines == 0);
}

PS_TEST(balancer_receiver_tolerates_cr_lf_and_empty_lines) {
  FrameReceiver rx;
  const Frame f = frame_of("1QUA");
  PS_CHECK(feed_text(rx, "\r\r\n\n") == 0);
  PS_CHECK(feed(rx, f) == 1);
  PS_CHECK(rx.push('\n') == RxEvent::kNone);  // CR LF from a terminal costs nothing
  PS_CHECK(feed(rx, f) == 1);
  PS_CHECK(rx.stats().broken_lines == 0 && rx.stats().too_short == 0);
  PS_CHECK(feed_text(rx, "ab\r") == 0);
  PS_CHECK(rx.stats().too_short == 1);
}

PS_TEST(balancer_receiver_survives_garbage) {
  FrameReceiver rx;
  const Frame f = frame_of("3QTA");
  ps_test::Rng rng(6);
  for (int trial = 0; trial < 200; ++trial) {
    uint8_t junk[64];
    const int n = 1 + static_cast<int>(rng.next_u64() % sizeof(junk));
    for (int i = 0; i < n; ++i) {
      junk[i] = static_cast<uint8_t>(rng.next_u64());
    }
    feed(rx, junk, n);
    // Garbage then a line break: the next frame is received whatever the garbage was.
    rx.push('\r');
    char last[bal::kMaxPayload + 1];
    PS_CHECK(feed(rx, f, last) == 1);
    PS_CHECK(std::strcmp(last, "3QTA") == 0);
    // Garbage straight before a response: '(' resynchronises.
    feed(rx, junk, n);
    PS_CHECK(feed(rx, frame_of("(3TA301"), last) == 1);
    PS_CHECK(std::strcmp(last, "(3TA301") == 0);
  }
}

PS_TEST(balancer_receiver_handles_lost_cr) {
  FrameReceiver rx;
  char last[bal::kMaxPayload + 1];
  // CRC-16/XMODEM starts from 0 without a final XOR, so a payload followed by its own raw
  // CRC leaves the register at 0: when the CR between two frames is lost, the merged line
  // A crcA B crcB passes the CRC of B. The payload check rejects it when crcA has a byte
  // outside printable ASCII ("1QUA": 9A 0C) ...
  const Frame a = frame_of("1QUA");
  const Frame b = frame_of("2QUA");
  PS_CHECK(feed(rx, a.data, a.size - 1) == 0);
  PS_CHECK(feed(rx, b) == 0);
  PS_CHECK(rx.stats().bad_payload == 1);
  // ... and when crcA is printable ("1QBU": 52 5D = "R]"), the merged payload reaches the
  // protocol layer, whose strict grammar rejects it: nothing is executed (the addressed
  // module answers NAK).
  const Frame c = frame_of("1QBU");
  PS_CHECK(c.data[4] == 'R' && c.data[5] == ']');
  PS_CHECK(feed(rx, c.data, c.size - 1) == 0);
  PS_CHECK(feed(rx, b, last) == 1 && std::strcmp(last, "1QBUR]2QUA") == 0);
  bal::Command command;
  PS_CHECK(!bal::decode_command(bytes(last), length(last), command));
  // When crcA was adjusted ("DQTA": 57 0D sent as 57 0E) the merged line fails the CRC.
  const Frame d = frame_of("DQTA");
  PS_CHECK(feed(rx, d.data, d.size - 1) == 0);
  PS_CHECK(feed(rx, b) == 0);
  PS_CHECK(rx.stats().crc_errors == 1);
  PS_CHECK(feed(rx, b, last) == 1 && std::strcmp(last, "2QUA") == 0);
  // A lost CR in front of a response costs only the frame before it ('(' resynchronises).
  const Frame r = frame_of("(2UA3301 1");
  PS_CHECK(feed(rx, a.data, a.size - 1) == 0);
  PS_CHECK(feed(rx, r, last) == 1 && std::strcmp(last, "(2UA3301 1") == 0);
  PS_CHECK(rx.stats().broken_lines == 1);
}

PS_TEST(balancer_receiver_bounds_overlong_lines) {
  FrameReceiver rx;
  char last[bal::kMaxPayload + 1];
  PS_CHECK(feed_text(rx, "this line is far longer than any balancer frame can be") == 0);
  PS_CHECK(rx.stats().overflows == 1);
  PS_CHECK(!rx.idle());
  PS_CHECK(feed(rx, frame_of("4QUA")) == 0);  // still skipping: the long line ends at this CR
  PS_CHECK(rx.idle());
  PS_CHECK(feed(rx, frame_of("4QUA"), last) == 1 && std::strcmp(last, "4QUA") == 0);
  // An over-long line ended by a response start.
  PS_CHECK(feed_text(rx, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") == 0);
  PS_CHECK(feed(rx, frame_of("(4UA3300 0"), last) == 1 && std::strcmp(last, "(4UA3300 0") == 0);
  PS_CHECK(rx.stats().overflows == 2);
  // The longest accepted payload, and one byte more.
  PS_CHECK(feed(rx, frame_of("0123456789ABCDEF")) == 1);
  uint8_t line[32];
  std::memcpy(line, "0123456789ABCDEFG", 17);
  const uint16_t crc = bal::axpert_crc(line, 17);
  line[17] = static_cast<uint8_t>(crc >> 8U);
  line[18] = static_cast<uint8_t>(crc & 0xFFU);
  line[19] = '\r';
  PS_CHECK(feed(rx, line, 20) == 0);
  PS_CHECK(rx.stats().overflows == 3);
}

PS_TEST(balancer_receiver_rejects_valid_crc_over_unprintable_payload) {
  FrameReceiver rx;
  uint8_t line[8] = {'1', 'Q', 0x01, 'A'};
  const uint16_t crc = bal::axpert_crc(line, 4);
  line[4] = static_cast<uint8_t>(crc >> 8U);
  line[5] = static_cast<uint8_t>(crc & 0xFFU);
  line[6] = '\r';
  PS_CHECK(feed(rx, line, 7) == 0);
  PS_CHECK(rx.stats().bad_payload == 1);
}

PS_TEST(balancer_receiver_never_accepts_bit_flipped_frames) {
  // Seeded single and double bit flips anywhere in a frame (CR included), each corrupted
  // frame followed by the same frame intact: with a CR between them (the line idles, as
  // after a master's timeout) or straight after (back-to-back traffic). Counted: wrong
  // frames delivered (any frame out of a corrupted one is wrong) and intact frames missed.
  // CRC-16/XMODEM detects every 1- and 2-bit error in frames this short; the adjustment
  // merges only CRC values one apart in one byte, which such errors cannot produce here.
  ps_test::Rng rng(2024);
  FrameReceiver rx;
  const int count = static_cast<int>(sizeof(kPayloads) / sizeof(kPayloads[0]));
  int wrong = 0;
  int missed[2] = {0, 0};
  int trials = 0;
  for (int flips = 1; flips <= 2; ++flips) {
    for (int separated = 0; separated <= 1; ++separated) {
      for (int t = 0; t < 1500; ++t) {
        const char* payload = kPayloads[rng.next_u64() % static_cast<uint64_t>(count)];
        Frame f = frame_of(payload);
        const unsigned bits = f.size * 8U;
        const auto first = static_cast<unsigned>(rng.next_u64() % bits);
        unsigned second = first;
        while (flips == 2 && second == first) {
          second = static_cast<unsigned>(rng.next_u64() % bits);
        }
        f.data[first / 8U] ^= static_cast<uint8_t>(1U << (first % 8U));
        if (flips == 2) {
          f.data[second / 8U] ^= static_cast<uint8_t>(1U << (second % 8U));
        }
        for (uint8_t i = 0; i < f.size; ++i) {
          if (rx.push(f.data[i]) == RxEvent::kFrame) {
            ++wrong;
          }
        }
        if (separated != 0) {
          rx.push('\r');
        }
        char last[bal::kMaxPayload + 1] = {};
        const int frames = feed(rx, frame_of(payload), last);
        if (frames != 1 || std::strcmp(last, payload) != 0) {
          ++missed[separated];
          wrong += (frames == 1) ? 1 : 0;  // something other than the intact frame
          rx.push('\r');                   // resynchronise for the next trial
        }
        ++trials;
      }
    }
  }
  std::printf(
      "  bit flips: %d trials, %d wrong frames, intact frames missed: %d of 3000 "
      "back to back, %d of 3000 after a line break\n",
      trials, wrong, missed[0], missed[1]);
  PS_CHECK(trials == 6000);
  PS_CHECK(wrong == 0);
  PS_CHECK(missed[1] == 0);
}

PS_TEST(balancer_receiver_random_noise_yields_no_frames) {
  // 200 000 random bytes: the chance that a random line passes is about 2^-16 per line
  // that ends in time (most lines overflow first), so noise delivers no frame here.
  ps_test::Rng rng(77);
  FrameReceiver rx;
  int frames = 0;
  for (int i = 0; i < 200000; ++i) {
    frames += rx.push(static_cast<uint8_t>(rng.next_u64())) == RxEvent::kFrame ? 1 : 0;
  }
  std::printf("  noise: %d frames, %u CRC errors, %u overflows\n", frames,
              static_cast<unsigned>(rx.stats().crc_errors),
              static_cast<unsigned>(rx.stats().overflows));
  PS_CHECK(frames == 0);
}
