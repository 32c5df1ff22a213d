#include "powerstack/battery/cell_model.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::battery {

namespace {
constexpr float kZeroCelsiusK = 273.15f;
constexpr float kRefK = 298.15f;
}  // namespace

CellModel typical_lipo(float capacity_ah) {
  CellModel m;
  m.chemistry = Chemistry::kLiIon;
  m.capacity_ah = capacity_ah;
  m.r0_ohm = 0.1f / capacity_ah;
  m.r1_ohm = 0.5f * m.r0_ohm;
  m.c1_f = 10.0f / m.r1_ohm;
  return m;
}

float r0_at_ohm(const CellModel& model, float t_c) {
  const float b_k = std::log(model.r0_factor_at_0c) / (1.0f / kZeroCelsiusK - 1.0f / kRefK);
  const float t_k = std::clamp(t_c, -40.0f, 85.0f) + kZeroCelsiusK;
  return model.r0_ohm * std::exp(b_k * (1.0f / t_k - 1.0f / kRefK));
}

}  // namespace powerstack::battery
