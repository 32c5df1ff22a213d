#include "powerstack/twin/device_runner.hpp"

#include <algorithm>
#include <cmath>

#include "device.hpp"

namespace powerstack::twin {

namespace {

using Clock = std::chrono::steady_clock;

// Largest device-time increment between two looks at stop, settings and publication.
constexpr double kMaxChunkS = 1.0;

void schedule_events(sim::Simulation& simulation, sim::SolarChargerPlant& plant,
                     const sim::SolarChargerScenario& s) {
  for (const sim::ScenarioEvent& e : s.events) {
    simulation.schedule(e.t_s, e.action,
                        [e, &p = plant](sim::Plant&) { sim::apply_scenario_event(e, p); });
  }
}

}  // namespace

std::unique_ptr<DeviceRunner> DeviceRunner::create(const sim::SolarChargerScenario& scenario,
                                                   const settings::ChargerSettings& settings,
                                                   std::string& why) {
  if (scenario.controller.type != "mppt-charger") {
    why =
        "the twin runs the charge controller firmware: the scenario needs [controller] type = "
        "\"mppt-charger\" (it has \"" +
        scenario.controller.type + "\")";
    return nullptr;
  }
  auto d = std::make_unique<Device>();
  d->scenario = scenario;
  d->plant = sim::SolarChargerPlant::create(d->scenario.plant, why);
  if (!d->plant) {
    return nullptr;
  }
  d->firmware = std::make_unique<DeviceFirmware>(d->scenario, settings);
  d->simulation = std::make_unique<sim::Simulation>(
      *d->plant, sim::SimulationConfig{d->scenario.plant_step_s, d->scenario.duration_s,
                                       d->scenario.controller.period_s});
  Device* dev = d.get();
  d->simulation->set_controller([dev](const control::Measurements& m, double dt_s) {
    const auto dt = static_cast<float>(dt_s);
    dev->last_actuation = dev->firmware->controller().step(m, dt);
    dev->telemetry.update(m, dev->firmware->controller(), dt);
    return dev->last_actuation;
  });
  schedule_events(*d->simulation, *d->plant, d->scenario);
  auto runner = std::unique_ptr<DeviceRunner>(new DeviceRunner(std::move(d)));
  runner->publish();
  return runner;
}

DeviceRunner::DeviceRunner(std::unique_ptr<Device> device) : device_(std::move(device)) {}

DeviceRunner::~DeviceRunner() {
  stop();
}

void DeviceRunner::add_sampler(double period_s, Sampler fn) {
  const double t = device_->simulation->time_s();
  samplers_.push_back({period_s, std::floor(t / period_s) * period_s + period_s, std::move(fn)});
}

void DeviceRunner::add_publisher(Publisher fn) {
  publishers_.push_back(std::move(fn));
}

void DeviceRunner::start(double speed, double publish_period_wall_s) {
  stop_ = false;
  thread_ =
      std::thread([this, speed, publish_period_wall_s] { loop(speed, publish_period_wall_s); });
}

void DeviceRunner::stop() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  published_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void DeviceRunner::advance(double dt_s) {
  take_pending_settings();
  advance_to(device_->simulation->time_s() + dt_s);
  publish();
}

void DeviceRunner::advance_to(double t_s) {
  sim::Simulation& simulation = *device_->simulation;
  while (simulation.time_s() < t_s - 1e-12) {
    double next = t_s;
    for (const SamplerEntry& e : samplers_) {
      next = std::min(next, e.next_s);
    }
    const double before = simulation.time_s();
    simulation.advance_to(next);
    const double now = simulation.time_s();
    // The simulation rounds a time a hair past a step (134.16500013 s at 1 ms) to that step, so
    // "due" allows half a step, and a pass that neither moved nor fired ends the loop: without
    // both the loop never reached t_s and the twin stalled (and ignored SIGTERM).
    const double half_step_s = 0.5 * device_->scenario.plant_step_s;
    bool fired = false;
    for (SamplerEntry& e : samplers_) {
      if (now + half_step_s >= e.next_s) {
        e.fn(device_->snapshot());
        e.next_s += e.period_s * std::max(1.0, std::floor((now - e.next_s) / e.period_s) + 1.0);
        fired = true;
      }
    }
    if (!fired && now <= before) {
      break;
    }
  }
}

void DeviceRunner::take_pending_settings() {
  std::optional<settings::ChargerSettings> next;
  {
    const std::lock_guard lock(mutex_);
    next.swap(pending_);
  }
  if (!next) {
    return;
  }
  Device& d = *device_;
  if (needs_controller_restart(d.firmware->settings(), *next)) {
    d.collect_trips();
    d.trip_base += d.firmware->controller().protection().log().total();
    d.trips_seen = 0;
  }
  d.firmware->apply(*next);
}

void DeviceRunner::publish() {
  std::vector<TripRecord> fresh = device_->collect_trips();
  DeviceStatus s = device_->snapshot();
  PvCurve curve = device_->pv_curve();
  {
    const std::lock_guard lock(mutex_);
    status_ = s;
    curve_ = std::move(curve);
  }
  published_.notify_all();
  for (const Publisher& p : publishers_) {
    p(s, fresh);
  }
}

void DeviceRunner::loop(double speed, double publish_period_wall_s) {
  const auto wall0 = Clock::now();
  const double sim0 = device_->simulation->time_s();
  auto last_publish = wall0;
  while (!stop_) {
    take_pending_settings();
    const auto now = Clock::now();
    const double wall_s = std::chrono::duration<double>(now - wall0).count();
    const double target = sim0 + speed * wall_s;
    const double t = device_->simulation->time_s();
    const bool behind = target > t + device_->scenario.plant_step_s;
    if (behind) {
      advance_to(std::min(target, t + kMaxChunkS));
    }
    if (std::chrono::duration<double>(Clock::now() - last_publish).count() >=
        publish_period_wall_s) {
      last_publish = Clock::now();
      {
        const std::lock_guard lock(mutex_);
        achieved_speed_ = wall_s > 0.0 ? (device_->simulation->time_s() - sim0) / wall_s : 0.0;
      }
      publish();
    }
    if (!behind) {
      std::unique_lock lock(mutex_);
      published_.wait_for(lock, std::chrono::milliseconds(5), [this] { return stop_.load(); });
    }
  }
}

DeviceStatus DeviceRunner::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

PvCurve DeviceRunner::pv_curve() const {
  const std::lock_guard lock(mutex_);
  return curve_;
}

bool DeviceRunner::wait_for_snapshot(std::uint64_t seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return published_.wait_for(lock, timeout, [&] { return stop_.load() || status_.seq > seq; }) &&
         !stop_ && status_.seq > seq;
}

void DeviceRunner::apply_settings(const settings::ChargerSettings& s) {
  const std::lock_guard lock(mutex_);
  pending_ = s;
}

double DeviceRunner::achieved_speed() const {
  const std::lock_guard lock(mutex_);
  return achieved_speed_;
}

unsigned DeviceRunner::controller_restarts() const {
  return device_->firmware->restarts();
}

}  // namespace powerstack::twin
