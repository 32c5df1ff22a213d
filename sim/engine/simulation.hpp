// Simulation: advances a Plant with a fixed step, calls the controller at its own period
// (it sees only Measurements and returns Actuation), fires scheduled events at their times
// and records probes at their rates.
//
// Time is kept as an integer count of plant steps, so event and controller instants do not
// drift with floating-point accumulation over a long (24 h at 1 ms) run. An event or
// controller call due inside a step happens at the start of the first step at or after its
// time. Same plant, controller, events and seed: same output, bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "powerstack/control/plant_io.hpp"
#include "sim/engine/plant.hpp"

namespace powerstack::sim {

using Controller =
    std::function<control::Actuation(const control::Measurements& measurements, double dt_s)>;

struct SimulationConfig {
  double plant_step_s = 1e-3;
  double duration_s = 1.0;
  double controller_period_s = 1e-2;
};

struct EventRecord {
  double t_s = 0.0;
  std::string name;
};

struct ProbeSeries {
  std::string signal;
  double period_s = 1.0;
  std::vector<double> t_s;
  std::vector<double> values;
};

class Simulation {
 public:
  // The config must have positive steps, controller_period_s >= plant_step_s, and a duration;
  // check with valid() (the scenario reader reports which value is wrong).
  Simulation(Plant& plant, const SimulationConfig& config);
  [[nodiscard]] static bool valid(const SimulationConfig& config);

  void set_controller(Controller controller) { controller_ = std::move(controller); }
  // Runs `action` on the plant at t_s (events at equal times run in the order added).
  void schedule(double t_s, std::string name, std::function<void(Plant&)> action);
  // Records `signal` (one of plant.signal_names()) every period_s, starting at t = 0.
  void add_probe(const std::string& signal, double period_s);

  // Runs to the end. `progress` (may be empty) is called with the completed fraction about
  // every 1 % of the run.
  void run(const std::function<void(double fraction)>& progress = {});
  // Incremental use (the device twin, which runs until stopped): steps until the time
  // reaches at least t_s, past duration_s too, with events, probes and controller calls at
  // the same instants as run(). Do not mix with run() on one Simulation.
  void advance_to(double t_s);
  [[nodiscard]] double time_s() const {
    return static_cast<double>(next_step_) * config_.plant_step_s;
  }

  [[nodiscard]] const std::vector<ProbeSeries>& probes() const { return probes_; }
  [[nodiscard]] const std::vector<EventRecord>& fired_events() const { return fired_; }
  [[nodiscard]] std::uint64_t steps_done() const { return steps_done_; }
  [[nodiscard]] std::uint64_t controller_calls() const { return controller_calls_; }

 private:
  struct Event {
    std::uint64_t step = 0;
    std::uint64_t order = 0;
    std::string name;
    double t_s = 0.0;
    std::function<void(Plant&)> action;
  };
  [[nodiscard]] std::uint64_t steps_for(double t_s) const;
  void prepare();
  // Events and probes due at instant k, then (step_from) the controller call and the plant
  // step from k to k + 1.
  void at_instant(std::uint64_t k);
  void step_from(std::uint64_t k);

  Plant& plant_;
  SimulationConfig config_;
  Controller controller_;
  std::vector<Event> events_;
  std::vector<ProbeSeries> probes_;
  std::vector<std::uint64_t> probe_every_;
  std::vector<EventRecord> fired_;
  std::uint64_t steps_done_ = 0;
  std::uint64_t controller_calls_ = 0;
  bool prepared_ = false;
  std::uint64_t controller_every_ = 1;
  double controller_dt_s_ = 0.0;
  std::size_t next_event_ = 0;
  std::uint64_t next_step_ = 0;  // advance_to(): the next instant to process
};

}  // namespace powerstack::sim
