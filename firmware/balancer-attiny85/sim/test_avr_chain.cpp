// The balancer module image (firmware/balancer-attiny85) in simavr: one module and a chain,
// every command of seed 001 compared byte for byte with the host build of the same module
// logic fed the same inputs, measurement, balancing, line errors, sleep.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "avr_chain.hpp"
#include "host_chain.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/frame_receiver.hpp"

namespace {

namespace bal = powerstack::balancer;
using powerstack::avr_sim::AvrChain;
using powerstack::avr_sim::HostChain;

std::vector<uint8_t> frame(const std::string& payload) {
  uint8_t out[bal::kMaxFrame];
  const uint8_t n = bal::encode_frame(reinterpret_cast<const uint8_t*>(payload.data()),
                                      static_cast<uint8_t>(payload.size()), out, sizeof(out));
  return {out, out + n};
}

std::vector<uint8_t> values(const std::vector<powerstack::avr_sim::UartDecoder::Byte>& bytes) {
  std::vector<uint8_t> v;
  for (const auto& b : bytes) {
    v.push_back(b.value);
  }
  return v;
}

// Payloads of the frames in a byte stream.
std::vector<std::string> frames_in(const std::vector<uint8_t>& bytes) {
  bal::FrameReceiver rx;
  std::vector<std::string> out;
  for (uint8_t b : bytes) {
    if (rx.push(b) == bal::RxEvent::kFrame) {
      out.emplace_back(reinterpret_cast<const char*>(rx.payload()), rx.payload_length());
    }
  }
  return out;
}

// Sends `bytes` and runs until the master has heard nothing for `quiet_s`; returns what it
// heard.
std::vector<uint8_t> talk(AvrChain& chain, const std::vector<uint8_t>& bytes,
                          double quiet_s = 0.2) {
  chain.send(bytes);
  std::vector<uint8_t> heard;
  double last = chain.now_s();
  while (chain.now_s() - last < quiet_s || chain.now() < chain.send_end()) {
    chain.run_s(0.01);
    const auto got = values(chain.take_received());
    if (!got.empty()) {
      heard.insert(heard.end(), got.begin(), got.end());
      last = chain.now_s();
    }
  }
  return heard;
}

std::vector<AvrChain::ModuleSetup> setups(int n) {
  std::vector<AvrChain::ModuleSetup> s(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    s[static_cast<size_t>(i)].cell_mv = 3280U + 7U * static_cast<uint32_t>(i);
    s[static_cast<size_t>(i)].temperature_mv = 300U + static_cast<uint32_t>(i);
  }
  return s;
}

// Sends each payload to the emulated chain and to the host chain; the bytes coming back
// must be the same (and not nothing). Returns the frames heard, for further checks.
std::vector<std::string> same_bytes(AvrChain& chain, HostChain& host,
                                    const std::vector<std::string>& payloads) {
  std::vector<std::string> all;
  for (const auto& p : payloads) {
    const auto avr = talk(chain, frame(p));
    const auto ref = host.exchange(frame(p));
    EXPECT_FALSE(avr.empty()) << p;
    EXPECT_EQ(avr, ref) << "command " << p;
    for (auto& f : frames_in(avr)) {
      all.push_back(f);
    }
  }
  return all;
}

std::vector<AvrChain::ModuleSetup> with_addresses(std::vector<AvrChain::ModuleSetup> s) {
  for (size_t i = 0; i < s.size(); ++i) {
    s[i].eeprom[1] = static_cast<uint8_t>(i + 1);  // settings byte 1: the module address
  }
  return s;
}

// Every command of seed 001 (and the refusals) on a stand-alone module.
TEST(BalancerAvr, StandAloneModuleAnswersEveryCommandWithTheHostsBytes) {
  const auto s = setups(1);
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  HostChain host(s);
  chain.run_s(0.1);
  const auto frames = same_bytes(
      chain, host, {"1QUA",    "1QTA", "1QBU",     "1QRC",     "1QTC",   "1QOC",   "1SDB",
                    "1QUA",    "1EDB", "1QUA",     "1BSV3450", "1QBU",   "1SRC-3", "1QRC",
                    "1STC 12", "1QTC", "1STC-7",   "1QTC",     "1SOC 2", "1QOC",   "1SOC-4",
                    "1QOC",    "1XYZ", "1BSV3900", "1SRC 12",  "2QUA",   "ZSMA0",  "ZQMA"});
  EXPECT_EQ(frames.front(), "(1UA3276 0");
  // The voltage after the reference correction -3 once the average has settled (the two
  // sides have not measured equally often so far), then DBG.
  chain.run_s(30.0);
  host.run_ms(30000);
  const auto debug = same_bytes(chain, host, {"DBG"});
  EXPECT_EQ(debug, std::vector<std::string>{"(1UA3271 0"});  // DBG answers at once
  EXPECT_EQ(chain.eeprom_byte(0, 1), 1);                     // ZSMA0: address 1 stored
  EXPECT_EQ(chain.eeprom_byte(0, 5), 3450 >> 8);
  EXPECT_EQ(chain.eeprom_byte(0, 6), 3450 & 0xFF);
  EXPECT_EQ(chain.eeprom_byte(0, 4), 128 - 4);  // OSCCAL correction -4, excess-128
  EXPECT_EQ(chain.resets(0), 0);
}

// ZSMA through a chain of 5: every module stores its address, the last one's ZSMA5 comes
// back, with the host chain's bytes.
TEST(BalancerAvr, ChainOfFiveAssignsAddressesLikeTheHost) {
  const auto s = setups(5);
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  HostChain host(s);
  chain.run_s(0.1);
  const auto assigned = same_bytes(chain, host, {"ZSMA0"});
  ASSERT_EQ(assigned, std::vector<std::string>{"ZSMA5"});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(chain.eeprom_byte(i, 1), i + 1);
    EXPECT_EQ(chain.resets(i), 0);
  }
}

