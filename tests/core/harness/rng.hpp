// Deterministic random numbers for core tests: the same seed gives the same sequence on every
// platform (std:: distributions are implementation-defined, so they are not used).
#pragma once

#include <cmath>
#include <cstdint>

namespace ps_test {

class Rng {
 public:
  // The seed is scrambled first: splitmix64 advances its state by a constant, so seeding
  // with seed * constant would make seeds s and s + 1 the same sequence shifted by one.
  explicit Rng(std::uint64_t seed) : state_(mix(seed + kGolden)) {}
  // splitmix64
  std::uint64_t next_u64() { return mix(state_ += kGolden); }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next_u64() >> 11U) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal by Box-Muller.
  double normal() {
    double u1 = uniform();
    while (u1 <= 0.0) {
      u1 = uniform();
    }
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  std::uint64_t state_;
};

}  // namespace ps_test
