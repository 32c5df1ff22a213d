// The measurement layer on the example trace (tools/make_adc_trace) against what the
// generator put in: the battery's internal resistance and the converter's efficiency.
#include <gtest/gtest.h>

#include <cmath>

#include "powerstack/app/adc_trace.hpp"
#include "powerstack/app/trace_measurement.hpp"

namespace {

using powerstack::app::measure_trace;
using powerstack::app::read_adc_trace_file;

constexpr double kTrueBatteryROhm = 0.06;  // make_adc_trace's kRBatOhm
constexpr double kTrueEfficiency = 0.965;  // make_adc_trace's kEfficiency

const powerstack::app::TraceSummary& summary() {
  static const powerstack::app::TraceSummary s = [] {
    const auto parsed = read_adc_trace_file(POWERSTACK_EXAMPLE_TRACE);
    EXPECT_TRUE(parsed.trace.has_value()) << parsed.error;
    return measure_trace(*parsed.trace, {});
  }();
  return s;
}

TEST(ExampleTrace, BatteryResistanceWithinReportedConfidence) {
  const auto& battery = summary().ports.at(1);
  ASSERT_EQ(battery.name, "battery");
  ASSERT_TRUE(battery.r_ohm.has_value()) << battery.r_status;
  EXPECT_NEAR(*battery.r_ohm, kTrueBatteryROhm, 3.0 * static_cast<double>(battery.r_sigma_ohm));
  EXPECT_LT(battery.r_sigma_ohm, 0.005F);
}

TEST(ExampleTrace, EnergyBalanceMatchesConverterEfficiency) {
  const auto& pv = summary().ports.at(0);
  const auto& battery = summary().ports.at(1);
  ASSERT_GT(pv.energy_out_of_wh, 1.0);
  // Samples around the saturated battery-current readings are skipped on one port only, so
  // allow half a percent beyond the ADC noise.
  EXPECT_NEAR(battery.energy_into_wh / pv.energy_out_of_wh, kTrueEfficiency, 0.005);
  // Only sensor noise around zero current (during the open-circuit pauses) flows "into" it.
  EXPECT_LT(pv.energy_into_wh, 1e-3);
}

TEST(ExampleTrace, SaturatedInrushIsFlaggedNotUsed) {
  const auto& i_bat = summary().channels.at(3);
  ASSERT_EQ(i_bat.name, "i_bat");
  EXPECT_GT(i_bat.saturated, 0U);
  // The inrush was 40 A; had a saturated sample been used, max would sit at the sensor's limit.
  EXPECT_LT(i_bat.max, 12.0F);
  EXPECT_EQ(summary().ports.at(1).samples_skipped, i_bat.saturated);
}

}  // namespace
