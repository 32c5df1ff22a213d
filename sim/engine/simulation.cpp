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

void Simulation::prepare() {
  if (prepared_) {
    return;
  }
  prepared_ = true;
  std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
    return a.step != b.step ? a.step < b.step : a.order < b.order;
  });
  controller_every_ = std::max<std::uint64_t>(1, steps_for(config_.controller_period_s));
  controller_dt_s_ = static_cast<double>(controller_every_) * config_.plant_step_s;
}

void Simulation::at_instant(std::uint64_t k) {
  const double t_s = static_cast<double>(k) * config_.plant_step_s;
  while (next_event_ < events_.size() && events_[next_event_].step <= k) {
    Event& e = events_[next_event_++];
    e.action(plant_);
    fired_.push_back({t_s, e.name});
  }
  for (std::size_t p = 0; p < probes_.size(); ++p) {
    if (k % probe_every_[p] == 0) {
      probes_[p].t_s.push_back(t_s);
      probes_[p].values.push_back(plant_.signal(probes_[p].signal));
    }
  }
}

void Simulation::step_from(std::uint64_t k) {
  const double t_s = static_cast<double>(k) * config_.plant_step_s;
  if (controller_ && k % controller_every_ == 0) {
    plant_.actuate(controller_(plant_.measure(), controller_dt_s_));
    ++controller_calls_;
  }
  plant_.step(t_s, config_.plant_step_s);
  ++steps_done_;
}

void Simulation::run(const std::function<void(double)>& progress) {
  prepare();
  const std::uint64_t total = steps_for(config_.duration_s);
  const std::uint64_t progress_every = std::max<std::uint64_t>(1, total / 100);
  for (std::uint64_t k = 0; k <= total; ++k) {
    at_instant(k);
    if (k == total) {
      break;  // the final instant is recorded, not stepped past
    }
    step_from(k);
    if (progress && (k + 1) % progress_every == 0) {
      progress(static_cast<double>(k + 1) / static_cast<double>(total));
    }
  }
}

void Simulation::advance_to(double t_s) {
  prepare();
  const std::uint64_t end = steps_for(t_s);
  while (next_step_ < end) {
    at_instant(next_step_);
    step_from(next_step_);
    ++next_step_;
  }
}

}  // namespace powerstack::sim
