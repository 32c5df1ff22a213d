// parse_adc_trace: a valid trace yields the declared channels, ports, calibration and samples;
// every class of bad input yields an error that names the line and the problem.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "powerstack/app/adc_trace.hpp"

namespace powerstack::app {
namespace {

// The reference trace, one string per line (line N of the file is kLines[N - 1]).
const std::vector<std::string> kLines = {
    "# powerstack-adc-trace 1",                                                 // 1
    "# adc bits=12 vref_v=3.3 margin_counts=2",                                 // 2
    "# channel name=v_pv quantity=voltage front_end=divider r_top_ohm=200000 "  // 3
    "r_bottom_ohm=10000 min_v=0 max_v=65",                                      //
    "# channel name=i_pv quantity=current front_end=shunt r_shunt_ohm=0.005 "   // 4
    "gain=20 offset_v=0.3 min_a=-1 max_a=25",                                   //
    "# port name=pv voltage=v_pv current=i_pv current_positive=out_of",         // 5
    "# calibration channel=v_pv raw1=10 true1=10.1 raw2=50 true2=50.3",         // 6
    "t_ms,v_pv,i_pv",                                                           // 7
    "0,2000,900",                                                               // 8
    "10.5,2001,905",                                                            // 9
};

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) {
    text += l;
    text += '\n';
  }
  return text;
}

// The reference trace with line `line_no` (1-based) replaced.
std::string with_line(std::size_t line_no, const std::string& replacement) {
  std::vector<std::string> lines = kLines;
  lines.at(line_no - 1) = replacement;
  return join(lines);
}

// The reference trace with line `line_no` removed.
std::string without_line(std::size_t line_no) {
  std::vector<std::string> lines = kLines;
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(line_no - 1));
  return join(lines);
}

// The reference trace with `extra` appended as new lines.
std::string with_rows(const std::vector<std::string>& extra) {
  std::vector<std::string> lines = kLines;
  lines.insert(lines.end(), extra.begin(), extra.end());
  return join(lines);
}

// Parses `text`, expects failure, and returns the error message.
std::string error_of(std::string_view text) {
  const TraceParseResult r = parse_adc_trace(text);
  EXPECT_FALSE(r.trace.has_value()) << "parsed although it should not have";
  EXPECT_FALSE(r.error.empty());
  return r.error;
}

#define EXPECT_CONTAINS(haystack, needle)                          \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) \
      << "expected to find \"" << (needle) << "\" in \"" << (haystack) << "\""

// ---------------------------------------------------------------------------------------------
// Valid input

