// Estimators against closed forms and against an exact 1-RC test cell.
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include "harness/check.hpp"
#include "powerstack/battery/combined_soc.hpp"
#include "powerstack/battery/coulomb_soc.hpp"
#include "powerstack/battery/ekf_soc.hpp"
#include "powerstack/battery/runtime.hpp"
#include "powerstack/battery/voltage_soc.hpp"

using namespace powerstack::battery;

namespace {

// Exact 1-RC cell (double precision) for the tests: capacity, R0, RC pair and an OCV offset
// may differ from the estimator's nominal model.
struct TestCell {
  double soc;
  double capacity_ah;
  double r0_ohm;
  double r1_ohm;
  double c1_f;
  double offset_v = 0.0;
  double v1_v = 0.0;
  void step(double i_a, double dt_s) {
    soc += i_a * dt_s / 3600.0 / capacity_ah;
    const double a = std::exp(-dt_s / (r1_ohm * c1_f));
    v1_v = a * v1_v + r1_ohm * (1.0 - a) * i_a;
  }
  [[nodiscard]] float v(double i_a) const {
    const auto& t = ocv_table(Chemistry::kLiIon);
    return static_cast<float>(static_cast<double>(ocv_at_v(t, static_cast<float>(soc), 25.0f)) +
                              offset_v + v1_v + i_a * r0_ohm);
  }
};

TestCell cell_like(const CellModel& m, double soc) {
  return TestCell{soc, static_cast<double>(m.capacity_ah), static_cast<double>(m.r0_ohm),
                  static_cast<double>(m.r1_ohm), static_cast<double>(m.c1_f)};
}

// Pulsed discharge: 10 min at i_load_a, 5 min rest, repeated; dt 1 s.
double pulsed_current(int t_s, double i_load_a) {
  return (t_s % 900) < 600 ? -i_load_a : 0.0;
}

}  // namespace

PS_TEST(voltage_only_inverts_the_table_and_compensates_ir) {
  CellModel m = typical_lipo(2.0f);
  m.r1_ohm = 0.0f;  // no RC drop: the closed form is v = OCV - |i| R0
  VoltageSocEstimator known(m, {});
  VoltageSocEstimator unknown(m, {});
  const float v = ocv_at_v(ocv_table(Chemistry::kLiIon), 0.65f, 25.0f) - 0.5f * m.r0_ohm;
  known.update(0.0f, v, -0.5f, 25.0f);
  unknown.update(0.0f, v, std::numeric_limits<float>::quiet_NaN(), 25.0f);
  PS_CHECK_NEAR(known.estimate().soc, 0.65, 1e-4);
  // Without the current the IR drop reads as lost charge: 0.5 A x 50 mOhm / 0.5 V per unit.
  PS_CHECK_NEAR(unknown.estimate().soc, 0.65 - 0.5 * 0.05 / 0.5, 1e-4);
  // Sensor sigma 10 mV over the 0.5 V/unit slope: 2 %.
  PS_CHECK_NEAR(known.estimate().sigma, 0.01 / 0.5, 1e-5);
}

PS_TEST(voltage_only_filter_follows_its_time_constant) {
  const CellModel m = typical_lipo(2.0f);
  VoltageSocEstimator e(m, {100.0f, 0.01f});
  const auto& t = ocv_table(Chemistry::kLiIon);
  e.update(0.0f, ocv_at_v(t, 0.52f, 25.0f), 0.0f, 25.0f);
  for (int k = 0; k < 100; ++k) {
    e.update(1.0f, ocv_at_v(t, 0.58f, 25.0f), 0.0f, 25.0f);
  }
  // One time constant: 1 - 1/e of the step.
  PS_CHECK_NEAR(e.estimate().soc, 0.52 + 0.06 * (1.0 - std::exp(-1.0)), 1e-4);
}

