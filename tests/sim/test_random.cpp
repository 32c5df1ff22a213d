#include <gtest/gtest.h>

#include <cmath>

#include "sim/engine/random.hpp"

using powerstack::sim::SimRandom;

TEST(SimRandom, SameSeedSameSequence) {
  SimRandom a(42);
  SimRandom b(42);
  for (int k = 0; k < 100; ++k) {
    EXPECT_EQ(a.normal(), b.normal());
  }
}

TEST(SimRandom, NormalHasUnitMoments) {
  SimRandom r(7);
  double sum = 0.0;
  double sum_sq = 0.0;
  constexpr int kN = 200000;
  for (int k = 0; k < kN; ++k) {
    const double x = r.normal();
    sum += x;
    sum_sq += x * x;
  }
  // Standard errors: 1/sqrt(N) = 0.0022 for the mean, sqrt(2/N) = 0.0032 for the variance.
  EXPECT_NEAR(sum / kN, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / kN, 1.0, 0.015);
}

TEST(SimRandom, ForksAreIndependentStreams) {
  SimRandom parent(1);
  SimRandom f1 = parent.fork(1);
  SimRandom f2 = parent.fork(2);
  int equal = 0;
  for (int k = 0; k < 1000; ++k) {
    equal += f1.uniform() == f2.uniform() ? 1 : 0;
  }
  EXPECT_EQ(equal, 0);
}
