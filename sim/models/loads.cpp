#include "sim/models/loads.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace powerstack::sim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMinPowerKneeV = 1e-3;

bool finite_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

}  // namespace

double LoadSpec::current_a(double v_v) const {
  if (kind == LoadKind::kResistance) {
    return value > 0.0 ? v_v / value : 0.0;
  }
  if (!(v_v > 0.0)) {
    return 0.0;
  }
  const double knee_v = kind == LoadKind::kPower ? std::max(v_min_v, kMinPowerKneeV) : v_min_v;
  const double i_nominal_a = kind == LoadKind::kPower ? value / std::max(v_v, knee_v) : value;
  if (v_v >= knee_v) {
    return i_nominal_a;
  }
  if (below_min == BelowMinimum::kOff) {
    return 0.0;
  }
  // The resistance that meets the nominal curve at the knee: R = v_knee / i(v_knee).
  return i_nominal_a * v_v / knee_v;
}

LoadSpec constant_current(double i_a, double v_min_v, BelowMinimum below) {
  return LoadSpec{LoadKind::kCurrent, i_a, v_min_v, below};
}

LoadSpec constant_power(double p_w, double v_min_v, BelowMinimum below) {
  return LoadSpec{LoadKind::kPower, p_w, v_min_v, below};
}

LoadSpec constant_resistance(double r_ohm) {
  return LoadSpec{LoadKind::kResistance, r_ohm, 0.0, BelowMinimum::kResistive};
}

Status validate(const LoadSpec& load) {
  if (!finite_non_negative(load.value) || !finite_non_negative(load.v_min_v)) {
    return Status::kInvalidArgument;
  }
  if (load.kind == LoadKind::kResistance && !(load.value > 0.0)) {
    return Status::kInvalidArgument;
  }
  return Status::kOk;
}

// --- LoadSchedule ---------------------------------------------------------------------------

Result<LoadSchedule> LoadSchedule::create(std::vector<ScheduleSegment> segments, bool repeat) {
  if (segments.empty()) {
    return Status::kInvalidArgument;
  }
  LoadSchedule s;
  s.ends_s_.clear();
  double end_s = 0.0;
  for (const ScheduleSegment& seg : segments) {
    if (!std::isfinite(seg.duration_s) || !(seg.duration_s > 0.0) ||
        validate(seg.load) != Status::kOk) {
      return Status::kInvalidArgument;
    }
    end_s += seg.duration_s;
    s.ends_s_.push_back(end_s);
  }
  s.segments_ = std::move(segments);
  s.repeat_ = repeat;
  return s;
}

std::size_t LoadSchedule::index_at(double t_s) const {
  const std::size_t last = segments_.size() - 1;
  if (!(t_s > 0.0)) {
    return 0;
  }
  double tau_s = t_s;
  if (repeat_) {
    tau_s = std::fmod(t_s, period_s());
  } else if (t_s >= period_s()) {
    return last;
  }
  const auto it = std::upper_bound(ends_s_.begin(), ends_s_.end(), tau_s);
  return std::min(static_cast<std::size_t>(it - ends_s_.begin()), last);
}

double LoadSchedule::next_edge_s(double t_s) const {
  if (std::isnan(t_s)) {
    return t_s;
  }
  if (t_s < 0.0) {
    if (segments_.size() > 1 || repeat_) {
      return ends_s_.front();
    }
    return kInf;
  }
  if (!repeat_) {
    // The end of the last segment is not a change: it holds for ever.
    for (std::size_t k = 0; k + 1 < ends_s_.size(); ++k) {
      if (ends_s_[k] > t_s) {
        return ends_s_[k];
      }
    }
    return kInf;
  }
  const double period = period_s();
  // Start one period early so that rounding in floor() cannot skip an edge.
  const double first_lap = std::floor(t_s / period) - 1.0;
  for (int lap = 0; lap < 4; ++lap) {
    const double base_s = (first_lap + lap) * period;
    for (const double end_s : ends_s_) {
      if (base_s + end_s > t_s) {
        return base_s + end_s;
      }
    }
  }
  return kInf;  // t_s so large that one period is below its resolution
}

// --- BurstTrain -----------------------------------------------------------------------------

