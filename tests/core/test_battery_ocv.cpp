#include <cmath>
#include <initializer_list>

#include "harness/check.hpp"
#include "powerstack/battery/cell_model.hpp"
#include "powerstack/battery/divider_adc.hpp"
#include "powerstack/battery/ocv_table.hpp"

using powerstack::battery::Chemistry;
using powerstack::battery::ocv_at_v;
using powerstack::battery::ocv_slope_v;
using powerstack::battery::ocv_table;
using powerstack::battery::soc_at_ocv;

PS_TEST(ocv_tables_hit_the_published_points) {
  const auto& li = ocv_table(Chemistry::kLiIon);
  const auto& lfp = ocv_table(Chemistry::kLiFePO4);
  // batteries.md: Li-ion 50 % 3.82 V, 10 % 3.68 V, 100 % 4.20 V; LiFePO4 50 % 3.265 V.
  PS_CHECK_NEAR(ocv_at_v(li, 0.5f, 25.0f), 3.82, 1e-6);
  PS_CHECK_NEAR(ocv_at_v(li, 0.1f, 25.0f), 3.68, 1e-6);
  PS_CHECK_NEAR(ocv_at_v(li, 1.0f, 25.0f), 4.20, 1e-6);
  PS_CHECK_NEAR(ocv_at_v(lfp, 0.5f, 25.0f), 3.265, 1e-6);
  PS_CHECK_NEAR(ocv_at_v(lfp, 0.05f, 25.0f), 3.132, 1e-6);
  // Half way between 50 % and 60 %: the mean of 3.82 and 3.87.
  PS_CHECK_NEAR(ocv_at_v(li, 0.55f, 25.0f), 3.845, 1e-5);
  // Clamped outside the table.
  PS_CHECK_NEAR(ocv_at_v(li, 1.5f, 25.0f), 4.20, 1e-6);
  PS_CHECK_NEAR(soc_at_ocv(li, 4.5f, 25.0f), 1.0, 1e-6);
  PS_CHECK_NEAR(soc_at_ocv(li, 2.0f, 25.0f), 0.0, 1e-6);
}

PS_TEST(ocv_temperature_shift_and_inverse) {
  const auto& li = ocv_table(Chemistry::kLiIon);
  // -0.1 mV/K: 20 K above the reference lowers the OCV by 2 mV at every SOC.
  PS_CHECK_NEAR(ocv_at_v(li, 0.35f, 45.0f) - ocv_at_v(li, 0.35f, 25.0f), -0.002, 1e-5);
  for (int k = 0; k <= 100; ++k) {
    const float soc = static_cast<float>(k) / 100.0f;
    for (const float t_c : {0.0f, 25.0f, 40.0f}) {
      PS_CHECK_NEAR(soc_at_ocv(li, ocv_at_v(li, soc, t_c), t_c), soc, 2e-5);
    }
  }
  // Segment slope: (3.87 - 3.82) / 0.1 = 0.5 V per unit SOC; below 10 %: 3.8 V per unit.
  PS_CHECK_NEAR(ocv_slope_v(li, 0.55f), 0.5, 1e-4);
  PS_CHECK_NEAR(ocv_slope_v(li, 0.05f), 3.8, 1e-3);
  PS_CHECK_NEAR(ocv_slope_v(li, 1.0f), 1.4, 1e-3);
}

PS_TEST(r0_temperature_factor_matches_its_definition) {
  const auto m = powerstack::battery::typical_lipo(4.0f);
  PS_CHECK_NEAR(m.r0_ohm, 0.025, 1e-7);
  PS_CHECK_NEAR(powerstack::battery::r0_at_ohm(m, 25.0f), 0.025, 1e-6);
  PS_CHECK_NEAR(powerstack::battery::r0_at_ohm(m, 0.0f), 2.5 * 0.025, 1e-5);
  PS_CHECK(powerstack::battery::r0_at_ohm(m, 40.0f) < 0.025f);
}

PS_TEST(divider_adc_seed002_divider_is_outside_the_usable_range) {
  using powerstack::Status;
  using powerstack::battery::battery_voltage_v;
  using powerstack::battery::DividerAdcConfig;
  DividerAdcConfig seed;  // 10 k over 39 k, 11 dB
  // Ratio 39/49: 4.2 V -> 3343 mV and 3.4 V -> 2706 mV, both above the 2450 mV usable top.
  PS_CHECK_NEAR(powerstack::battery::divider_ratio(seed), 39.0 / 49.0, 1e-6);
  PS_CHECK(!powerstack::battery::divider_fits_range(seed, 3.4f, 4.2f, 0.01f));
  PS_CHECK(battery_voltage_v(seed, 2706.0f).status() == Status::kOutOfRange);
  // A 1:1 divider (e.g. 100 k / 100 k) puts 3.0-4.2 V at 1500-2100 mV: inside, with 1 %.
  DividerAdcConfig half{100e3f, 100e3f};
  PS_CHECK(powerstack::battery::divider_fits_range(half, 3.0f, 4.2f, 0.01f));
  const auto v = battery_voltage_v(half, 1900.0f);
  PS_CHECK(v.ok());
  PS_CHECK_NEAR(v.value(), 3.8, 1e-5);
  PS_CHECK(battery_voltage_v(half, 100.0f).status() == Status::kOutOfRange);
  PS_CHECK(battery_voltage_v(half, std::nanf("")).status() == Status::kInvalidArgument);
}

PS_TEST(divider_adc_two_point_calibration_removes_gain_and_offset) {
  using powerstack::battery::DividerAdcConfig;
  DividerAdcConfig c{100e3f, 100e3f};
  // The ADC reads 2 % high with a -25 mV offset: reading = 1.02 pin - 25.
  const auto reading = [](float v_bat) { return 1.02f * v_bat * 500.0f - 25.0f; };
  PS_CHECK(powerstack::battery::calibrate_two_point(c, 3.4f, reading(3.4f), 4.1f, reading(4.1f)) ==
           powerstack::Status::kOk);
  PS_CHECK_NEAR(powerstack::battery::battery_voltage_v(c, reading(3.77f)).value(), 3.77, 1e-4);
  PS_CHECK(powerstack::battery::calibrate_two_point(c, 3.4f, 1700.0f, 3.4f, 1700.0f) ==
           powerstack::Status::kInvalidArgument);
}