// Every command to every module of a chain of 5 (addresses stored), with the host chain's
// bytes; a command for an absent module comes back unchanged.
TEST(BalancerAvr, ChainOfFiveAnswersEveryCommandLikeTheHost) {
  const auto s = with_addresses(setups(5));
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  HostChain host(s);
  chain.run_s(0.1);
  std::vector<std::string> commands;
  for (const char a : std::string("12345")) {
    for (const char* c : {"QUA", "QTA", "QBU", "QRC", "QTC", "QOC", "SDB", "QUA", "EDB", "BSV3480",
                          "QBU", "STC-5", "QTC", "SOC 3", "QOC", "SRC 0", "NOP"}) {
      commands.push_back(std::string(1, a) + c);
    }
  }
  commands.push_back("6QUA");
  const auto frames = same_bytes(chain, host, commands);
  EXPECT_EQ(frames.back(), "6QUA");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(chain.resets(i), 0);
  }
}

// ZQMA through 5 modules: each sends (MAa then ZQMA after the inter-frame gap, which must
// outlast the next module's forwarding of the first frame.
TEST(BalancerAvr, ChainOfFiveAnswersTheAddressQueryLikeTheHost) {
  const auto s = with_addresses(setups(5));
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  HostChain host(s);
  chain.run_s(0.1);
  const auto query = same_bytes(chain, host, {"ZQMA"});
  EXPECT_EQ(query, (std::vector<std::string>{"(MA1", "(MA2", "(MA3", "(MA4", "(MA5", "ZQMA"}));
}

// ZQMA through two modules: (MA1, (MA2, ZQMA, as the host chain.
TEST(BalancerAvr, TwoModulesAnswerTheAddressQueryLikeTheHost) {
  const auto s = with_addresses(setups(2));
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  HostChain host(s);
  chain.run_s(0.1);
  EXPECT_EQ(same_bytes(chain, host, {"ZQMA", "2QUA", "1QTA", "3QUA"}),
            (std::vector<std::string>{"(MA1", "(MA2", "ZQMA", "(2UA3280 0", "(1TA279", "3QUA"}));
}