Result<BurstTrain> BurstTrain::periodic(double period_s, double width_s, double phase_s,
                                        double i_a) {
  if (!std::isfinite(period_s) || !(width_s > 0.0) || !(width_s < period_s) ||
      !std::isfinite(phase_s) || !finite_non_negative(i_a)) {
    return Status::kInvalidArgument;
  }
  BurstTrain b;
  b.kind_ = Kind::kPeriodic;
  b.period_s_ = period_s;
  b.width_s_ = width_s;
  b.phase_s_ = phase_s;
  b.i_a_ = i_a;
  return b;
}

Result<BurstTrain> BurstTrain::random(const RandomBurstParams& p, const SimRandom& rng) {
  const bool ok = std::isfinite(p.mean_interval_s) && p.mean_interval_s > p.min_interval_s &&
                  p.min_interval_s > p.width_max_s && p.width_max_s >= p.width_min_s &&
                  p.width_min_s > 0.0 && finite_non_negative(p.i_min_a) &&
                  std::isfinite(p.i_max_a) && p.i_max_a >= p.i_min_a;
  if (!ok) {
    return Status::kInvalidArgument;
  }
  BurstTrain b;
  b.kind_ = Kind::kRandom;
  b.random_ = p;
  b.rng0_ = rng;
  b.rng_ = rng;
  b.cur_ = b.draw_after(0.0);
  b.last_query_s_ = -kInf;
  return b;
}

Burst BurstTrain::draw_after(double t_prev_start_s) {
  const RandomBurstParams& p = random_;
  // Fixed draw order (gap, width, current) keeps the sequence reproducible.
  const double gap_s =
      p.min_interval_s - (p.mean_interval_s - p.min_interval_s) * std::log(1.0 - rng_.uniform());
  const double width_s = rng_.uniform(p.width_min_s, p.width_max_s);
  const double i_a = rng_.uniform(p.i_min_a, p.i_max_a);
  return Burst{t_prev_start_s + gap_s, width_s, i_a};
}

void BurstTrain::advance_to(double t_s) {
  if (t_s < last_query_s_) {
    rng_ = rng0_;
    cur_ = draw_after(0.0);
  }
  while (cur_.t_start_s + cur_.width_s <= t_s) {
    cur_ = draw_after(cur_.t_start_s);
  }
  last_query_s_ = t_s;
}

std::optional<Burst> BurstTrain::burst_at(double t_s) {
  if (kind_ == Kind::kNone || !std::isfinite(t_s)) {
    return std::nullopt;
  }
  if (kind_ == Kind::kRandom) {
    advance_to(t_s);
    if (cur_.t_start_s <= t_s) {
      return cur_;
    }
    return std::nullopt;
  }
  if (t_s < phase_s_) {
    return std::nullopt;
  }
  // Burst k starts at phase + k * period, computed the same way as in next_edge_s() so that
  // an edge returned there is a start here; the division's rounding is corrected both ways.
  double k = std::floor((t_s - phase_s_) / period_s_);
  if (phase_s_ + (k + 1.0) * period_s_ <= t_s) {
    k += 1.0;
  } else if (phase_s_ + k * period_s_ > t_s) {
    k -= 1.0;
  }
  const double start_s = phase_s_ + k * period_s_;
  if (t_s < start_s + width_s_) {
    return Burst{start_s, width_s_, i_a_};
  }
  return std::nullopt;
}

double BurstTrain::next_edge_s(double t_s) {
  if (std::isnan(t_s)) {
    return t_s;
  }
  if (kind_ == Kind::kNone || !std::isfinite(t_s)) {
    return kInf;
  }
  if (kind_ == Kind::kRandom) {
    advance_to(t_s);
    return cur_.t_start_s > t_s ? cur_.t_start_s : cur_.t_start_s + cur_.width_s;
  }
  if (t_s < phase_s_) {
    return phase_s_;
  }
  const double k = std::floor((t_s - phase_s_) / period_s_) - 1.0;
  for (int lap = 0; lap < 4; ++lap) {
    const double start_s = phase_s_ + (k + lap) * period_s_;
    if (start_s > t_s) {
      return start_s;
    }
    if (start_s + width_s_ > t_s) {
      return start_s + width_s_;
    }
  }
  return kInf;
}

// --- LoadProfile ----------------------------------------------------------------------------

LoadSpec LoadProfile::load_at(double t_s) {
  const ScheduleSegment& seg = schedule_.segment_at(t_s);
  if (seg.bursts) {
    if (const std::optional<Burst> b = bursts_.burst_at(t_s)) {
      return constant_current(b->i_a, seg.load.v_min_v, seg.load.below_min);
    }
  }
  return seg.load;
}

