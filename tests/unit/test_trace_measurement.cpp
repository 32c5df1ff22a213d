// measure_trace over small parsed traces whose summary can be worked out by hand.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "powerstack/app/adc_trace.hpp"
#include "powerstack/app/trace_measurement.hpp"

namespace powerstack::app {
namespace {

// 12-bit ADC at 4.095 V: 1 mV per count. v: direct (1 V per V); i: 1 ohm shunt, gain 1, no
// offset (1 A per V). So a count of 2000 is 2.000 V on v and 2.000 A on i.
std::string header(const char* current_positive) {
  return std::string(
             "# powerstack-adc-trace 1\n"
             "# adc bits=12 vref_v=4.095 margin_counts=2\n"
             "# channel name=v quantity=voltage front_end=direct min_v=0 max_v=4\n"
             "# channel name=i quantity=current front_end=shunt r_shunt_ohm=1 gain=1 "
             "offset_v=0 min_a=0 max_a=3.5\n"
             "# port name=p voltage=v current=i current_positive=") +
         current_positive + "\nt_ms,v,i\n";
}

AdcTrace parse_or_die(const std::string& text) {
  TraceParseResult r = parse_adc_trace(text);
  EXPECT_TRUE(r.trace.has_value()) << r.error;
  if (!r.trace) {
    return {};
  }
  return std::move(*r.trace);
}

TEST(TraceMeasurement, ConstantPowerIntoElement) {
  std::string text = header("into");
  for (int k = 0; k <= 100; ++k) {  // 101 rows, 10 ms apart: 1 s
    text += std::to_string(10 * k) + ",2000,1000\n";
  }
  const AdcTrace trace = parse_or_die(text);
  ASSERT_EQ(trace.rows(), 101U);
  const TraceSummary s = measure_trace(trace, {});

  EXPECT_EQ(s.rows, 101U);
  EXPECT_NEAR(s.duration_s, 1.0, 1e-12);
  EXPECT_NEAR(s.interval_min_ms, 10.0, 1e-9);
  EXPECT_NEAR(s.interval_mean_ms, 10.0, 1e-9);
  EXPECT_NEAR(s.interval_max_ms, 10.0, 1e-9);

  ASSERT_EQ(s.channels.size(), 2U);
  EXPECT_EQ(s.channels[0].name, "v");
  EXPECT_EQ(s.channels[0].unit, "V");
  EXPECT_EQ(s.channels[0].ok, 101U);
  EXPECT_EQ(s.channels[0].saturated, 0U);
  EXPECT_NEAR(s.channels[0].mean, 2.0f, 1e-4f);
  EXPECT_NEAR(s.channels[0].min, 2.0f, 1e-4f);
  EXPECT_NEAR(s.channels[0].max, 2.0f, 1e-4f);
  EXPECT_NEAR(s.channels[0].window_sigma, 0.0f, 1e-5f);
  EXPECT_EQ(s.channels[1].unit, "A");
  EXPECT_NEAR(s.channels[1].mean, 1.0f, 1e-4f);

  ASSERT_EQ(s.ports.size(), 1U);
  const PortSummary& p = s.ports[0];
  EXPECT_EQ(p.name, "p");
  EXPECT_FALSE(p.current_out_of_element);
  EXPECT_NEAR(p.energy_into_wh, 2.0 / 3600.0, 1e-7);  // 2 W for 1 s
  EXPECT_NEAR(p.energy_out_of_wh, 0.0, 1e-9);
  EXPECT_NEAR(p.charge_into_ah, 1.0 / 3600.0, 1e-7);  // 1 A for 1 s
  EXPECT_NEAR(p.charge_out_of_ah, 0.0, 1e-9);
  EXPECT_NEAR(p.integrated_s, 1.0, 1e-5);
  EXPECT_EQ(p.gaps, 0U);
  EXPECT_EQ(p.samples_skipped, 0U);
  EXPECT_FALSE(p.r_ohm.has_value());  // a constant current carries no information on R
}

TEST(TraceMeasurement, GeneratorWithCurrentStepsGivesEnergyOutAndResistance) {
  // A source U = 3.0 V - 0.1 ohm * I_out, with I_out alternating 1 A / 3 A every 10 ms.
  std::string text = header("out_of");
  for (int k = 0; k <= 100; ++k) {
    text += std::to_string(10 * k) + (k % 2 == 0 ? ",2900,1000\n" : ",2700,3000\n");
  }
  const TraceSummary s = measure_trace(parse_or_die(text), {});
  ASSERT_EQ(s.ports.size(), 1U);
  const PortSummary& p = s.ports[0];
  EXPECT_TRUE(p.current_out_of_element);
  // Every interval has the trapezoid of 2.9 W and 8.1 W: 5.5 W mean over 1 s; 2 A mean.
  EXPECT_NEAR(p.energy_out_of_wh, 5.5 / 3600.0, 1e-6);
  EXPECT_NEAR(p.energy_into_wh, 0.0, 1e-9);
  EXPECT_NEAR(p.charge_out_of_ah, 2.0 / 3600.0, 1e-6);
  EXPECT_NEAR(p.charge_into_ah, 0.0, 1e-9);
  ASSERT_TRUE(p.r_ohm.has_value()) << p.r_status;
  EXPECT_EQ(p.r_status, "ok");
  EXPECT_NEAR(*p.r_ohm, 0.1f, 1e-3f);
  EXPECT_EQ(p.r_pairs, 100U);
}

TEST(TraceMeasurement, SaturatedAndOutOfRangeSamplesAreCountedAndSkipped) {
  std::string text = header("into");
  text += "0,2000,1000\n";
  text += "10,2000,4095\n";  // i at full scale: saturated high
  text += "20,2000,1\n";     // i within the margin: saturated low
  text += "30,3999,1000\n";  // v 3.999 V is inside 0..4 V
  text += "40,4050,1000\n";  // v 4.05 V is above max_v=4 (but not saturated)
  text += "50,2000,1000\n";
  const TraceSummary s = measure_trace(parse_or_die(text), {});
  ASSERT_EQ(s.channels.size(), 2U);
  EXPECT_EQ(s.channels[0].ok, 5U);
  EXPECT_EQ(s.channels[0].out_of_range, 1U);
  EXPECT_EQ(s.channels[1].ok, 4U);
  EXPECT_EQ(s.channels[1].saturated, 2U);
  EXPECT_NEAR(s.channels[0].max, 3.999f, 1e-4f);
  ASSERT_EQ(s.ports.size(), 1U);
  EXPECT_EQ(s.ports[0].samples_skipped, 3U);
}

TEST(TraceMeasurement, LongIntervalsAreGapsNotIntegrated) {
  std::string text = header("into");
  text += "0,2000,1000\n";
  text += "500,2000,1000\n";   // 0.5 s: integrated
  text += "2500,2000,1000\n";  // 2 s: a gap with the default max_gap_s = 1
  text += "3000,2000,1000\n";  // 0.5 s: integrated
  const AdcTrace trace = parse_or_die(text);
  TraceSummary s = measure_trace(trace, {});
  ASSERT_EQ(s.ports.size(), 1U);
  EXPECT_EQ(s.ports[0].gaps, 1U);
  EXPECT_NEAR(s.ports[0].integrated_s, 1.0, 1e-5);
  EXPECT_NEAR(s.ports[0].charge_into_ah, 1.0 / 3600.0, 1e-7);
  EXPECT_NEAR(s.interval_min_ms, 500.0, 1e-9);
  EXPECT_NEAR(s.interval_max_ms, 2000.0, 1e-9);
  EXPECT_NEAR(s.duration_s, 3.0, 1e-12);

  MeasureOptions wide;
  wide.max_gap_s = 5.0f;
  s = measure_trace(trace, wide);
  EXPECT_EQ(s.ports[0].gaps, 0U);
  EXPECT_NEAR(s.ports[0].integrated_s, 3.0, 1e-5);
}

TEST(TraceMeasurement, SingleRow) {
  std::string text = header("into") + "0,2000,1000\n";
  const TraceSummary s = measure_trace(parse_or_die(text), {});
  EXPECT_EQ(s.rows, 1U);
  EXPECT_EQ(s.duration_s, 0.0);
  ASSERT_EQ(s.ports.size(), 1U);
  EXPECT_EQ(s.ports[0].integrated_s, 0.0);
  EXPECT_EQ(s.channels[0].ok, 1U);
}

}  // namespace
}  // namespace powerstack::app
