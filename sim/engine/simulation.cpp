#include "sim/engine/simulation.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

bool Simulation::valid(const SimulationConfig& c) {
  return std::isfinite(c.plant_step_s) && c.plant_step_s > 0.0 && std::isfinite(c.duration_s) &&
         c.duration_s > 0.0 && std::isfinite(c.controller_period_s) &&
         c.controller_period_s >= c.plant_step_s && c.duration_s / c.plant_step_s < 1e13;
}

Simulation::Simulation(Plant& plant, const SimulationConfig& config)
    : plant_(plant), config_(config) {}

std::uint64_t Simulation::steps_for(double t_s) const {
  if (!(t_s > 0.0)) {
    return 0;
  }
  // Round to the nearest step first so 0.1 s at 1 ms is exactly step 100, then take the
  // first step at or after t_s.
  const double exact = t_s / config_.plant_step_s;
  const double nearest = std::round(exact);
  return static_cast<std::uint64_t>(
      std::fabs(exact - nearest) < 1e-9 * std::max(1.0, exact) ? nearest : std::ceil(exact));
}

void Simulation::schedule(double t_s, std::string name, std::function<void(Plant&)> action) {
  events_.push_back({steps_for(t_s), static_cast<std::uint64_t>(events_.size()), std::move(name),
                     t_s, std::move(action)});
}

void Simulation::add_probe(const std::string& signal, double period_s) {
  probes_.push_back({signal, period_s, {}, {}});
  probe_every_.push_back(std::max<std::uint64_t>(1, steps_for(period_s)));
}

void Simulation::run(const std::function<void(double)>& progress) {
  std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
    return a.step != b.step ? a.step < b.step : a.order < b.order;
  });
  const std::uint64_t total = steps_for(config_.duration_s);
  const std::uint64_t controller_every =
      std::max<std::uint64_t>(1, steps_for(config_.controller_period_s));
  const double controller_dt_s = static_cast<double>(controller_every) * config_.plant_step_s;
  const std::uint64_t progress_every = std::max<std::uint64_t>(1, total / 100);
  std::size_t next_event = 0;
  for (std::uint64_t k = 0; k <= total; ++k) {
    const double t_s = static_cast<double>(k) * config_.plant_step_s;
    while (next_event < events_.size() && events_[next_event].step <= k) {
      Event& e = events_[next_event++];
      e.action(plant_);
      fired_.push_back({t_s, e.name});
    }
    for (std::size_t p = 0; p < probes_.size(); ++p) {
      if (k % probe_every_[p] == 0) {
        probes_[p].t_s.push_back(t_s);
        probes_[p].values.push_back(plant_.signal(probes_[p].signal));
      }
    }
    if (k == total) {
      break;  // the final instant is recorded, not stepped past
    }
    if (controller_ && k % controller_every == 0) {
      plant_.actuate(controller_(plant_.measure(), controller_dt_s));
      ++controller_calls_;
    }
    plant_.step(t_s, config_.plant_step_s);
    ++steps_done_;
    if (progress && (k + 1) % progress_every == 0) {
      progress(static_cast<double>(k + 1) / static_cast<double>(total));
    }
  }
}

}  // namespace powerstack::sim