// The reported voltage is the driven one within the ADC's resolution: 4 mV a count, plus
// simavr's 1023/1024 scale (< 4 mV) and the integer pin millivolts (< 2 mV), with the
// reference correction applied as documented (mV = counts * (2048 + c) / 512).
TEST(BalancerAvr, VoltageMatchesTheDrivenCellWithinResolution) {
  const std::vector<uint32_t> cells = {2800, 2950, 3123, 3301, 3333, 3499, 3650, 4000};
  const std::vector<int> corrections = {0, 0, 0, 7, -9, 0, 3, 0};
  for (size_t i = 0; i < cells.size(); ++i) {
    std::vector<AvrChain::ModuleSetup> s(1);
    s[0].cell_mv = cells[i];
    const int c = corrections[i];
    if (c != 0) {
      s[0].eeprom[2] = static_cast<uint8_t>(128 + c);  // reference correction, excess-128
    }
    AvrChain chain(POWERSTACK_BALANCER_ELF, s);
    chain.run_s(0.1);
    const auto f = frames_in(talk(chain, frame("1QUA")));
    ASSERT_EQ(f.size(), 1U);
    const int reported = std::stoi(f[0].substr(4, 4));
    const int counts = powerstack::avr_sim::emulated_adc_counts(cells[i] / 2, 2048);
    EXPECT_EQ(reported, (counts * (2048 + c) + 256) / 512) << f[0];
    const double ideal = cells[i] * (2048.0 + c) / 2048.0;
    EXPECT_LE(reported, ideal + 0.5) << f[0];
    EXPECT_GE(reported, ideal - 10.0) << f[0];
    std::printf("cell %u mV, correction %+d mV: reported %d mV\n", cells[i], c, reported);
  }
}

// Automatic balancing above the start voltage (3500 mV), not switched off by EDB; dynamic
// balancing on SDB ends by itself after 60 s (61 watchdog cycles of 1.024 s).
TEST(BalancerAvr, BalancesAboveStartVoltageAndEndsDynamicBalancingAfterAMinute) {
  AvrChain chain(POWERSTACK_BALANCER_ELF, setups(1));
  chain.run_s(0.1);
  EXPECT_EQ(frames_in(talk(chain, frame("1SDB"))), std::vector<std::string>{"(1SDBOK"});
  ASSERT_TRUE(chain.bleed_on(0));
  const double on_s = static_cast<double>(chain.bleed_edges(0).back().cycle) / 1e6;
  chain.run_s(59.0);
  EXPECT_TRUE(chain.bleed_on(0));
  chain.run_s(5.0);
  EXPECT_FALSE(chain.bleed_on(0));
  ASSERT_EQ(chain.bleed_edges(0).size(), 2U);
  const double held_s = static_cast<double>(chain.bleed_edges(0).back().cycle) / 1e6 - on_s;
  std::printf("dynamic balancing held %.3f s (emulated)\n", held_s);
  EXPECT_GE(held_s, 60.0);
  EXPECT_LE(held_s, 61.0 * 1.024 + 0.01);

  // The 3-value average needs 4 cycles to pass 3500 mV from 3276 mV, ~21 to settle.
  chain.set_cell_mv(0, 3560);
  chain.run_s(2.5);
  EXPECT_FALSE(chain.bleed_on(0));
  chain.run_s(3.0);
  EXPECT_TRUE(chain.bleed_on(0));
  chain.run_s(20.0);
  EXPECT_EQ(frames_in(talk(chain, frame("1QUA"))), std::vector<std::string>{"(1UA3556 1"});
  EXPECT_EQ(frames_in(talk(chain, frame("1EDB"))), std::vector<std::string>{"(1EDBOK"});
  EXPECT_TRUE(chain.bleed_on(0));  // automatic balancing cannot be switched off
  chain.set_cell_mv(0, 3490);
  chain.run_s(10.0);
  EXPECT_FALSE(chain.bleed_on(0));  // below start - 6 mV
  EXPECT_EQ(chain.resets(0), 0);
}

