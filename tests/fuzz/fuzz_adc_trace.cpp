// libFuzzer target: the ADC trace parser on arbitrary bytes, and the measurement runner on
// every trace it accepts. Beyond the sanitizers, it checks what a parsed trace promises
// (adc_trace.hpp) and that a refused one comes with a "line N: ..." message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "powerstack/app/adc_trace.hpp"
#include "powerstack/app/trace_measurement.hpp"

namespace {

constexpr std::size_t kMaxMeasuredRows = 5000;

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

void check_trace(const powerstack::app::AdcTrace& t) {
  check(t.adc.bits >= 1 && t.adc.bits <= 16);
  check(!t.channels.empty() && t.channels.size() <= powerstack::app::kMaxTraceChannels);
  check(t.rows() > 0);
  check(t.counts.size() == t.rows() * t.channels.size());
  const std::uint32_t max_counts = (std::uint32_t{1} << t.adc.bits) - 1U;
  for (const std::uint32_t c : t.counts) {
    check(c <= max_counts);
  }
  for (std::size_t k = 1; k < t.rows(); ++k) {
    check(t.t_us[k] > t.t_us[k - 1]);
  }
  for (const auto& p : t.ports) {
    check(p.voltage_channel < t.channels.size() && p.current_channel < t.channels.size());
    check(t.channels[p.voltage_channel].quantity == powerstack::app::Quantity::kVoltage);
    check(t.channels[p.current_channel].quantity == powerstack::app::Quantity::kCurrent);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const powerstack::app::TraceParseResult r = powerstack::app::parse_adc_trace(text);
  if (!r.trace) {
    check(r.error.rfind("line ", 0) == 0);
    return 0;
  }
  check(r.error.empty());
  check_trace(*r.trace);
  if (r.trace->rows() <= kMaxMeasuredRows) {
    const powerstack::app::TraceSummary s = powerstack::app::measure_trace(*r.trace, {});
    check(s.rows == r.trace->rows());
    check(s.channels.size() == r.trace->channels.size());
    check(s.ports.size() == r.trace->ports.size());
  }
  return 0;
}
