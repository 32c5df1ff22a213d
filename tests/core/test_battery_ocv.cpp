#include <initializer_list>

#include "harness/check.hpp"
#include "powerstack/battery/cell_model.hpp"
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