// Line errors: random garbage, frames with one flipped bit (byte level, fed to the host
// too: the same bytes come back), and glitches and broken bits on the wire. Nothing
// corrupted is executed, nothing resets, the modules answer afterwards.
TEST(BalancerAvr, SurvivesGarbageAndBitErrors) {
  const auto s = with_addresses(setups(2));
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  HostChain host(s);
  chain.run_s(0.1);
  std::mt19937 rng(6001);
  std::vector<uint8_t> garbage(300);
  for (auto& b : garbage) {
    b = static_cast<uint8_t>(rng());
  }
  garbage.push_back(0x0D);
  EXPECT_EQ(talk(chain, garbage), host.exchange(garbage));
  const std::vector<std::string> setters = {"1SDB",    "2SDB",   "1BSV3400", "2SRC 9",
                                            "1STC-50", "2SOC 9", "ZSMA7"};
  int flipped = 0;
  for (int k = 0; k < 140; ++k) {
    auto f = frame(setters[static_cast<size_t>(k) % setters.size()]);
    const size_t at = rng() % f.size();
    f[at] = static_cast<uint8_t>(f[at] ^ (1U << (rng() % 8U)));
    const auto avr = talk(chain, f, 0.05);
    EXPECT_EQ(avr, host.exchange(f, 50)) << k;
    ++flipped;
  }
  // Glitches (shorter than half a bit) and bytes with a broken stop bit, at the bit level.
  std::vector<powerstack::avr_sim::Edge> edges;
  uint64_t t = chain.now() + 1000;
  for (int k = 0; k < 50; ++k) {
    edges.push_back({t, true});
    edges.push_back({t + 20 + rng() % 60, false});
    t += 3000;
  }
  for (int k = 0; k < 20; ++k) {
    powerstack::avr_sim::encode_byte(static_cast<uint8_t>(rng()), t, edges);
    edges.push_back({t + 1900, true});  // high through the stop bit
    edges.push_back({t + 2600, false});
    t += 5000;
  }
  chain.send_edges(edges);
  chain.run_s(0.5);
  (void)chain.take_received();
  // Nothing was executed: no balancing, settings still factory, addresses unchanged.
  EXPECT_FALSE(chain.bleed_on(0));
  EXPECT_FALSE(chain.bleed_on(1));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(chain.eeprom_byte(i, 1), i + 1);
    for (uint16_t a = 2; a <= 6; ++a) {
      EXPECT_EQ(chain.eeprom_byte(i, a), 0xFF) << "module " << i + 1 << " byte " << a;
    }
    EXPECT_EQ(chain.resets(i), 0);
  }
  EXPECT_EQ(frames_in(talk(chain, frame("2QBU"))), std::vector<std::string>{"(2BS3500"});
  std::printf("%d frames with a flipped bit, 50 glitches, 20 framing errors: none executed\n",
              flipped);
}

