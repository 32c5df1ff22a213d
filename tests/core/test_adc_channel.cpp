#include <cmath>
#include <initializer_list>

#include "harness/check.hpp"
#include "powerstack/dsp/adc_channel.hpp"
#include "powerstack/dsp/linear_transform.hpp"

using powerstack::dsp::AdcChannel;
using powerstack::dsp::AdcSpec;
using powerstack::dsp::LinearTransform;
using powerstack::dsp::ReadingStatus;

PS_TEST(divider_scales_pin_voltage_by_ratio) {
  const auto d = powerstack::dsp::divider(200000.0f, 10000.0f);
  PS_CHECK(d.ok());
  PS_CHECK_NEAR(d.value().apply(1.0f), 21.0, 1e-5);
}

PS_TEST(divider_rejects_bad_resistors) {
  PS_CHECK(!powerstack::dsp::divider(1000.0f, 0.0f).ok());
  PS_CHECK(!powerstack::dsp::divider(-1.0f, 1000.0f).ok());
  PS_CHECK(!powerstack::dsp::divider(NAN, 1000.0f).ok());
  PS_CHECK(powerstack::dsp::divider(0.0f, 1000.0f).ok());
}

PS_TEST(shunt_amplifier_inverts_offset_and_gain) {
  // 5 mOhm shunt, gain 50, 1.65 V midpoint: 10 A gives 1.65 + 10 * 0.25 = 4.15 V at the pin.
  const auto s = powerstack::dsp::shunt_amplifier(0.005f, 50.0f, 1.65f);
  PS_CHECK(s.ok());
  PS_CHECK_NEAR(s.value().apply(4.15f), 10.0, 1e-4);
  PS_CHECK_NEAR(s.value().apply(1.65f), 0.0, 1e-5);
  PS_CHECK_NEAR(s.value().apply(0.4f), -5.0, 1e-4);
  PS_CHECK(!powerstack::dsp::shunt_amplifier(0.0f, 50.0f, 1.65f).ok());
  PS_CHECK(!powerstack::dsp::shunt_amplifier(0.005f, -1.0f, 1.65f).ok());
}

PS_TEST(counts_convert_through_divider) {
  const AdcSpec adc{12, 3.3f, 0};
  const auto ch =
      AdcChannel::create(adc, powerstack::dsp::divider(100000.0f, 4700.0f).value(), 0.0f, 80.0f);
  PS_CHECK(ch.ok());
  // 2048 counts = 2048/4095 * 3.3 V at the pin, times (104700 / 4700).
  const double expected = 2048.0 / 4095.0 * 3.3 * (104700.0 / 4700.0);
  const auto r = ch.value().convert(2048);
  PS_CHECK(r.ok());
  PS_CHECK_NEAR(r.value, expected, expected * 1e-6);
}

PS_TEST(adc_limits_are_flagged_never_trusted) {
  const AdcSpec adc{12, 3.3f, 2};
  const auto ch = AdcChannel::create(adc, LinearTransform{}, -10.0f, 10.0f).value();
  for (unsigned c : {0U, 1U, 2U}) {
    const auto r = ch.convert(c);
    PS_CHECK(r.status == ReadingStatus::kSaturatedLow);
    PS_CHECK(std::isnan(r.value));
  }
  for (unsigned c : {4093U, 4094U, 4095U}) {
    const auto r = ch.convert(c);
    PS_CHECK(r.status == ReadingStatus::kSaturatedHigh);
    PS_CHECK(std::isnan(r.value));
  }
  PS_CHECK(ch.convert(3).ok());
  PS_CHECK(ch.convert(4092).ok());
  PS_CHECK(ch.convert(4096).status == ReadingStatus::kInvalidCount);
  PS_CHECK(std::isnan(ch.convert(70000).value));
}

PS_TEST(plausible_range_is_checked_after_conversion) {
  // A shunt channel whose plausible range is -2..+20 A.
  const auto fe = powerstack::dsp::shunt_amplifier(0.005f, 20.0f, 0.5f).value();
  const auto ch = AdcChannel::create(AdcSpec{12, 3.3f, 0}, fe, -2.0f, 20.0f).value();
  // 0.1 V at the pin is -4 A: converted but below range, value kept for diagnostics.
  const auto counts = static_cast<unsigned>(std::lround(0.1 / 3.3 * 4095.0));
  const auto r = ch.convert(counts);
  PS_CHECK(r.status == ReadingStatus::kBelowRange);
  PS_CHECK(!r.ok());
  PS_CHECK_NEAR(r.value, -4.0, 0.01);
  PS_CHECK(ch.span_low() < -4.0f);
  PS_CHECK(ch.span_high() > 20.0f);
}

