#include "powerstack/app/bench_suites.hpp"

namespace powerstack::app {

nlohmann::json run_measurement_suite();
nlohmann::json run_sim_speed_suite();
nlohmann::json run_balancer_suite();

const std::vector<BenchSuite>& bench_suites() {
  static const std::vector<BenchSuite> suites = {
      {"measurement", "accuracy of the measurement layer against closed-form references",
       run_measurement_suite},
      {"sim-speed",
       "plant steps per second and the wall time of a 24 h day (seed-000 plant, fixed duty)",
       run_sim_speed_suite},
      {"balancer",
       "balancer chain scan time and pack balancing time against their wire/charge bounds",
       run_balancer_suite},
  };
  return suites;
}

}  // namespace powerstack::app
