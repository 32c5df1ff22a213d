// SimRandom: the one source of randomness in the plant. Every random quantity (cell spread,
// sensor noise, weather) draws from a SimRandom seeded from the scenario, so the same input
// gives the same output bit for bit on every platform. std:: distributions are
// implementation-defined and are not used; mt19937_64 itself is fully specified.
#pragma once

#include <cstdint>
#include <random>

namespace powerstack::sim {

class SimRandom {
 public:
  explicit SimRandom(std::uint64_t seed) : gen_(seed) {}
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal (Box-Muller, one value per call).
  double normal();
  double normal(double mean, double sigma) { return mean + sigma * normal(); }
  // An independent stream for a sub-part (e.g. cell k of a string), derived from this one.
  SimRandom fork(std::uint64_t stream);

 private:
  std::mt19937_64 gen_;
};

}  // namespace powerstack::sim
