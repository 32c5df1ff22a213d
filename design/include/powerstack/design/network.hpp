// The design's circuit as a network of rails, solved as a static (averaged) operating point:
// rail voltages forward from sources and storage through converters, diodes and switches
// (an OR-ed rail takes the highest driver), then currents backward from the loads to whatever
// supplies each rail. Used by the figures (budget, hold-up, burst drop), the rules and the
// time-domain check, so all of them see the same circuit.
//
// Sign convention: every current is the magnitude flowing in the power direction: out of a
// source or storage (discharging, positive), into a converter's input, out of its output.
// storage_i_a < 0 means the storage is being charged (e.g. a bus source filling its tank).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "powerstack/design/design.hpp"

namespace powerstack::design {

struct Conditions {
  std::string mode;
  std::map<std::string, double> load_override_a;  // load name -> current (a burst)
  std::map<std::string, double> storage_v;        // storage name -> voltage on its capacitance
                                                  // (battery: open-circuit voltage of the pack)
  std::map<std::string, double> source_v;         // rectifier node voltage (time domain)
  std::set<std::string> off;                      // sources dropped out, storage removed
  bool charging = false;                          // chargers draw their charge current
};

struct Solution {
  std::map<std::string, double> rail_v;
  std::map<std::string, double> rail_demand_a;  // everything drawn from the rail
  std::map<std::string, std::string> supplier;  // rail -> component that supplies it
  std::map<std::string, double> source_i_a;
  std::map<std::string, double> storage_i_a;
  std::map<std::string, double> in_i_a;   // converter/diode/switch input current
  std::map<std::string, double> out_i_a;  // converter/diode/switch output current
  std::map<std::string, bool> running;    // converter -> input above its minimum
  std::map<std::string, double> load_i_a;
  std::map<std::string, double> driven_v;  // rail -> highest driver other than storage

  [[nodiscard]] double v(const std::string& rail) const;
  // Power delivered by each source and storage (W).
  [[nodiscard]] double source_power_w(const Design& d, const std::string& name) const;
};

// Voltage range of every rail in normal operation (sources over their tolerance, storage
// between its usable limits, converters over their output tolerance).
struct RailRange {
  double v_min_v = 0.0;
  double v_max_v = 0.0;
};

class Network {
 public:
  explicit Network(const Design& d);

  [[nodiscard]] Solution solve(const Conditions& c) const;
  [[nodiscard]] const std::map<std::string, RailRange>& ranges() const { return ranges_; }
  [[nodiscard]] const Design& design() const { return d_; }
  // Rails in supply order (every rail after the rails that feed it).
  [[nodiscard]] const std::vector<std::string>& rail_order() const { return order_; }
  // Nominal voltage of a storage when charged (its stated v_initial, or the rail's driven
  // voltage without it, or for batteries the full voltage).
  [[nodiscard]] double storage_full_v(const Storage& s) const;
  // Total capacitance of a capacitor/supercap bank (series/parallel of its element).
  [[nodiscard]] static double bank_c_f(const Storage& s);
  [[nodiscard]] static double bank_esr_ohm(const Storage& s);
  // Battery pack: open-circuit voltage at soc, internal resistance, cut-off and full voltage.
  [[nodiscard]] static double pack_ocv_v(const Storage& s, double soc);
  [[nodiscard]] static double pack_r_ohm(const Storage& s);
  [[nodiscard]] static double pack_cutoff_v(const Storage& s);
  [[nodiscard]] static double pack_full_v(const Storage& s);
  // Output of a running converter (not a charger) at input vin and output current i_out_a:
  // its set voltage, limited by the dropout of a linear/buck regulator, passed through a boost.
  [[nodiscard]] static double converter_out_v(const Converter& cv, double vin, double i_out_a);
  // No-load DC voltage of a rectifier source at a mains factor (1 = nominal).
  [[nodiscard]] static double rectifier_peak_v(const Source& s, double mains_factor);

 private:
  [[nodiscard]] Solution pass(const Conditions& c, const Solution* prev) const;
  void compute_ranges();

  Design d_;
  std::vector<std::string> order_;
  std::map<std::string, RailRange> ranges_;
  std::map<std::string, double> driven_full_v_;  // rail -> voltage without storage
};

}  // namespace powerstack::design
