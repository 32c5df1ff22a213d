#include "powerstack/app/bench_suites.hpp"

namespace powerstack::app {

nlohmann::json run_measurement_suite();

const std::vector<BenchSuite>& bench_suites() {
  static const std::vector<BenchSuite> suites = {
      {"measurement", "accuracy of the measurement layer against closed-form references",
       run_measurement_suite},
  };
  return suites;
}

}  // namespace powerstack::app
