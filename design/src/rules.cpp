#include "../rules/rules.hpp"

#include <algorithm>

namespace powerstack::design {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "?";
}

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> rules = {
      {"regulator-headroom", "LDO/buck input over its range stays above output + dropout",
       rules::regulator_headroom},
      {"converter-uvlo", "converter input stays above its minimum (UVLO) in every state",
       rules::converter_uvlo},
      {"adc-range", "divider output within the ADC setting's range, with tolerances",
       rules::adc_range},
      {"voltage-rating", "capacitors (series banks per cell), FETs, diodes, converters, loads",
       rules::voltage_rating},
      {"gate-drive", "MOSFET fully on and fully off from its drive rail", rules::gate_drive},
      {"source-limit", "sources, converters and diodes within their current limits",
       rules::source_limit},
      {"brownout-margin", "load rails above the brown-out level (with margin), in bursts too",
       rules::brownout_margin},
      {"storage-combination", "series banks balanced; balancing losses",
       rules::storage_combination},
      {"battery-limits", "charge/cut-off voltages and C-rates within the chemistry's limits",
       rules::battery_limits},
      {"comparator-input", "comparator inputs inside the common-mode range; trips reachable",
       rules::comparator_input},
      {"sleep-current", "current in the sleep mode within the requirement", rules::sleep_current},
      {"ride-through", "storage holds the loads through the required drop-out",
       rules::ride_through},
      {"claim", "figures stated in the design match the computed ones", rules::claim},
  };
  return rules;
}

std::vector<Finding> check_rules(const Network& net, const Figures& figures) {
  std::vector<Finding> all;
  const RuleContext ctx{net, figures};
  for (const Rule& r : all_rules()) {
    std::vector<Finding> out;
    r.run(ctx, out);
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
      return static_cast<int>(a.severity) > static_cast<int>(b.severity);
    });
    all.insert(all.end(), out.begin(), out.end());
  }
  return all;
}

}  // namespace powerstack::design