// Between measurements the core sleeps: over 20 s with a poll every 2 s, the fraction of
// cycles asleep, by mode; and the deepest stack seen in all of it.
TEST(BalancerAvr, SleepsBetweenMeasurements) {
  const auto s = setups(1);
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  chain.run_s(1.0);
  const uint64_t start = chain.now();
  uint64_t before[powerstack::avr_sim::kSleepModes];
  for (int m = 0; m < powerstack::avr_sim::kSleepModes; ++m) {
    before[m] = chain.sleep_cycles(0, static_cast<powerstack::avr_sim::SleepMode>(m));
  }
  for (int k = 0; k < 10; ++k) {
    EXPECT_EQ(frames_in(talk(chain, frame("1QUA"))).size(), 1U);
    chain.run_s(2.0 - 0.3);
  }
  const double elapsed = static_cast<double>(chain.now() - start);
  double asleep = 0;
  const char* names[] = {"idle", "ADC noise reduction", "power-down", "other"};
  for (int m = 0; m < powerstack::avr_sim::kSleepModes; ++m) {
    const auto c = static_cast<double>(
        chain.sleep_cycles(0, static_cast<powerstack::avr_sim::SleepMode>(m)) - before[m]);
    asleep += c;
    std::printf("asleep in %s: %.4f of the time\n", names[m], c / elapsed);
  }
  std::printf("asleep: %.4f of %.1f s (emulated); awake %.0f cycles a second\n", asleep / elapsed,
              elapsed / 1e6, (elapsed - asleep) / (elapsed / 1e6));
  EXPECT_GT(asleep / elapsed, 0.97);
  const unsigned stack = chain.stack_bytes(0);
  std::printf("static RAM %u B, deepest stack %u B, never used %u B of 512\n",
              chain.static_ram_bytes(), stack, 512 - chain.static_ram_bytes() - stack);
  EXPECT_LT(chain.static_ram_bytes() + stack, 512U - 64U);
}

// The stored OSCCAL correction is applied to the oscillator at start-up.
TEST(BalancerAvr, AppliesTheStoredOscillatorCorrection) {
  auto s = setups(2);
  s[0].eeprom[4] = 128 + 3;
  s[1].eeprom[4] = 128 - 5;
  AvrChain chain(POWERSTACK_BALANCER_ELF, s);
  chain.run_s(0.05);
  EXPECT_EQ(chain.osccal(0), powerstack::avr_sim::kFactoryOsccal + 3);
  EXPECT_EQ(chain.osccal(1), powerstack::avr_sim::kFactoryOsccal - 5);
}

}  // namespace

namespace {

// How long a module takes from the end of a frame to the start of its forwarding. The
// sender's inter-frame gap leaves it 2 byte times after the sender's last byte, which the
// image stamps (main.cpp) at its hand-over (one byte time before it starts) + 3 ms + 3 ms:
// 2 x 2.083 + 6 - 2.083 - 2.083 (the last byte itself) = 6.0 ms after the end of the frame.
TEST(BalancerAvr, ForwardsWithinTheGapMargin) {
  AvrChain chain(POWERSTACK_BALANCER_ELF, with_addresses(setups(5)));
  chain.run_s(0.1);
  double worst_ms = 0;
  for (const char* command : {"1QUA", "1QTA", "ZQMA", "2QBU", "1SDB", "1EDB"}) {
    chain.send(frame(command));
    chain.run_s(0.4);
    std::vector<std::vector<powerstack::avr_sim::UartDecoder::Byte>> lines;
    for (int i = 0; i < chain.size(); ++i) {
      lines.push_back(chain.take_line(i));
    }
    // Module i+1 starts forwarding its first frame after module i's first CR.
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      if (lines[i].empty() || lines[i + 1].empty()) {
        continue;
      }
      size_t cr = 0;
      while (cr < lines[i].size() && lines[i][cr].value != bal::kCr) {
        ++cr;
      }
      ASSERT_LT(cr, lines[i].size());
      const double end = static_cast<double>(lines[i][cr].start) + 10 * 1e6 / 4800.0;
      const double turnaround_ms = (static_cast<double>(lines[i + 1][0].start) - end) / 1000.0;
      worst_ms = std::max(worst_ms, turnaround_ms);
    }
    (void)chain.take_received();
  }
  std::printf("longest turnaround (frame end to forwarding start): %.2f ms\n", worst_ms);
  EXPECT_GT(worst_ms, 0.0);
  EXPECT_LT(worst_ms, 6.0);
}

}  // namespace