TEST(AdcTraceParse, ReferenceTraceParses) {
  const TraceParseResult r = parse_adc_trace(join(kLines));
  ASSERT_TRUE(r.trace.has_value()) << r.error;
  EXPECT_TRUE(r.error.empty());
  const AdcTrace& t = *r.trace;

  EXPECT_EQ(t.adc.bits, 12);
  EXPECT_FLOAT_EQ(t.adc.vref_v, 3.3f);
  EXPECT_EQ(t.adc.saturation_margin_counts, 2);

  ASSERT_EQ(t.channels.size(), 2U);
  const TraceChannel& v = t.channels[0];
  EXPECT_EQ(v.name, "v_pv");
  EXPECT_EQ(v.quantity, Quantity::kVoltage);
  EXPECT_FLOAT_EQ(v.front_end.gain, 21.0f);  // (200k + 10k) / 10k
  EXPECT_FLOAT_EQ(v.front_end.offset, 0.0f);
  EXPECT_FLOAT_EQ(v.min_valid, 0.0f);
  EXPECT_FLOAT_EQ(v.max_valid, 65.0f);
  ASSERT_TRUE(v.calibration.has_value());
  EXPECT_NEAR(v.calibration->gain, 1.005f, 1e-6f);   // (50.3 - 10.1) / (50 - 10)
  EXPECT_NEAR(v.calibration->offset, 0.05f, 1e-5f);  // 10.1 - 1.005 * 10
  EXPECT_NEAR(v.calibration->apply(10.0f), 10.1f, 1e-5f);
  EXPECT_NEAR(v.calibration->apply(50.0f), 50.3f, 1e-5f);

  const TraceChannel& i = t.channels[1];
  EXPECT_EQ(i.name, "i_pv");
  EXPECT_EQ(i.quantity, Quantity::kCurrent);
  // i = (v_pin - 0.3) / (0.005 * 20) = 10 * v_pin - 3
  EXPECT_NEAR(i.front_end.gain, 10.0f, 1e-5f);
  EXPECT_NEAR(i.front_end.offset, -3.0f, 1e-5f);
  EXPECT_FLOAT_EQ(i.min_valid, -1.0f);
  EXPECT_FLOAT_EQ(i.max_valid, 25.0f);
  EXPECT_FALSE(i.calibration.has_value());

  ASSERT_EQ(t.ports.size(), 1U);
  EXPECT_EQ(t.ports[0].name, "pv");
  EXPECT_EQ(t.ports[0].voltage_channel, 0U);
  EXPECT_EQ(t.ports[0].current_channel, 1U);
  EXPECT_TRUE(t.ports[0].current_out_of_element);

  ASSERT_EQ(t.rows(), 2U);
  EXPECT_EQ(t.t_us[0], 0U);
  EXPECT_EQ(t.t_us[1], 10'500U);  // 10.5 ms
  ASSERT_EQ(t.counts.size(), 4U);
  EXPECT_EQ(t.count(0, 0), 2000U);
  EXPECT_EQ(t.count(0, 1), 900U);
  EXPECT_EQ(t.count(1, 0), 2001U);
  EXPECT_EQ(t.count(1, 1), 905U);
}

TEST(AdcTraceParse, TimeUnitsConvertToMicroseconds) {
  struct Case {
    const char* column;
    const char* t0;
    const char* t1;
    std::uint64_t us0;
    std::uint64_t us1;
  };
  const Case cases[] = {
      {"t_us", "0", "1234", 0, 1234},
      {"t_us", "7", "7.6", 7, 8},  // rounded to the nearest microsecond
      {"t_ms", "0.001", "2.5", 1, 2500},
      {"t_s", "0", "1.5", 0, 1'500'000},
      {"t_s", "0.000001", "86400", 1, 86'400'000'000ULL},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.column) + " " + c.t0 + " " + c.t1);
    std::vector<std::string> lines(kLines.begin(), kLines.begin() + 6);
    lines.push_back(std::string(c.column) + ",v_pv,i_pv");
    lines.push_back(std::string(c.t0) + ",1,2");
    lines.push_back(std::string(c.t1) + ",3,4");
    const TraceParseResult r = parse_adc_trace(join(lines));
    ASSERT_TRUE(r.trace.has_value()) << r.error;
    ASSERT_EQ(r.trace->rows(), 2U);
    EXPECT_EQ(r.trace->t_us[0], c.us0);
    EXPECT_EQ(r.trace->t_us[1], c.us1);
  }
}

TEST(AdcTraceParse, ColumnOrderMayDifferFromDeclarationOrder) {
  std::vector<std::string> lines(kLines.begin(), kLines.begin() + 6);
  lines.emplace_back("t_us, i_pv , v_pv");  // spaces around names are allowed
  lines.emplace_back("100, 900, 2000");
  lines.emplace_back("200,905,2001");
  const TraceParseResult r = parse_adc_trace(join(lines));
  ASSERT_TRUE(r.trace.has_value()) << r.error;
  const AdcTrace& t = *r.trace;
  // Counts are stored by channel (declaration order), not by column.
  ASSERT_EQ(t.channels[0].name, "v_pv");
  EXPECT_EQ(t.count(0, 0), 2000U);
  EXPECT_EQ(t.count(0, 1), 900U);
  EXPECT_EQ(t.count(1, 0), 2001U);
  EXPECT_EQ(t.count(1, 1), 905U);
  EXPECT_EQ(t.t_us[0], 100U);
  EXPECT_EQ(t.t_us[1], 200U);
}

TEST(AdcTraceParse, OptionalPartsAndLenientLayout) {
  // Leading blank lines, CRLF, tabs, comments (also between rows), a direct channel without
  // range (unbounded), no margin, no port, no calibration, no trailing newline.
  const std::string text =
      "\n\r\n# powerstack-adc-trace 1\r\n"
      "# a free comment line\r\n"
      "#\tadc\tbits=10\tvref_v=2.5\r\n"
      "# channel name=v1 quantity=voltage front_end=direct\r\n"
      "\r\n"
      "t_us,v1\r\n"
      "0,0\r\n"
      "# a comment between rows\r\n"
      "\r\n"
      "5,1023";
  const TraceParseResult r = parse_adc_trace(text);
  ASSERT_TRUE(r.trace.has_value()) << r.error;
  const AdcTrace& t = *r.trace;
  EXPECT_EQ(t.adc.bits, 10);
  EXPECT_FLOAT_EQ(t.adc.vref_v, 2.5f);
  EXPECT_EQ(t.adc.saturation_margin_counts, 0);
  ASSERT_EQ(t.channels.size(), 1U);
  EXPECT_FLOAT_EQ(t.channels[0].front_end.gain, 1.0f);
  EXPECT_EQ(t.channels[0].min_valid, -std::numeric_limits<float>::infinity());
  EXPECT_EQ(t.channels[0].max_valid, std::numeric_limits<float>::infinity());
  EXPECT_TRUE(t.ports.empty());
  ASSERT_EQ(t.rows(), 2U);
  EXPECT_EQ(t.count(1, 0), 1023U);  // 2^10 - 1 is the largest valid count
  EXPECT_EQ(t.t_us[1], 5U);
}

TEST(AdcTraceParse, PortWithCurrentIntoElement) {
  const TraceParseResult r = parse_adc_trace(
      with_line(5, "# port name=bat voltage=v_pv current=i_pv current_positive=into"));
  ASSERT_TRUE(r.trace.has_value()) << r.error;
  ASSERT_EQ(r.trace->ports.size(), 1U);
  EXPECT_EQ(r.trace->ports[0].name, "bat");
  EXPECT_FALSE(r.trace->ports[0].current_out_of_element);
}

TEST(AdcTraceParse, DirectivesMayComeInAnyOrderBeforeTheHeader) {
  // Port and calibration before the channels they name: resolved at the header.
  const std::vector<std::string> lines = {kLines[0], kLines[5], kLines[4], kLines[1],
                                          kLines[3], kLines[2], kLines[6], kLines[7]};
  const TraceParseResult r = parse_adc_trace(join(lines));
  ASSERT_TRUE(r.trace.has_value()) << r.error;
  const AdcTrace& t = *r.trace;
  ASSERT_EQ(t.channels.size(), 2U);
  EXPECT_EQ(t.channels[0].name, "i_pv");
  EXPECT_EQ(t.channels[1].name, "v_pv");
  EXPECT_TRUE(t.channels[1].calibration.has_value());
  ASSERT_EQ(t.ports.size(), 1U);
  EXPECT_EQ(t.ports[0].voltage_channel, 1U);
  EXPECT_EQ(t.ports[0].current_channel, 0U);
  EXPECT_EQ(t.count(0, 1), 2000U);  // column v_pv
  EXPECT_EQ(t.count(0, 0), 900U);   // column i_pv
}

TEST(AdcTraceParse, SixteenBitAdcAcceptsFullRange) {
  std::vector<std::string> lines = kLines;
  lines[1] = "# adc bits=16 vref_v=5";
  lines.resize(7);
  lines.emplace_back("0,0,65535");
  const TraceParseResult r = parse_adc_trace(join(lines));
  ASSERT_TRUE(r.trace.has_value()) << r.error;
  EXPECT_EQ(r.trace->count(0, 1), 65535U);
}

// ---------------------------------------------------------------------------------------------
// Errors: each names the line and the problem.

TEST(AdcTraceErrors, WrongMagic) {
  const std::string e = error_of(with_line(1, "# some-other-format 1"));
  EXPECT_CONTAINS(e, "line 1:");
  EXPECT_CONTAINS(e, "not a powerstack ADC trace");
  EXPECT_CONTAINS(error_of("t_us,v\n0,1\n"), "line 1: not a powerstack ADC trace");
  // Blank lines before the magic are skipped, so the line number is the first non-blank one.
  EXPECT_CONTAINS(error_of("\n\nhello\n"), "line 3: not a powerstack ADC trace");
}

TEST(AdcTraceErrors, WrongVersion) {
  const std::string e = error_of(with_line(1, "# powerstack-adc-trace 2"));
  EXPECT_CONTAINS(e, "line 1:");
  EXPECT_CONTAINS(e, "unsupported trace version '2'");
  EXPECT_CONTAINS(error_of(with_line(1, "# powerstack-adc-trace")), "unsupported trace version ''");
  EXPECT_CONTAINS(error_of(with_line(1, "# powerstack-adc-trace 1.0")),
                  "unsupported trace version '1.0'");
}

TEST(AdcTraceErrors, MissingAdcLine) {
  const std::string e = error_of(without_line(2));
  // The header (now line 6) is where the missing '# adc' is noticed.
  EXPECT_CONTAINS(e, "line 6:");
  EXPECT_CONTAINS(e, "missing '# adc bits=... vref_v=...'");
}

TEST(AdcTraceErrors, SecondAdcLine) {
  const std::string e = error_of(with_line(6, "# adc bits=10 vref_v=3.3"));
  EXPECT_CONTAINS(e, "line 6: second '# adc' line");
}

TEST(AdcTraceErrors, UnknownKey) {
  std::string e = error_of(with_line(2, "# adc bits=12 vref_v=3.3 colour=blue"));
  EXPECT_CONTAINS(e, "line 2:");
  EXPECT_CONTAINS(e, "unknown key 'colour'");
  e = error_of(with_line(5, kLines[4] + " foo=1"));
  EXPECT_CONTAINS(e, "line 5: unknown key 'foo' in port 'pv'");
  e = error_of(with_line(6, kLines[5] + " raw3=1"));
  EXPECT_CONTAINS(e, "line 6: unknown key 'raw3' in calibration");
}

TEST(AdcTraceErrors, CurrentUnitKeyOnVoltageChannel) {
  const std::string e = error_of(with_line(3,
                                           "# channel name=v_pv quantity=voltage front_end=divider "
                                           "r_top_ohm=200000 r_bottom_ohm=10000 min_a=0 max_v=65"));
  EXPECT_CONTAINS(e, "line 3:");
  EXPECT_CONTAINS(e, "unknown key 'min_a'");
  EXPECT_CONTAINS(e, "min_v");
}

TEST(AdcTraceErrors, VoltageUnitKeyOnCurrentChannel) {
  const std::string e = error_of(with_line(4,
                                           "# channel name=i_pv quantity=current front_end=shunt "
                                           "r_shunt_ohm=0.005 gain=20 offset_v=0.3 max_v=25"));
  EXPECT_CONTAINS(e, "line 4:");
  EXPECT_CONTAINS(e, "unknown key 'max_v'");
  EXPECT_CONTAINS(e, "min_a/max_a");
}

TEST(AdcTraceErrors, DividerOnCurrentChannel) {
  const std::string e = error_of(with_line(4,
                                           "# channel name=i_pv quantity=current front_end=divider "
                                           "r_top_ohm=1 r_bottom_ohm=1"));
  EXPECT_CONTAINS(e, "line 4:");
  EXPECT_CONTAINS(e, "'i_pv' measures current: a divider measures voltage");
}

TEST(AdcTraceErrors, DirectOnCurrentChannel) {
  const std::string e =
      error_of(with_line(4, "# channel name=i_pv quantity=current front_end=direct"));
  EXPECT_CONTAINS(e, "line 4:");
  EXPECT_CONTAINS(e, "front_end=direct is for voltages");
}

TEST(AdcTraceErrors, ShuntOnVoltageChannel) {
  const std::string e = error_of(with_line(3,
                                           "# channel name=v_pv quantity=voltage front_end=shunt "
                                           "r_shunt_ohm=0.005 gain=20 offset_v=0.3"));
  EXPECT_CONTAINS(e, "line 3:");
  EXPECT_CONTAINS(e, "'v_pv' measures voltage: a shunt measures current");
}

TEST(AdcTraceErrors, BadChannelDeclarations) {
  EXPECT_CONTAINS(error_of(with_line(3, "# channel name=v_pv quantity=power front_end=direct")),
                  "line 3: quantity must be 'voltage' or 'current', got 'power'");
  EXPECT_CONTAINS(error_of(with_line(3, "# channel name=v_pv quantity=voltage front_end=hall")),
                  "line 3: front_end must be divider, shunt or direct, got 'hall'");
  EXPECT_CONTAINS(error_of(with_line(3, "# channel name=V-PV quantity=voltage front_end=direct")),
                  "line 3: channel name 'V-PV' must be 1-32 of a-z, 0-9, _");
  EXPECT_CONTAINS(error_of(with_line(3, "# channel quantity=voltage front_end=direct")),
                  "line 3: missing 'name='");
  EXPECT_CONTAINS(
      error_of(with_line(3, "# channel name=v_pv quantity=voltage front_end=divider r_top_ohm=1")),
      "line 3: missing 'r_bottom_ohm='");
  EXPECT_CONTAINS(
      error_of(with_line(3,
                         "# channel name=v_pv quantity=voltage front_end=divider r_top_ohm=1 "
                         "r_bottom_ohm=0")),
      "line 3: channel 'v_pv': front-end values must be positive");
  EXPECT_CONTAINS(
      error_of(with_line(3,
                         "# channel name=v_pv quantity=voltage front_end=divider r_top_ohm=1 "
                         "r_bottom_ohm=1k")),
      "line 3: 'r_bottom_ohm' must be a finite number, got '1k'");
  EXPECT_CONTAINS(
      error_of(with_line(3, "# channel name=v_pv quantity=voltage front_end=direct min_v=nan")),
      "line 3: 'min_v' must be a finite number, got 'nan'");
  EXPECT_CONTAINS(
      error_of(with_line(3,
                         "# channel name=v_pv quantity=voltage front_end=direct min_v=5 "
                         "max_v=1")),
      "line 3: channel 'v_pv': min above max");
  EXPECT_CONTAINS(error_of(with_line(3, "# channel name=v_pv name=v2 quantity=voltage")),
                  "line 3: key 'name' given twice");
  EXPECT_CONTAINS(error_of(with_line(3, "# channel name=v_pv quantity voltage")),
                  "line 3: expected key=value, got 'quantity'");
}

TEST(AdcTraceErrors, BadAdcLine) {
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=17 vref_v=3.3")),
                  "line 2: bits must be an integer from 1 to 16");
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=11.5 vref_v=3.3")),
                  "line 2: bits must be an integer from 1 to 16");
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=12 vref_v=0")),
                  "line 2: vref_v must be above 0 V");
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=12")), "line 2: missing 'vref_v='");
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=12 vref_v=3.3 margin_counts=2048")),
                  "line 2: margin_counts must be a whole number that leaves usable counts");
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=12 vref_v=3.3 margin_counts=-1")),
                  "line 2: margin_counts must be a whole number");
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=12 vref_v=inf")),
                  "line 2: 'vref_v' must be a finite number, got 'inf'");
}

