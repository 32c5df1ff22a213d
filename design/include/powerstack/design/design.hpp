// A power design as data: the parts, sources, storage, converters, diodes, switches, dividers,
// comparators, loads, events and claims of one device (one alternative of it). Read from TOML
// by parse_design_file() (docs/design-files.md); every figure and rule works on this.
//
// Conventions: SI units in every name (v, a, w, f, ohm, s, j); currents of loads are drawn
// from their rail (positive = out of the rail into the load); a converter's input current is
// positive into its input. Rails are named nets; a component names the rails it joins. A
// `line` field is the line of the component in its file, for findings and errors.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/models/battery_chemistry.hpp"

namespace powerstack::design {

// A library part: value (F, ohm, Ah ...), tolerance as a fraction, rating and price.
struct Part {
  std::string name;
  std::string description;
  std::string kind;        // capacitor, supercap, resistor, cell, other
  double value = 0.0;      // F for capacitors, ohm for resistors, Ah for cells
  double tolerance = 0.0;  // +- fraction of value
  double v_rated_v = 0.0;  // 0 = not stated
  double esr_ohm = 0.0;
  double price_eur = 0.0;
  int line = 0;
};

// A passive value that comes from a part or is given inline.
struct Value {
  double nominal = 0.0;
  double tolerance = 0.0;
  std::string part;  // empty when inline
};

enum class SourceKind { kUsb, kBus, kAcRectifier, kSolar, kDc };

struct Source {
  std::string name;
  SourceKind kind = SourceKind::kDc;
  std::string out;       // rail
  double v_v = 5.0;      // nominal output (bus: open-circuit; ac: secondary RMS)
  double v_min_v = 0.0;  // range at the rail (computed for ac-rectifier)
  double v_max_v = 0.0;
  double i_max_a = 0.0;  // rated current (USB port, bus fan-in, bridge); 0 = none
  // bus
  double r_series_ohm = 0.0;
  // ac-rectifier: secondary RMS v_v, mains tolerance, bridge, reservoir
  double f_hz = 50.0;
  double mains_tolerance = 0.1;
  double r_winding_ohm = 1.0;
  double v_diode_v = 0.7;
  Value c_reservoir_f;
  // solar: peak power at the panel, peak sun hours per day, panel-to-storage efficiency
  double p_peak_w = 0.0;
  double sun_hours = 0.0;
  bool present = true;  // false: connected only sometimes (USB for development)
  double price_eur = 0.0;
  int qty = 1;
  int line = 0;
};

enum class StorageKind { kCapacitor, kSupercap, kBattery };

struct Storage {
  std::string name;
  StorageKind kind = StorageKind::kCapacitor;
  std::string rail;
  Value c_f;               // one element (capacitor, supercap)
  double v_rated_v = 0.0;  // one element
  double esr_ohm = 0.0;    // one element
  int series = 1;
  int parallel = 1;
  Value r_balance_ohm;       // across each series element; nominal 0 = none
  double r_load_ohm = 0.0;   // a resistive load on the storage alone (RC retention); 0 = none
  double v_hold_v = 0.0;     // RC retention: the voltage the load needs
  double v_initial_v = 0.0;  // 0 = charged to the rail's driven voltage
  double v_min_v = 0.0;      // usable lower limit stated by the design (0 = not stated)
  // battery
  sim::Chemistry chemistry = sim::Chemistry::kLiIon;
  double capacity_ah = 0.0;
  double capacity_tolerance = 0.0;
  double v_cutoff_v = 0.0;       // per cell; 0 = the chemistry's discharge cut-off
  double v_full_v = 0.0;         // per cell; 0 = the chemistry's charge voltage
  double r_internal_ohm = 0.0;   // pack; 0 = typical for the capacity
  double max_discharge_c = 0.0;  // 0 = not stated
  double soc_initial = 1.0;
  double price_eur = 0.0;  // per element
  int line = 0;
};

enum class ConverterKind { kLdo, kBuck, kBoost, kBuckBoost, kCharger };

struct Converter {
  std::string name;
  ConverterKind kind = ConverterKind::kLdo;
  std::string in;
  std::string out;
  std::string battery;   // charger: the storage it charges
  double v_out_v = 3.3;  // charger: ignored (pass-through)
  double v_out_tolerance = 0.0;
  double efficiency = 0.9;   // switching converters
  double v_dropout_v = 0.0;  // LDO dropout; buck: minimum input-output difference
  double r_dropout_ohm = 0.0;
  double i_q_a = 0.0;
  double i_max_a = 0.0;        // 0 = none
  double v_in_min_v = 0.0;     // lowest input it runs from (UVLO off); 0 = none stated
  double v_in_max_v = 0.0;     // rating; 0 = none stated
  double v_charge_v = 0.0;     // charger: per-cell charge voltage
  double i_charge_a = 0.0;     // charger
  double v_path_drop_v = 0.0;  // charger: input-to-output drop of the power path
  double price_eur = 0.0;
  int line = 0;
};

struct Diode {
  std::string name;
  std::string from;
  std::string to;
  double v_f_v = 0.3;     // at i_ref_a
  double r_on_ohm = 0.0;  // slope above the drop
  double v_rrm_v = 0.0;   // reverse rating; 0 = not stated
  double i_max_a = 0.0;
  double price_eur = 0.0;
  int line = 0;
};

struct Switch {
  std::string name;
  bool p_channel = true;
  std::string from;  // source terminal side (P: high side)
  std::string to;
  std::string gate_high;  // rail the gate is driven to when high (e.g. a GPIO's supply)
  double v_gate_low_v = 0.0;
  double v_th_min_v = 0.0;  // |Vgs(th)| range
  double v_th_max_v = 0.0;
  double v_gs_on_v = 0.0;  // |Vgs| at which r_ds_on is specified
  double r_ds_on_ohm = 0.0;
  double v_ds_max_v = 0.0;
  double v_gs_max_v = 0.0;
  std::vector<std::string> open_in;  // modes in which the switch is commanded off
  double price_eur = 0.0;
  int line = 0;
};

struct ThresholdPoint {
  std::string label;
  double v_in_v = 0.0;
};

struct Divider {
  std::string name;
  std::string in;  // rail measured
  Value r_top_ohm;
  Value r_bottom_ohm;
  double c_filter_f = 0.0;
  std::string adc;           // label of the ADC setting
  double adc_v_min_v = 0.0;  // usable range of the ADC setting
  double adc_v_max_v = 0.0;
  double adc_supply_v = 0.0;  // the ADC's supply (pin limit); 0 = not stated
  std::vector<ThresholdPoint> points;
  double price_eur = 0.0;
  int line = 0;
};

struct Comparator {
  std::string name;
  std::string in;      // rail sensed through r_in
  std::string supply;  // rail that supplies it and pulls its output up
  double v_ref_v = 0.0;
  Value r_in_ohm;
  Value r_hyst_ohm;  // output to + input; 0 = none
  double i_supply_a = 0.0;
  double v_cm_headroom_v = 0.0;  // inputs must stay this far below the supply (LM393: 1.5 V)
  double price_eur = 0.0;
  int line = 0;
};

struct Burst {
  double i_a = 0.0;  // the load's current during a burst
  double width_s = 0.0;
  double period_s = 0.0;  // 0 = single
};

struct Load {
  std::string name;
  std::string rail;
  std::map<std::string, double> mode_i_a;  // current per mode (absent mode = 0)
  double v_min_v = 0.0;                    // brown-out: below this the load resets
  double v_max_v = 0.0;                    // absolute maximum; 0 = not stated
  std::optional<Burst> burst;
  double price_eur = 0.0;
  int line = 0;
};

enum class EventKind { kBurst, kDropout, kSwap };

struct Event {
  EventKind kind = EventKind::kBurst;
  double t_s = 0.0;
  double duration_s = 0.0;
  std::string target;  // dropout: source; swap: storage; burst: load
  std::string mode;    // dropout/swap: load mode during the event ("" = base mode)
  int line = 0;
};

// A figure stated by the design's author (a hand calculation) checked against the computed
// one by the rule `claim`.
struct Claim {
  std::string figure;
  double value = 0.0;
  double tolerance = 0.05;  // relative
  std::string text;
  int line = 0;
};

struct BomLine {
  std::string item;
  double price_eur = 0.0;
  int qty = 1;
};

struct Requirements {
  double i_sleep_max_a = 0.0;  // from the source of the sleep rail; 0 = none
  std::string sleep_mode = "sleep";
  double hold_up_s = 0.0;  // ride-through the events need; 0 = none
  double brownout_margin_v = 0.1;
  double cap_derating = 0.8;  // highest fraction of a capacitor's rating in use
  double fet_derating = 0.8;
};

struct Usage {
  std::string base_mode;                    // mode outside events (simulation, hold-up)
  std::string ride_mode;                    // mode during drop-outs (hold-up figures)
  std::map<std::string, double> day_hours;  // hours per mode in a day
};

struct MonteCarlo {
  int runs = 100;
  std::uint64_t seed = 1;
};

struct Design {
  std::string file;
  std::string name;         // "device" or "device / alternative"
  std::string alternative;  // "" when the file has none
  std::string notes;        // lifespan, safety ... (comparison table)
  std::vector<std::string> modes;
  std::map<std::string, Part> parts;
  std::vector<Source> sources;
  std::vector<Storage> storage;
  std::vector<Converter> converters;
  std::vector<Diode> diodes;
  std::vector<Switch> switches;
  std::vector<Divider> dividers;
  std::vector<Comparator> comparators;
  std::vector<Load> loads;
  std::vector<Event> events;
  std::vector<Claim> claims;
  std::vector<BomLine> bom;
  Requirements req;
  Usage usage;
  MonteCarlo mc;
  double sim_dt_s = 0.0;    // 0 = chosen from the events
  double sim_tail_s = 0.5;  // simulated time after the last event
};

// The file as read: one design per alternative (one if it has none).
struct DesignFile {
  std::vector<Design> designs;
};

const char* to_string(SourceKind k);
const char* to_string(StorageKind k);
const char* to_string(ConverterKind k);
const char* to_string(EventKind k);

}  // namespace powerstack::design