PS_TEST(coulomb_counting_matches_charge_over_capacity) {
  const CellModel m = typical_lipo(2.0f);
  CoulombSocEstimator::Config c;
  c.sigma_offset_a = 2e-3f;
  c.sigma_gain = 0.01f;
  CoulombSocEstimator cc(m, c, {0.9f, 0.01f});
  for (std::uint64_t t = 0; t <= 1800; ++t) {
    PS_CHECK(cc.update(t * 1000000U, 3.8f, -1.0f) == powerstack::Status::kOk);
  }
  // 1 A for 0.5 h from 2 Ah: -0.25.
  PS_CHECK_NEAR(cc.estimate().soc, 0.65, 1e-5);
  const double drift = 2e-3 * 0.5 / 2.0;
  const double gain = 0.01 * 0.5 / 2.0;
  PS_CHECK_NEAR(cc.estimate().sigma, std::sqrt(1e-4 + drift * drift + gain * gain), 1e-5);
  // Charging applies the coulombic efficiency.
  cc.rebase({0.5f, 0.0f});
  for (std::uint64_t t = 1801; t <= 3601; ++t) {
    (void)cc.update(t * 1000000U, 3.8f, 1.0f);
  }
  PS_CHECK_NEAR(cc.estimate().soc, 0.5 + 0.997 * 0.25, 1e-5);
}

PS_TEST(combined_corrects_a_current_offset_and_learns_capacity) {
  const CellModel m = typical_lipo(2.0f);
  TestCell cell = cell_like(m, 0.98);
  cell.capacity_ah = 1.7;  // 85 % of nominal
  cell.offset_v = 0.008;   // and the curve 8 mV above the table
  CombinedSocEstimator est(m, {});
  CoulombSocEstimator plain(m, {}, {0.98f, 0.01f});
  double max_err = 0.0;
  double plain_err = 0.0;
  for (int t = 0; cell.soc > 0.03; ++t) {
    const double i = pulsed_current(t, 0.8);
    cell.step(i, 1.0);
    const float i_meas = static_cast<float>(i) - 0.004f;  // 4 mA sensor offset
    const auto t_us = static_cast<std::uint64_t>(t) * 1000000U;
    est.update(t_us, cell.v(i), i_meas, 25.0f);
    (void)plain.update(t_us, cell.v(i), i_meas);
    max_err = std::fmax(max_err, std::fabs(static_cast<double>(est.estimate().soc) - cell.soc));
    plain_err = std::fabs(static_cast<double>(plain.estimate().soc) - cell.soc);
  }
  // Counting alone with a 15 % capacity error ends ~15 % off; the combined one far less.
  PS_CHECK(plain_err > 0.1);
  PS_CHECK(max_err < 0.05);
  PS_CHECK_NEAR(est.capacity_ah(), 1.7, 0.1);
  // The offset is only partly separable from the capacity and current errors here (3 mV of
  // the 8 mV are found): the sign and a real part of it, not the whole.
  PS_CHECK(est.ocv_offset_v() > 0.002f && est.ocv_offset_v() < 0.012f);
}

PS_TEST(ekf_tracks_a_nominal_cell_and_finds_capacity_and_offset) {
  const CellModel m = typical_lipo(2.0f);
  for (const double cap_ah : {2.0, 1.6}) {
    TestCell cell = cell_like(m, 0.97);
    cell.capacity_ah = cap_ah;
    cell.offset_v = cap_ah < 2.0 ? 0.008 : 0.0;
    EkfSocEstimator ekf(m, {});
    double sq = 0.0;
    int n = 0;
    for (int t = 0; cell.soc > 0.03; ++t) {
      const double i = pulsed_current(t, 0.8);
      cell.step(i, 1.0);
      ekf.update(static_cast<std::uint64_t>(t) * 1000000U, cell.v(i), static_cast<float>(i), 25.0f);
      const double e = static_cast<double>(ekf.estimate().soc) - cell.soc;
      sq += e * e;
      ++n;
    }
    const double rms = std::sqrt(sq / n);
    PS_CHECK(rms < (cap_ah < 2.0 ? 0.03 : 0.01));
    if (cap_ah < 2.0) {
      PS_CHECK_NEAR(ekf.capacity_ah(), cap_ah, 0.1);
    }
  }
}

PS_TEST(runtime_is_charge_over_average_current) {
  RuntimeEstimator r(600.0f);
  r.update(0.0f, -0.5f);
  for (int k = 0; k < 100; ++k) {
    r.update(1.0f, -0.5f);
  }
  // 50 % of 2 Ah at 0.5 A: 2 h.
  PS_CHECK_NEAR(r.remaining_s(0.5f, 2.0f), 7200.0, 0.5);
  RuntimeEstimator charging;
  charging.update(0.0f, 0.3f);
  PS_CHECK(std::isinf(charging.remaining_s(0.5f, 2.0f)));
}