TEST(AdcTraceErrors, UnknownTimeUnit) {
  const std::string e = error_of(with_line(7, "t_min,v_pv,i_pv"));
  EXPECT_CONTAINS(e, "line 7:");
  EXPECT_CONTAINS(e, "first column 't_min' must be time in t_us, t_ms or t_s");
}

TEST(AdcTraceErrors, HeaderColumnsDoNotMatchChannels) {
  EXPECT_CONTAINS(error_of(with_line(7, "t_ms,v_pv")),
                  "line 7: header has 1 channel columns, 2 channels declared");
  EXPECT_CONTAINS(error_of(with_line(7, "t_ms,v_pv,i_bat")),
                  "line 7: column 'i_bat' is not a declared channel");
  EXPECT_CONTAINS(error_of(with_line(7, "t_ms,v_pv,v_pv")), "line 7: column 'v_pv' appears twice");
}

TEST(AdcTraceErrors, HeaderWithoutChannels) {
  const std::string e = error_of(join({kLines[0], kLines[1], "t_us,v_pv", "0,1"}));
  EXPECT_CONTAINS(e, "line 3: no '# channel' declared before the column header");
}

TEST(AdcTraceErrors, RowColumnCountMismatch) {
  EXPECT_CONTAINS(error_of(with_rows({"20,2002"})), "line 10: expected 3 values, got 2");
  EXPECT_CONTAINS(error_of(with_rows({"20,2002,900,1"})), "line 10: expected 3 values, got 4");
  EXPECT_CONTAINS(error_of(with_rows({"20,2002,"})), "line 10: column 3: '' is not an ADC count");
}

