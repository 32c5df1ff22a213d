#include "powerstack/balancer/cell_measurement.hpp"

namespace powerstack {
namespace balancer {

uint16_t cell_mv_from_counts(uint16_t counts, int8_t c_mv) {
  if (counts > kAdcMaxCounts) {
    counts = kAdcMaxCounts;
  }
  const auto reference = static_cast<uint32_t>(static_cast<int16_t>(kReferenceMv) + c_mv);
  return static_cast<uint16_t>((counts * reference + 256U) / 512U);
}

uint16_t CellVoltageFilter::update(uint16_t mv) {
  if (mv > kMaxCellMv) {
    mv = kMaxCellMv;
  }
  const auto x16 = static_cast<uint16_t>(mv << 4U);
  if (!primed_) {
    y16_ = x16;
    primed_ = true;
  } else {
    // Round to nearest: (a + 1) / 3 == round(a / 3) for integers (no ties with 3).
    y16_ = static_cast<uint16_t>((2UL * y16_ + x16 + 1UL) / 3UL);
  }
  return value_mv();
}

}  // namespace balancer
}  // namespace powerstack
