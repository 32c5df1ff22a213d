// TrackerBank: one instance of every MPPT algorithm, held as members (no heap), so a
// scenario or a benchmark selects one by name. Each comes with the control period its
// firmware runs it at (the caller's tick; the trackers themselves only see dt_s).
#pragma once

#include "powerstack/mppt/constant_voltage.hpp"
#include "powerstack/mppt/fugu_fl4p.hpp"
#include "powerstack/mppt/fugu_original.hpp"
#include "powerstack/mppt/global_scan.hpp"
#include "powerstack/mppt/hybrid_cv_po.hpp"
#include "powerstack/mppt/incremental_conductance.hpp"
#include "powerstack/mppt/po_adaptive.hpp"
#include "powerstack/mppt/tracker.hpp"

namespace powerstack::mppt {

class TrackerBank {
 public:
  static constexpr int kCount = 7;

  TrackerBank() = default;
  TrackerBank(const TrackerBank&) = delete;
  TrackerBank& operator=(const TrackerBank&) = delete;

  // The tracker called `name`, or nullptr (also for a null name).
  Tracker* find(const char* name);
  // Index in [0, kCount): the trackers in a fixed order (the two FUGU baselines first);
  // nullptr outside.
  Tracker* at(int index);
  // Name of tracker `index`, nullptr outside [0, kCount).
  [[nodiscard]] static const char* name_at(int index);
  // Control period of tracker `name` in seconds; 0 for an unknown name.
  [[nodiscard]] static float control_period_s(const char* name);

 private:
  FuguOriginal fugu_original_;
  FuguFl4p fugu_fl4p_;
  PoAdaptive po_adaptive_;
  IncrementalConductance incremental_conductance_;
  ConstantVoltage constant_voltage_;
  HybridCvPo hybrid_cv_po_;
  GlobalScan global_scan_;
};

}  // namespace powerstack::mppt