TEST(AdcTraceErrors, NonIntegerCount) {
  for (const char* bad : {"2002.5", "-3", "0x10", "12a", "1e3", "+5"}) {
    SCOPED_TRACE(bad);
    const std::string e = error_of(with_rows({std::string("20,") + bad + ",900"}));
    EXPECT_CONTAINS(e, "line 10:");
    EXPECT_CONTAINS(e, std::string("column 2: '") + bad + "' is not an ADC count (a whole number)");
  }
}

TEST(AdcTraceErrors, CountAboveAdcRange) {
  EXPECT_CONTAINS(error_of(with_rows({"20,900,4096"})),
                  "line 10: column 3: count 4096 exceeds the 12-bit ADC's 4095");
  EXPECT_CONTAINS(error_of(with_rows({"20,99999999999999999999,1"})),
                  "line 10: column 2: '99999999999999999999' is not an ADC count");
  EXPECT_TRUE(parse_adc_trace(with_rows({"20,4095,4095"})).trace.has_value());
}

TEST(AdcTraceErrors, TimeNotIncreasing) {
  std::string e = error_of(with_rows({"10.5,2002,901"}));
  EXPECT_CONTAINS(e, "line 10:");
  EXPECT_CONTAINS(e, "time 10500 us is not after the previous row's 10500 us");
  e = error_of(with_rows({"5,2002,901"}));
  EXPECT_CONTAINS(e, "line 10: time 5000 us is not after the previous row's 10500 us");
  // Distinct in the file, equal once rounded to microseconds.
  e = error_of(with_rows({"10.5001,2002,901"}));
  EXPECT_CONTAINS(e, "line 10: time 10500 us is not after");
}

