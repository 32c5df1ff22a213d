#include "powerstack/mppt/tracker_bank.hpp"

namespace powerstack::mppt {

namespace {

struct Entry {
  const char* name;
  float period_s;
};

// Same order as TrackerBank::at().
constexpr Entry kEntries[TrackerBank::kCount] = {
    {"fugu-original", FuguOriginal::kControlPeriodS},
    {"fugu-fl4p", FuguFl4p::kControlPeriodS},
    {"po-adaptive", PoAdaptive::kControlPeriodS},
    {"incremental-conductance", IncrementalConductance::kControlPeriodS},
    {"constant-voltage", ConstantVoltage::kControlPeriodS},
    {"hybrid-cv-po", HybridCvPo::kControlPeriodS},
    {"global-scan", GlobalScan::kControlPeriodS},
};

bool same(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

int index_of(const char* name) {
  if (name == nullptr) {
    return -1;
  }
  for (int k = 0; k < TrackerBank::kCount; ++k) {
    if (same(kEntries[k].name, name)) {
      return k;
    }
  }
  return -1;
}

}  // namespace

Tracker* TrackerBank::at(int index) {
  switch (index) {
    case 0:
      return &fugu_original_;
    case 1:
      return &fugu_fl4p_;
    case 2:
      return &po_adaptive_;
    case 3:
      return &incremental_conductance_;
    case 4:
      return &constant_voltage_;
    case 5:
      return &hybrid_cv_po_;
    case 6:
      return &global_scan_;
    default:
      return nullptr;
  }
}

Tracker* TrackerBank::find(const char* name) {
  return at(index_of(name));
}

const char* TrackerBank::name_at(int index) {
  return index >= 0 && index < kCount ? kEntries[index].name : nullptr;
}

float TrackerBank::control_period_s(const char* name) {
  const int k = index_of(name);
  return k >= 0 ? kEntries[k].period_s : 0.0f;
}

}  // namespace powerstack::mppt
