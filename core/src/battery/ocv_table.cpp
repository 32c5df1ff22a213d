#include "powerstack/battery/ocv_table.hpp"

#include <cmath>

namespace powerstack::battery {

namespace {

constexpr float kSoc10[] = {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f};
// Hobby table (batteries.md), listed there from 100 % down; ascending here.
constexpr float kLiIonOcv[] = {3.30f, 3.68f, 3.74f, 3.77f, 3.79f, 3.82f,
                               3.87f, 3.92f, 3.98f, 4.06f, 4.20f};

constexpr float kSoc5[] = {0.00f, 0.05f, 0.10f, 0.15f, 0.20f, 0.25f, 0.30f,
                           0.35f, 0.40f, 0.45f, 0.50f, 0.55f, 0.60f, 0.65f,
                           0.70f, 0.75f, 0.80f, 0.85f, 0.90f, 0.95f, 1.00f};
// LibreSolar bms-firmware ocv_lfp (batteries.md), ascending here.
constexpr float kLfpOcv[] = {2.833f, 3.132f, 3.177f, 3.190f, 3.213f, 3.226f, 3.240f,
                             3.252f, 3.262f, 3.264f, 3.265f, 3.268f, 3.271f, 3.275f,
                             3.283f, 3.296f, 3.304f, 3.308f, 3.309f, 3.314f, 3.392f};

constexpr OcvTable kLiIon{kSoc10,
                          kLiIonOcv,
                          sizeof(kLiIonOcv) / sizeof(float),
                          -0.1e-3f,
                          25.0f,
                          "Li-ion/Li-Po hobby table, 10 % steps (batteries.md); "
                          "k_T -0.1 mV/K ASSUMPTION"};
constexpr OcvTable kLfp{kSoc5,
                        kLfpOcv,
                        sizeof(kLfpOcv) / sizeof(float),
                        -0.05e-3f,
                        25.0f,
                        "LibreSolar bms-firmware ocv_lfp, 5 % steps (batteries.md); "
                        "k_T -0.05 mV/K ASSUMPTION"};

// Index j of the segment [j, j+1] holding x in an ascending array (clamped to the ends).
std::size_t segment(const float* xs, std::size_t n, float x) {
  std::size_t j = 0;
  while (j + 2 < n && x >= xs[j + 1]) {
    ++j;
  }
  return j;
}

float interpolate(const float* xs, const float* ys, std::size_t n, float x) {
  if (x <= xs[0]) {
    return ys[0];
  }
  if (x >= xs[n - 1]) {
    return ys[n - 1];
  }
  const std::size_t j = segment(xs, n, x);
  return ys[j] + (x - xs[j]) * (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]);
}

}  // namespace

const OcvTable& ocv_table(Chemistry chemistry) {
  return chemistry == Chemistry::kLiFePO4 ? kLfp : kLiIon;
}

float ocv_at_v(const OcvTable& table, float soc, float t_c) {
  return interpolate(table.soc, table.ocv_v, table.size, soc) +
         table.temp_coeff_v_per_k * (t_c - table.t_ref_c);
}

float soc_at_ocv(const OcvTable& table, float v_v, float t_c) {
  if (std::isnan(v_v)) {
    return v_v;
  }
  const float v_ref = v_v - table.temp_coeff_v_per_k * (t_c - table.t_ref_c);
  return interpolate(table.ocv_v, table.soc, table.size, v_ref);
}

float ocv_slope_v(const OcvTable& table, float soc) {
  const std::size_t j = segment(table.soc, table.size, soc);
  return (table.ocv_v[j + 1] - table.ocv_v[j]) / (table.soc[j + 1] - table.soc[j]);
}

}  // namespace powerstack::battery