TEST(AdcTraceErrors, NegativeOrBadTime) {
  EXPECT_CONTAINS(error_of(with_line(8, "-1,2000,900")),
                  "line 8: time '-1' is not a non-negative number");
  EXPECT_CONTAINS(error_of(with_line(8, "inf,2000,900")),
                  "line 8: time 'inf' is not a non-negative number");
  EXPECT_CONTAINS(error_of(with_line(8, "abc,2000,900")),
                  "line 8: time 'abc' is not a non-negative number");
  EXPECT_CONTAINS(error_of(with_rows({"1e300,1,1"})), "line 10: time '1e300' is too large");
}

TEST(AdcTraceErrors, DuplicateChannel) {
  std::vector<std::string> lines = kLines;
  lines.insert(lines.begin() + 4,
               "# channel name=v_pv quantity=voltage front_end=direct");  // line 5
  const std::string e = error_of(join(lines));
  EXPECT_CONTAINS(e, "line 5:");
  EXPECT_CONTAINS(e, "channel 'v_pv' declared twice");
}

TEST(AdcTraceErrors, PortWithCurrentChannelAsVoltage) {
  const std::string e =
      error_of(with_line(5, "# port name=pv voltage=i_pv current=i_pv current_positive=out_of"));
  EXPECT_CONTAINS(e, "line 5:");
  EXPECT_CONTAINS(e, "port 'pv': voltage='i_pv' is not a voltage channel");
}

