// Loads and load profiles.
//
// Sign convention: passive. current_a(v) is the current INTO the load at terminal voltage v
// (>= 0 for v >= 0); loads never source current: constant-current and constant-power loads
// draw nothing at v <= 0 (a resistance follows Ohm's law both ways).
//
// Below v_min_v, constant-current and constant-power loads behave as the RESISTANCE that
// meets the nominal curve at v_min_v (i = i_set v / v_min, i = P v / v_min^2), which keeps
// them continuous and finite near 0 V; BelowMinimum::kOff makes them draw nothing instead
// (a brown-out reset). Constant power uses a knee of at least 1 mV even if v_min_v is 0.
//
// Profiles: a LoadSchedule is a piecewise-constant sequence of named modes (optionally
// repeating); a BurstTrain is a deterministic periodic pulse train or seeded random bursts
// (SimRandom); a LoadProfile overlays bursts on the segments that allow them (a burst
// replaces the segment's load: the burst current is the device's total current). Built-in
// ESP32 figures and profiles come from the seeds and Espressif's datasheets (cited below and
// in docs/other-models.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "powerstack/common/status.hpp"
#include "sim/engine/random.hpp"

namespace powerstack::sim {

enum class LoadKind : std::uint8_t { kCurrent, kPower, kResistance };
enum class BelowMinimum : std::uint8_t { kResistive, kOff };

struct LoadSpec {
  LoadKind kind = LoadKind::kCurrent;
  double value = 0.0;    // A, W or ohm by kind
  double v_min_v = 0.0;  // kCurrent, kPower: below this, see below_min
  BelowMinimum below_min = BelowMinimum::kResistive;

  [[nodiscard]] double current_a(double v_v) const;
  [[nodiscard]] double power_w(double v_v) const { return v_v * current_a(v_v); }
};

LoadSpec constant_current(double i_a, double v_min_v = 0.0,
                          BelowMinimum below = BelowMinimum::kResistive);
LoadSpec constant_power(double p_w, double v_min_v, BelowMinimum below = BelowMinimum::kResistive);
LoadSpec constant_resistance(double r_ohm);
// kOk, or kInvalidArgument for a negative or non-finite value or v_min, or a zero resistance.
Status validate(const LoadSpec& load);

struct ScheduleSegment {
  std::string name;
  double duration_s = 0.0;
  LoadSpec load;
  bool bursts = false;  // the profile's burst train applies during this segment
};

class LoadSchedule {
 public:
  LoadSchedule() = default;
  // Refuses an empty list, a non-positive or non-finite duration, or an invalid load.
  static Result<LoadSchedule> create(std::vector<ScheduleSegment> segments, bool repeat);

  // Segment in force at t_s (t < 0 is the first; past the end of a non-repeating schedule
  // the last holds).
  [[nodiscard]] std::size_t index_at(double t_s) const;
  [[nodiscard]] const ScheduleSegment& segment_at(double t_s) const {
    return segments_[index_at(t_s)];
  }
  // First mode change strictly after t_s; +infinity if none.
  [[nodiscard]] double next_edge_s(double t_s) const;
  [[nodiscard]] double period_s() const { return ends_s_.back(); }
  [[nodiscard]] bool repeats() const { return repeat_; }
  [[nodiscard]] const std::vector<ScheduleSegment>& segments() const { return segments_; }

 private:
  std::vector<ScheduleSegment> segments_{ScheduleSegment{"off", 1.0, LoadSpec{}, false}};
  std::vector<double> ends_s_{1.0};  // cumulative end time of each segment in one period
  bool repeat_ = false;
};

struct Burst {
  double t_start_s = 0.0;
  double width_s = 0.0;
  double i_a = 0.0;  // device current during the burst
};

// Gaps between burst starts: min_interval + Exp(mean_interval - min_interval); width and
// current uniform in their ranges. min_interval_s must exceed width_max_s (no overlap).
struct RandomBurstParams {
  double mean_interval_s = 0.1;
  double min_interval_s = 0.01;
  double width_min_s = 0.001;
  double width_max_s = 0.005;
  double i_min_a = 0.24;
  double i_max_a = 0.37;
};

class BurstTrain {
 public:
  BurstTrain() = default;  // no bursts
  // Bursts of i_a for width_s starting at phase_s + k * period_s (k >= 0); width < period.
  static Result<BurstTrain> periodic(double period_s, double width_s, double phase_s, double i_a);
  // Seeded random bursts from t = 0. The same rng state gives the same bursts. A query costs
  // the bursts it skips; one earlier than the last query regenerates from the seed state.
  static Result<BurstTrain> random(const RandomBurstParams& params, const SimRandom& rng);

  // The burst covering t_s (start <= t < start + width), if any.
  std::optional<Burst> burst_at(double t_s);
  // First burst edge (start or end) strictly after t_s; +infinity if none.
  double next_edge_s(double t_s);

 private:
  enum class Kind : std::uint8_t { kNone, kPeriodic, kRandom };
  void advance_to(double t_s);  // random: make cur_ the first burst ending after t_s
  Burst draw_after(double t_prev_start_s);

  Kind kind_ = Kind::kNone;
  double period_s_ = 0.0;
  double width_s_ = 0.0;
  double phase_s_ = 0.0;
  double i_a_ = 0.0;
  RandomBurstParams random_;
  SimRandom rng0_{0};
  SimRandom rng_{0};
  Burst cur_;
  double last_query_s_ = 0.0;
};

class LoadProfile {
 public:
  LoadProfile() = default;
  LoadProfile(LoadSchedule schedule, const BurstTrain& bursts)
      : schedule_(std::move(schedule)), bursts_(bursts) {}

  // The load in force at t_s: a burst (as a constant current with the segment's v_min) in a
  // burst-enabled segment, the segment's load otherwise.
  LoadSpec load_at(double t_s);
  double current_a(double t_s, double v_v) { return load_at(t_s).current_a(v_v); }
  // Next time the load may change (schedule or burst edge): step an engine to it.
  double next_edge_s(double t_s);
  [[nodiscard]] const LoadSchedule& schedule() const { return schedule_; }

 private:
  LoadSchedule schedule_;
  BurstTrain bursts_;
};

// ESP32-family supply currents at 3.3 V (averages unless named peak).
struct Esp32Figures {
  const char* source;
  double deep_sleep_a;
  double light_sleep_a;
  double modem_sleep_a;
  double rx_a;       // radio on, listening / connected idle
  double tx_a;       // transmitting, average over a burst
  double tx_peak_a;  // transmitting, peak
};
Esp32Figures esp32_figures();     // ESP32 (WROOM) datasheets
Esp32Figures esp32_c6_figures();  // seed 003 (KNX ESP32-C6)
Esp32Figures esp32_s3_figures();  // seed 004 (doorbell ESP32-S3)

// Deep sleep for period - awake, then awake (rx current) with deterministic TX bursts of
// tx_peak every burst_period_s for burst_width_s; repeats.
Result<LoadProfile> esp32_duty_cycle_profile(const Esp32Figures& fig, double period_s,
                                             double awake_s, double burst_period_s,
                                             double burst_width_s);
// Always connected (rx current) with seeded random TX bursts between tx and tx_peak.
// min_interval = 2 burst widths; refuses a mean interval not above that.
Result<LoadProfile> esp32_connected_profile(const Esp32Figures& fig, double mean_burst_interval_s,
                                            double burst_width_s, const SimRandom& rng);

}  // namespace powerstack::sim
