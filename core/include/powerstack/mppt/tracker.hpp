// Tracker: one maximum power point tracking algorithm. The charge controller calls step()
// once per control tick with the latest PV sample and the duty the converter really ran
// (lower than asked when an output limit bound, so a tracker resumes from the truth).
// Trackers own no heap and read no clock: elapsed time arrives as dt_s.
#pragma once

namespace powerstack::mppt {

struct PvSample {
  float v_pv_v = 0.0f;   // converter input voltage
  float i_pv_a = 0.0f;   // current from the panel into the converter
  float v_bat_v = 0.0f;  // converter output voltage (sets the duty for a given v_pv)
  float dt_s = 0.0f;     // time since the previous step
};

struct TrackerCommand {
  float duty = 0.0f;             // requested high-side duty, [0, 1]
  bool pause_converter = false;  // true: switches off this tick (e.g. to sample Voc)
};

class Tracker {
 public:
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  // Forget all history; start tracking from duty_start.
  virtual void reset(float duty_start) = 0;
  // One control tick; duty_applied is the duty the converter ran during the last tick.
  virtual TrackerCommand step(const PvSample& sample, float duty_applied) = 0;
  // Stable identifier used by scenarios and benchmarks, e.g. "fugu-original".
  [[nodiscard]] virtual const char* name() const = 0;

 protected:
  Tracker() = default;
  ~Tracker() = default;  // never deleted through the interface: no heap in the core
};

}  // namespace powerstack::mppt