TEST(AdcTraceErrors, BadPorts) {
  EXPECT_CONTAINS(
      error_of(with_line(5, "# port name=pv voltage=v_pv current=v_pv current_positive=into")),
      "line 5: port 'pv': current='v_pv' is not a current channel");
  EXPECT_CONTAINS(
      error_of(with_line(5, "# port name=pv voltage=v_bat current=i_pv current_positive=into")),
      "line 5: port 'pv': voltage='v_bat' is not a voltage channel");
  EXPECT_CONTAINS(
      error_of(with_line(5, "# port name=pv voltage=v_pv current=i_pv current_positive=in")),
      "line 5: current_positive must be 'into' or 'out_of' (the element), got 'in'");
  EXPECT_CONTAINS(error_of(with_line(5, "# port name=pv voltage=v_pv current=i_pv")),
                  "line 5: missing 'current_positive='");
}

TEST(AdcTraceErrors, CalibrationWithEqualRawPoints) {
  const std::string e =
      error_of(with_line(6, "# calibration channel=v_pv raw1=10 true1=10.1 raw2=10 true2=50.3"));
  EXPECT_CONTAINS(e, "line 6:");
  EXPECT_CONTAINS(e, "calibration of 'v_pv': the two raw points must differ");
}

TEST(AdcTraceErrors, CalibrationOfUnknownChannel) {
  const std::string e =
      error_of(with_line(6, "# calibration channel=v_bat raw1=10 true1=10 raw2=50 true2=50"));
  EXPECT_CONTAINS(e, "line 6: calibration names unknown channel 'v_bat'");
}

