#include "sim/engine/random.hpp"

#include <cmath>
#include <numbers>

namespace powerstack::sim {

double SimRandom::uniform() {
  return static_cast<double>(gen_() >> 11U) * 0x1.0p-53;
}

double SimRandom::normal() {
  double u1 = uniform();
  while (u1 <= 0.0) {
    u1 = uniform();
  }
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * uniform());
}

SimRandom SimRandom::fork(std::uint64_t stream) {
  // Mix the stream number into a fresh seed so forks of neighbouring streams are unrelated.
  std::uint64_t z = gen_() + 0x9E3779B97F4A7C15ULL * (stream + 1U);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return SimRandom(z ^ (z >> 31U));
}

}  // namespace powerstack::sim
