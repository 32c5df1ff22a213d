// Runs the core measurement layer over a recorded ADC trace, as the firmware would sample by
// sample, and summarises what it saw: per channel validity, noise sigma and peak-to-peak;
// per port energy and charge each way and the element's internal resistance.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "powerstack/app/adc_trace.hpp"

namespace powerstack::app {

struct ChannelSummary {
  std::string name;
  std::string unit;  // "V" or "A"
  std::uint64_t ok = 0;
  std::uint64_t saturated = 0;     // at an ADC limit: never used as a value
  std::uint64_t out_of_range = 0;  // converted but outside the plausible range
  std::uint64_t invalid = 0;
  float min = 0.0f;
  float max = 0.0f;
  float mean = 0.0f;
  // Mean over full 16-sample windows of the window's sigma and peak-to-peak: the noise plus
  // any change of the signal within a window (an MPPT step, a load step).
  float window_sigma = 0.0f;
  float window_p2p = 0.0f;
};

struct PortSummary {
  std::string name;
  bool current_out_of_element = false;
  double energy_into_wh = 0.0;    // into the element (battery charging)
  double energy_out_of_wh = 0.0;  // out of the element (PV harvest)
  double charge_into_ah = 0.0;
  double charge_out_of_ah = 0.0;
  double integrated_s = 0.0;
  std::uint32_t gaps = 0;
  std::uint32_t samples_skipped = 0;  // a channel of the port not ok
  std::optional<float> r_ohm;         // set when the estimator reports
  float r_sigma_ohm = 0.0f;
  std::string r_status;  // "ok" or why there is no estimate
  std::uint32_t r_pairs = 0;
};

struct TraceSummary {
  std::uint64_t rows = 0;
  double duration_s = 0.0;
  double interval_min_ms = 0.0;
  double interval_mean_ms = 0.0;
  double interval_max_ms = 0.0;
  std::vector<ChannelSummary> channels;
  std::vector<PortSummary> ports;
};

struct MeasureOptions {
  float max_gap_s = 1.0f;       // longer intervals are not integrated
  float pair_max_dt_s = 0.05f;  // (dI, dU) pairs only from samples this close in time
  float min_step_a = 0.2f;      // current steps below this carry too little information
  float forgetting = 0.999f;
};

TraceSummary measure_trace(const AdcTrace& trace, const MeasureOptions& options);

}  // namespace powerstack::app