TEST(AdcTraceErrors, OverLongLine) {
  const std::string long_comment = "# " + std::string(kMaxTraceLineBytes, 'x');
  std::string e = error_of(with_line(6, long_comment));
  EXPECT_CONTAINS(e, "line 6:");
  EXPECT_CONTAINS(e, "line longer than 4096 bytes");
  // Exactly the limit is fine (a comment line of 4096 bytes).
  EXPECT_TRUE(parse_adc_trace(with_line(6, "# " + std::string(kMaxTraceLineBytes - 2, 'x')))
                  .trace.has_value());
  // Also the last line, without a newline.
  e = error_of(join(kLines) + std::string(kMaxTraceLineBytes + 1, '1'));
  EXPECT_CONTAINS(e, "line 10: line longer than 4096 bytes");
}

TEST(AdcTraceErrors, EmptyFile) {
  EXPECT_CONTAINS(error_of(""), "line 1: empty file");
  EXPECT_CONTAINS(error_of("\n\n  \r\n\t\n"), "line 1: empty file");
}

TEST(AdcTraceErrors, NoHeader) {
  std::vector<std::string> lines(kLines.begin(), kLines.begin() + 6);
  EXPECT_CONTAINS(error_of(join(lines)), "no column header (t_us,<channel>,...) found");
  EXPECT_CONTAINS(error_of("# powerstack-adc-trace 1"), "line 1: no column header");
}

TEST(AdcTraceErrors, NoRows) {
  std::vector<std::string> lines(kLines.begin(), kLines.begin() + 7);
  lines.emplace_back("# only a comment after the header");
  const std::string e = error_of(join(lines));
  EXPECT_CONTAINS(e, "no sample rows");
  EXPECT_CONTAINS(e, "line ");
}

