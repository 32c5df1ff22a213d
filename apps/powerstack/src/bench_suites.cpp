#include "powerstack/app/bench_suites.hpp"

#include "powerstack/app/bench_mppt.hpp"

namespace powerstack::app {

nlohmann::json run_measurement_suite();
nlohmann::json run_mppt_suite();
nlohmann::json run_sim_speed_suite();
nlohmann::json run_soc_suite();
nlohmann::json run_balancer_suite();
nlohmann::json run_design_spice_suite();
nlohmann::json run_twin_load_suite();

const std::vector<BenchSuite>& bench_suites() {
  static const std::vector<BenchSuite> suites = {
      {"measurement", "accuracy of the measurement layer against closed-form references",
       run_measurement_suite},
      {"sim-speed",
       "plant steps per second and the wall time of a 24 h day (seed-000 plant, fixed duty)",
       run_sim_speed_suite},
      {"soc",
       "SOC error per estimator vs the twin's true SOC, 8 full 4 Ah discharges, 0-40 C, pulsed "
       "ESP32 load; cell spread capacity +-5 %, R0 +-20 %, OCV +-10 mV, one cell at 80 %",
       run_soc_suite},
      {"mppt", "EN 50530 MPPT efficiency (static, dynamic) and partial shading, every tracker",
       run_mppt_suite, format_mppt_table},
      {"balancer",
       "balancer chain scan time and pack balancing time against their wire/charge bounds",
       run_balancer_suite},
      {"design-vs-spice", "design time-domain check vs ngspice: agreement and wall-time ratio",
       run_design_spice_suite},
      {"twin-load",
       "200 loopback clients on the twin's API and SSE for 30 s (p99), RSS over an accelerated "
       "hour",
       run_twin_load_suite},
  };
  return suites;
}

}  // namespace powerstack::app
