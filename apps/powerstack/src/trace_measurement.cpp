#include "powerstack/app/trace_measurement.hpp"

#include <algorithm>
#include <cmath>

#include "powerstack/dsp/adc_channel.hpp"
#include "powerstack/dsp/energy_integrator.hpp"
#include "powerstack/dsp/impedance_estimator.hpp"
#include "powerstack/dsp/running_stats.hpp"
#include "powerstack/dsp/window_stats.hpp"

namespace powerstack::app {

namespace {

constexpr std::size_t kNoiseWindow = 16;

struct ChannelState {
  dsp::AdcChannel adc;
  dsp::RunningStats all;
  dsp::WindowStats<kNoiseWindow> window;
  dsp::RunningStats window_sigma;
  dsp::RunningStats window_p2p;
  std::size_t since_window = 0;
};

struct PortState {
  dsp::EnergyIntegrator energy;
  dsp::ImpedanceEstimator impedance;
  bool have_last = false;
  std::uint64_t last_t_us = 0;
  float last_v = 0.0f;
  float last_i = 0.0f;
  std::uint32_t skipped = 0;
};

}  // namespace

TraceSummary measure_trace(const AdcTrace& trace, const MeasureOptions& options) {
  TraceSummary summary;
  std::vector<ChannelState> channels(trace.channels.size());
  for (std::size_t c = 0; c < trace.channels.size(); ++c) {
    const TraceChannel& tc = trace.channels[c];
    // The parser already proved every channel constructible.
    channels[c].adc =
        dsp::AdcChannel::create(trace.adc, tc.front_end, tc.min_valid, tc.max_valid).value();
    if (tc.calibration) {
      // The parser proved the calibrated chain finite too.
      (void)channels[c].adc.set_calibration(*tc.calibration);
    }
  }
  dsp::ImpedanceEstimator::Config rls;
  rls.forgetting = options.forgetting;
  rls.min_delta_i_a = options.min_step_a;
  std::vector<PortState> ports(trace.ports.size());
  for (auto& p : ports) {
    p.energy = dsp::EnergyIntegrator(dsp::EnergyIntegrator::Config{options.max_gap_s});
    p.impedance = dsp::ImpedanceEstimator::create(rls).value();
  }

  std::vector<dsp::Reading> readings(trace.channels.size());
  summary.channels.resize(trace.channels.size());
  for (std::size_t row = 0; row < trace.rows(); ++row) {
    for (std::size_t c = 0; c < channels.size(); ++c) {
      ChannelState& st = channels[c];
      ChannelSummary& cs = summary.channels[c];
      const dsp::Reading r = st.adc.convert(trace.count(row, c));
      readings[c] = r;
      switch (r.status) {
        case dsp::ReadingStatus::kOk:
          ++cs.ok;
          break;
        case dsp::ReadingStatus::kSaturatedLow:
        case dsp::ReadingStatus::kSaturatedHigh:
          ++cs.saturated;
          break;
        case dsp::ReadingStatus::kBelowRange:
        case dsp::ReadingStatus::kAboveRange:
          ++cs.out_of_range;
          break;
        case dsp::ReadingStatus::kInvalidCount:
          ++cs.invalid;
          break;
      }
      if (!r.ok()) {
        continue;
      }
      st.all.update(r.value);
      st.window.update(r.value);
      if (st.window.full() && ++st.since_window == kNoiseWindow) {
        st.since_window = 0;
        st.window_sigma.update(st.window.stddev());
        st.window_p2p.update(st.window.peak_to_peak());
      }
    }
    const std::uint64_t t_us = trace.t_us[row];
    for (std::size_t p = 0; p < ports.size(); ++p) {
      const TracePort& tp = trace.ports[p];
      PortState& ps = ports[p];
      const dsp::Reading& v = readings[tp.voltage_channel];
      const dsp::Reading& i = readings[tp.current_channel];
      if (!v.ok() || !i.ok()) {
        ++ps.skipped;  // never integrate or fit a value the ADC could not measure
        continue;
      }
      const float i_into = tp.current_out_of_element ? -i.value : i.value;
      ps.energy.add(t_us, v.value, i_into);
      if (ps.have_last &&
          static_cast<float>(t_us - ps.last_t_us) * 1e-6f <= options.pair_max_dt_s) {
        ps.impedance.add_pair(i_into - ps.last_i, v.value - ps.last_v);
      }
      ps.have_last = true;
      ps.last_t_us = t_us;
      ps.last_v = v.value;
      ps.last_i = i_into;
    }
  }

  summary.rows = trace.rows();
  if (trace.rows() > 1) {
    summary.duration_s = static_cast<double>(trace.t_us.back() - trace.t_us.front()) * 1e-6;
    std::uint64_t lo = UINT64_MAX;
    std::uint64_t hi = 0;
    for (std::size_t k = 1; k < trace.rows(); ++k) {
      const std::uint64_t d = trace.t_us[k] - trace.t_us[k - 1];
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    summary.interval_min_ms = static_cast<double>(lo) * 1e-3;
    summary.interval_max_ms = static_cast<double>(hi) * 1e-3;
    summary.interval_mean_ms = summary.duration_s * 1e3 / static_cast<double>(trace.rows() - 1);
  }
  for (std::size_t c = 0; c < channels.size(); ++c) {
    ChannelSummary& cs = summary.channels[c];
    const ChannelState& st = channels[c];
    cs.name = trace.channels[c].name;
    cs.unit.assign(1, trace.channels[c].quantity == Quantity::kVoltage ? 'V' : 'A');
    cs.min = st.all.min();
    cs.max = st.all.max();
    cs.mean = st.all.mean();
    cs.window_sigma = st.window_sigma.mean();
    cs.window_p2p = st.window_p2p.mean();
  }
  for (std::size_t p = 0; p < ports.size(); ++p) {
    PortSummary ps;
    const PortState& st = ports[p];
    ps.name = trace.ports[p].name;
    ps.current_out_of_element = trace.ports[p].current_out_of_element;
    ps.energy_into_wh = st.energy.energy_in_wh();
    ps.energy_out_of_wh = st.energy.energy_out_wh();
    ps.charge_into_ah = st.energy.charge_in_ah();
    ps.charge_out_of_ah = st.energy.charge_out_ah();
    ps.integrated_s = st.energy.integrated_s();
    ps.gaps = st.energy.gap_count();
    ps.samples_skipped = st.skipped;
    ps.r_pairs = st.impedance.pairs_used();
    const auto est = st.impedance.estimate();
    ps.r_status = to_string(est.status());
    if (est.ok()) {
      ps.r_ohm = est.value().r_ohm;
      ps.r_sigma_ohm = est.value().sigma_ohm;
    }
    summary.ports.push_back(ps);
  }
  return summary;
}

}  // namespace powerstack::app