TEST(AdcTraceErrors, TooManyChannels) {
  std::vector<std::string> lines(kLines.begin(), kLines.begin() + 2);
  for (std::size_t k = 0; k <= kMaxTraceChannels; ++k) {
    lines.push_back("# channel name=c" + std::to_string(k) + " quantity=voltage front_end=direct");
  }
  const std::string e = error_of(join(lines));
  EXPECT_CONTAINS(e, "line " + std::to_string(3 + kMaxTraceChannels) + ": more than 32 channels");
}

TEST(AdcTraceErrors, ErrorsQuoteInputPrintably) {
  const std::string e = error_of(with_line(8, std::string("\x01\x7f") + std::string(100, 'z')));
  EXPECT_CONTAINS(e, "line 8: expected 3 values, got 1");
  const std::string t = error_of(with_line(8, std::string("\x01\x7f") + ",1,2"));
  EXPECT_CONTAINS(t, "time '\?\?' is not a non-negative number");
  const std::string q = error_of(with_line(7, "t_x" + std::string(100, 'y') + ",v_pv,i_pv"));
  EXPECT_CONTAINS(q, "...'");  // truncated after 64 characters
  EXPECT_LT(q.size(), 200U);
}

TEST(AdcTraceFile, MissingFileIsReportedAsSuch) {
  const TraceParseResult r = read_adc_trace_file("/nonexistent-dir/trace.csv");
  EXPECT_FALSE(r.trace.has_value());
  EXPECT_EQ(r.error, "cannot open '/nonexistent-dir/trace.csv'");
}

// Found by fuzzing and review: each of these used to pass silently or misbehave.
TEST(AdcTraceErrors, DirectiveAfterHeaderIsRefused) {
  EXPECT_CONTAINS(error_of(with_rows({"# calibration channel=v_pv raw1=1 true1=1 raw2=2 true2=3"})),
                  "line 10: '# calibration' after the column header");
  EXPECT_CONTAINS(error_of(with_rows({"# channel name=zzz quantity=bogus"})),
                  "line 10: '# channel' after the column header");
  // A plain comment between rows is still fine.
  EXPECT_TRUE(parse_adc_trace(with_rows({"# a note", "20,2002,906"})).trace.has_value());
}

TEST(AdcTraceErrors, DuplicatePortAndCalibration) {
  std::vector<std::string> lines = kLines;
  lines.insert(lines.begin() + 5, "# port name=pv voltage=v_pv current=i_pv current_positive=into");
  EXPECT_CONTAINS(error_of(join(lines)), "line 6: port 'pv' declared twice");
  lines = kLines;
  lines.insert(lines.begin() + 6, "# calibration channel=v_pv raw1=1 true1=1 raw2=2 true2=3");
  EXPECT_CONTAINS(error_of(join(lines)), "line 7: second calibration of 'v_pv'");
}

TEST(AdcTraceErrors, KeysAreEchoedPrintably) {
  const std::string e = error_of(with_line(2, "# adc bits=12 vref_v=3.3 \x1b[31mred=1"));
  EXPECT_EQ(e.find('\x1b'), std::string::npos) << e;
}

TEST(AdcTraceErrors, CalibrationThatOverflowsIsRefused) {
  const std::string text =
      "# powerstack-adc-trace 1\n# adc bits=2 vref_v=100\n"
      "# channel name=v quantity=voltage front_end=direct\n"
      "# calibration channel=v raw1=0 true1=0 raw2=1e-20 true2=1e18\n"
      "t_us,v\n0,1\n1,2\n";
  EXPECT_CONTAINS(error_of(text), "line 3: channel 'v': calibration makes the conversion overflow");
}

TEST(AdcTraceErrors, MarginThatLeavesNoCountIsRefused) {
  EXPECT_CONTAINS(error_of(with_line(2, "# adc bits=12 vref_v=3.3 margin_counts=2047")),
                  "line 2: margin_counts must be a whole number that leaves usable counts");
  EXPECT_TRUE(parse_adc_trace(with_line(2, "# adc bits=12 vref_v=3.3 margin_counts=2046"))
                  .trace.has_value());
}

}  // namespace
}  // namespace powerstack::app