double LoadProfile::next_edge_s(double t_s) {
  const double schedule_edge_s = schedule_.next_edge_s(t_s);
  if (!schedule_.segment_at(t_s).bursts) {
    return schedule_edge_s;
  }
  return std::min(schedule_edge_s, bursts_.next_edge_s(t_s));
}

// --- ESP32 figures --------------------------------------------------------------------------

// ESP32 datasheet (Espressif, chip, v3.x) "Power consumption by power modes": light sleep
// 0.8 mA, deep sleep with RTC timer + RTC memory 10 uA; "RF current consumption": RX
// 802.11b/g/n 95-100 mA, TX 802.11b 1 Mbps @ 19.5 dBm 240 mA (50 % duty average).
// ESP32-WROOM-32 datasheet Table 5: modem sleep at max CPU speed 20 mA. Espressif ESP32
// module datasheet (ESP32-PICO family) Table 6: TX 802.11b 1 Mbps average 233 mA, peak 368 mA.
Esp32Figures esp32_figures() {
  return Esp32Figures{"ESP32 datasheet, ESP32-WROOM-32 and ESP32 module datasheets",
                      10e-6,
                      0.8e-3,
                      20e-3,
                      100e-3,
                      240e-3,
                      368e-3};
}

// Seed 003 (KNX ESP32-C6): deep sleep 7 uA, active RX 85 mA, active TX 280-350 mA for < 5 ms
// (upper end taken), 400 mA worst-case peak. Light sleep ~35 uA: Espressif DevCon23 talk
// "Low-power features of ESP32-C6". Modem sleep: no C6 figure found; the ESP32 value.
Esp32Figures esp32_c6_figures() {
  return Esp32Figures{"seed 003 (ESP32-C6 table); Espressif DevCon23 (light sleep)",
                      7e-6,
                      35e-6,
                      20e-3,
                      85e-3,
                      350e-3,
                      400e-3};
}

// Seed 004 (doorbell ESP32-S3 at 3.3 V, Wi-Fi active): idle 80 mA, active 150 mA, peak
// 350 mA. Sleep currents: the 7-240 uA range (deep to light sleep) of the ESP32-S3
// datasheet as quoted in the YDrip project log (hackaday.io); modem sleep: the ESP32 value.
Esp32Figures esp32_s3_figures() {
  return Esp32Figures{"seed 004 (ESP32-S3 budget); ESP32-S3 sleep range via hackaday.io",
                      7e-6,
                      240e-6,
                      20e-3,
                      80e-3,
                      150e-3,
                      350e-3};
}

Result<LoadProfile> esp32_duty_cycle_profile(const Esp32Figures& fig, double period_s,
                                             double awake_s, double burst_period_s,
                                             double burst_width_s) {
  if (!(awake_s > 0.0) || !(period_s > awake_s) || !std::isfinite(period_s)) {
    return Status::kInvalidArgument;
  }
  const Result<LoadSchedule> schedule = LoadSchedule::create(
      {ScheduleSegment{"deep_sleep", period_s - awake_s, constant_current(fig.deep_sleep_a), false},
       ScheduleSegment{"awake", awake_s, constant_current(fig.rx_a), true}},
      true);
  // Bursts start when the device wakes (phase = the sleep time).
  const Result<BurstTrain> bursts =
      BurstTrain::periodic(burst_period_s, burst_width_s, period_s - awake_s, fig.tx_peak_a);
  if (!schedule.ok() || !bursts.ok()) {
    return Status::kInvalidArgument;
  }
  return LoadProfile(schedule.value(), bursts.value());
}

Result<LoadProfile> esp32_connected_profile(const Esp32Figures& fig, double mean_burst_interval_s,
                                            double burst_width_s, const SimRandom& rng) {
  const Result<LoadSchedule> schedule = LoadSchedule::create(
      {ScheduleSegment{"connected", 1.0, constant_current(fig.rx_a), true}}, false);
  RandomBurstParams p;
  p.mean_interval_s = mean_burst_interval_s;
  p.min_interval_s = 2.0 * burst_width_s;
  p.width_min_s = burst_width_s;
  p.width_max_s = burst_width_s;
  p.i_min_a = fig.tx_a;
  p.i_max_a = fig.tx_peak_a;
  const Result<BurstTrain> bursts = BurstTrain::random(p, rng);
  if (!schedule.ok() || !bursts.ok()) {
    return Status::kInvalidArgument;
  }
  return LoadProfile(schedule.value(), bursts.value());
}

}  // namespace powerstack::sim
