// EnergyIntegrator: charge (Ah) and energy (Wh) through one power port, from timestamped
// voltage/current samples, split into the "in" and "out" directions.
//
// Sign convention (passive, as everywhere in powerstack): positive current flows INTO the
// port's device, e.g. into the battery while charging. in = positive flow, out = negative.
//
//        i_a > 0 -->
//   ----(+ v_v)----[ device ]
//
// Each interval is integrated with the trapezoid rule over its REAL length (the FUGU
// firmware assumed a fixed loop interval; seed 000), and split exactly where current or
// power crosses zero. An interval longer than `max_gap_s` is a data gap (device asleep,
// samples lost): it is counted and not integrated, since any value for it would be invented.
// Totals are ExactAccumulator counts of microcoulombs and microjoules: no precision loss over
// years of 1 ms samples.
#pragma once

#include <cstdint>

#include "powerstack/common/status.hpp"
#include "powerstack/dsp/exact_accumulator.hpp"

namespace powerstack::dsp {

class EnergyIntegrator {
 public:
  struct Config {
    float max_gap_s = 1.0f;
  };
  // Persistable totals (microcoulombs / microjoules).
  struct Totals {
    std::int64_t charge_in_uc = 0;
    std::int64_t charge_out_uc = 0;
    std::int64_t energy_in_uj = 0;
    std::int64_t energy_out_uj = 0;
  };

  EnergyIntegrator() = default;
  explicit EnergyIntegrator(const Config& config) : config_(config) {}

  // Adds a sample taken at t_us (a monotonic microsecond clock). The first sample, and the
  // first after a gap, only starts an interval. Returns kOutOfOrder when t_us does not
  // advance and kInvalidArgument for a non-finite v or i; such samples are counted and skipped.
  // kOutOfRange (also counted) when an increment would overflow a total.
  Status add(std::uint64_t t_us, float v_v, float i_a);

  [[nodiscard]] double charge_in_ah() const { return charge_in_.total() / 3600.0; }
  [[nodiscard]] double charge_out_ah() const { return charge_out_.total() / 3600.0; }
  [[nodiscard]] double energy_in_wh() const { return energy_in_.total() / 3600.0; }
  [[nodiscard]] double energy_out_wh() const { return energy_out_.total() / 3600.0; }
  [[nodiscard]] double net_charge_ah() const { return charge_in_ah() - charge_out_ah(); }
  [[nodiscard]] double net_energy_wh() const { return energy_in_wh() - energy_out_wh(); }
  // Seconds actually integrated (gaps excluded).
  [[nodiscard]] double integrated_s() const { return integrated_time_.total(); }
  [[nodiscard]] std::uint32_t gap_count() const { return gaps_; }
  [[nodiscard]] std::uint32_t rejected_count() const { return rejected_; }

  [[nodiscard]] Totals totals() const;
  void restore(const Totals& totals);

 private:
  Config config_{};
  ExactAccumulator charge_in_{1e-6f};
  ExactAccumulator charge_out_{1e-6f};
  ExactAccumulator energy_in_{1e-6f};
  ExactAccumulator energy_out_{1e-6f};
  ExactAccumulator integrated_time_{1e-6f};
  std::uint64_t last_t_us_ = 0;
  float last_v_v_ = 0.0f;
  float last_i_a_ = 0.0f;
  bool have_last_ = false;
  std::uint32_t gaps_ = 0;
  std::uint32_t rejected_ = 0;
};

}  // namespace powerstack::dsp
