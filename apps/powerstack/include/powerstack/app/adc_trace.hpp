// AdcTrace: a recording of raw ADC counts with the description of the analog front end that
// produced them, read from the text format of docs/adc-trace.md.
//
// parse_adc_trace never throws on bad input: it returns the first problem found, naming the
// line and what is wrong (unknown unit, count beyond the ADC's range, time going backwards...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "powerstack/dsp/adc_channel.hpp"
#include "powerstack/dsp/linear_transform.hpp"

namespace powerstack::app {

enum class Quantity { kVoltage, kCurrent };

struct TraceChannel {
  std::string name;
  Quantity quantity = Quantity::kVoltage;
  dsp::LinearTransform front_end;                   // pin volts -> V or A
  std::optional<dsp::LinearTransform> calibration;  // applied after the front end
  float min_valid = 0.0f;                           // plausible range, channel's unit
  float max_valid = 0.0f;
};

// A voltage/current pair measured at one element (a PV panel, a battery).
struct TracePort {
  std::string name;
  std::size_t voltage_channel = 0;  // index into AdcTrace::channels
  std::size_t current_channel = 0;
  // True: positive current flows out of the element (a generating PV panel). False: positive
  // current flows into it (a charging battery).
  bool current_out_of_element = false;
};

struct AdcTrace {
  dsp::AdcSpec adc;
  std::vector<TraceChannel> channels;
  std::vector<TracePort> ports;
  std::vector<std::uint64_t> t_us;    // one per sample row, strictly increasing
  std::vector<std::uint32_t> counts;  // row-major: counts[row * channels.size() + channel]
  [[nodiscard]] std::size_t rows() const { return t_us.size(); }
  [[nodiscard]] std::uint32_t count(std::size_t row, std::size_t channel) const {
    return counts[row * channels.size() + channel];
  }
};

struct TraceParseResult {
  std::optional<AdcTrace> trace;
  std::string error;  // "line N: ..." when trace is empty
};

// Limits that keep a hostile file from exhausting memory.
inline constexpr std::size_t kMaxTraceLineBytes = 4096;
inline constexpr std::size_t kMaxTraceChannels = 32;
inline constexpr std::size_t kMaxTraceRows = 20'000'000;

TraceParseResult parse_adc_trace(std::string_view text);
// Reads and parses a file; a missing or unreadable file is reported as such.
TraceParseResult read_adc_trace_file(const std::string& path);

}  // namespace powerstack::app