PS_TEST(create_rejects_impossible_specs) {
  PS_CHECK(!AdcChannel::create(AdcSpec{0, 3.3f, 0}, LinearTransform{}, 0.0f, 1.0f).ok());
  PS_CHECK(!AdcChannel::create(AdcSpec{17, 3.3f, 0}, LinearTransform{}, 0.0f, 1.0f).ok());
  PS_CHECK(!AdcChannel::create(AdcSpec{12, 0.0f, 0}, LinearTransform{}, 0.0f, 1.0f).ok());
  PS_CHECK(!AdcChannel::create(AdcSpec{4, 3.3f, 8}, LinearTransform{}, 0.0f, 1.0f).ok());
  PS_CHECK(!AdcChannel::create(AdcSpec{12, 3.3f, 0}, LinearTransform{0.0f, 0.0f}, 0.0f, 1.0f).ok());
  PS_CHECK(!AdcChannel::create(AdcSpec{12, 3.3f, 0}, LinearTransform{}, 2.0f, 1.0f).ok());
}

PS_TEST(two_point_calibration_recovers_gain_and_offset_error) {
  // The true chain reads 3 % high with a 0.2 V offset; two reference points remove both.
  const LinearTransform error{1.03f, 0.2f};
  const auto cal =
      powerstack::dsp::two_point_calibration(error.apply(5.0f), 5.0f, error.apply(50.0f), 50.0f);
  PS_CHECK(cal.ok());
  for (float v : {0.0f, 12.5f, 26.7f, 52.6f}) {
    PS_CHECK_NEAR(cal.value().apply(error.apply(v)), v, 1e-4);
  }
  PS_CHECK(!powerstack::dsp::two_point_calibration(1.0f, 5.0f, 1.0f, 6.0f).ok());
  PS_CHECK(!powerstack::dsp::two_point_calibration(1.0f, 5.0f, 2.0f, 5.0f).ok());
  PS_CHECK(!powerstack::dsp::two_point_calibration(1.0f, NAN, 2.0f, 5.0f).ok());
}

PS_TEST(calibration_applies_on_top_of_nominal_chain) {
  auto ch =
      AdcChannel::create(AdcSpec{12, 3.3f, 0}, LinearTransform{10.0f, 0.0f}, 0.0f, 40.0f).value();
  const float nominal_1000 = ch.convert(1000).value;
  const float nominal_3000 = ch.convert(3000).value;
  // Reference meter said 8.0 V and 24.5 V at those counts.
  PS_CHECK(ch.set_calibration(
               powerstack::dsp::two_point_calibration(nominal_1000, 8.0f, nominal_3000, 24.5f)
                   .value()) == powerstack::Status::kOk);
  PS_CHECK_NEAR(ch.convert(1000).value, 8.0, 1e-4);
  PS_CHECK_NEAR(ch.convert(3000).value, 24.5, 1e-4);
  PS_CHECK_NEAR(ch.convert(2000).value, 16.25, 1e-4);
}

PS_TEST(calibration_that_overflows_is_refused) {
  auto ch =
      AdcChannel::create(AdcSpec{2, 100.0f, 0}, LinearTransform{}, -INFINITY, INFINITY).value();
  const float before = ch.convert(1).value;
  // raw 0 -> 0, raw 1e-20 -> 1e18: a gain of 1e38 that overflows float at the top count.
  const auto cal = powerstack::dsp::two_point_calibration(0.0f, 0.0f, 1e-20f, 1e18f);
  PS_CHECK(cal.ok());
  PS_CHECK(ch.set_calibration(cal.value()) == powerstack::Status::kInvalidArgument);
  PS_CHECK_NEAR(ch.convert(1).value, before, 0.0);
}

PS_TEST(margin_must_leave_a_usable_count) {
  // 12 bits: margin 2046 leaves count 2047 usable; 2047 leaves none.
  PS_CHECK(AdcChannel::create(AdcSpec{12, 3.3f, 2046}, LinearTransform{}, 0.0f, 5.0f).ok());
  PS_CHECK(!AdcChannel::create(AdcSpec{12, 3.3f, 2047}, LinearTransform{}, 0.0f, 5.0f).ok());
  const auto ch =
      AdcChannel::create(AdcSpec{12, 3.3f, 2046}, LinearTransform{}, 0.0f, 5.0f).value();
  PS_CHECK(ch.convert(2047).ok());
}

PS_TEST(front_end_that_overflows_at_full_scale_is_refused) {
  PS_CHECK(
      !AdcChannel::create(AdcSpec{12, 5.0f, 0}, LinearTransform{1e38f, 0.0f}, 0.0f, 1.0f).ok());
}
