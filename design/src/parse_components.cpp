// The readers of the design file's component tables (one function a table type).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "parse_detail.hpp"

namespace powerstack::design::detail {

namespace {

struct AdcSetting {
  const char* name;
  double v_min_v;
  double v_max_v;
};

// Recommended input ranges per attenuation (ESP-IDF / datasheets; see docs/design-files.md).
constexpr AdcSetting kAdcSettings[] = {
    {"esp32:0db", 0.10, 0.95},   {"esp32:2.5db", 0.10, 1.25},  {"esp32:6db", 0.15, 1.75},
    {"esp32:11db", 0.15, 2.45},  {"esp32-c3:0db", 0.0, 0.80},  {"esp32-c3:2.5db", 0.0, 1.10},
    {"esp32-c3:6db", 0.0, 1.35}, {"esp32-c3:11db", 0.0, 2.60},
};

std::vector<std::string> adc_names() {
  std::vector<std::string> names;
  for (const auto& s : kAdcSettings) {
    names.emplace_back(s.name);
  }
  names.emplace_back("custom");
  return names;
}

}  // namespace

Value read_value(TomlReader& r, const ReadContext& ctx, const std::string& key,
                 const std::string& unit, bool required, std::initializer_list<const char*> kinds) {
  Value v;
  const std::string inline_key = key + "_" + unit;
  const std::string part_key = key + "_part";
  const bool has_inline = r.has(inline_key);
  const bool has_part = r.has(part_key);
  if (has_inline && has_part) {
    r.fail(part_key, "give either '" + inline_key + "' or '" + part_key + "', not both");
    return v;
  }
  if (has_part) {
    v.part = r.text(part_key);
    const auto it = ctx.parts->find(v.part);
    if (it == ctx.parts->end()) {
      r.fail(part_key, "no part named '" + v.part + "' in [parts]");
      return v;
    }
    const bool kind_ok = std::any_of(kinds.begin(), kinds.end(),
                                     [&](const char* k) { return it->second.kind == k; });
    if (!kind_ok) {
      r.fail(part_key,
             "part '" + v.part + "' is a " + it->second.kind + ", not a " + *kinds.begin());
      return v;
    }
    v.nominal = it->second.value;
    v.tolerance = it->second.tolerance;
    return v;
  }
  if (has_inline || required) {
    v.nominal = r.number(inline_key, required ? 1e-15 : 0.0, kBig);
  }
  v.tolerance = r.number_or(key + "_tolerance", 0.0, 0.0, 0.9);
  return v;
}

Part read_part(TomlReader& r, const std::string& name, int line) {
  Part p;
  p.name = name;
  p.line = line;
  p.kind = r.text("kind", {"capacitor", "supercap", "resistor", "cell", "other"});
  p.description = r.text_or("description", "");
  p.value =
      p.kind == "other" ? r.number_or("value", 0.0, 0.0, kBig) : r.number("value", 1e-15, kBig);
  p.tolerance = r.number_or("tolerance", 0.0, 0.0, 0.9);
  p.v_rated_v = r.number_or("v_rated_v", 0.0, 0.0, 1e5);
  p.esr_ohm = r.number_or("esr_ohm", 0.0, 0.0, 1e6);
  p.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  r.finish();
  return p;
}

Source read_source(TomlReader& r, const ReadContext& ctx, int line) {
  Source s;
  s.line = line;
  s.name = r.text("name");
  const std::string kind = r.text("type", {"usb", "bus", "ac-rectifier", "solar", "dc"});
  s.out = r.text("out");
  s.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  s.qty = static_cast<int>(r.integer_or("qty", 1, 1, 1000));
  s.present = r.boolean_or("present", true);
  if (kind == "usb") {
    s.kind = SourceKind::kUsb;
    s.v_v = r.number_or("v_v", 5.0, 0.1, 48.0);
    s.v_min_v = r.number_or("v_min_v", 4.75, 0.0, s.v_v);
    s.v_max_v = r.number_or("v_max_v", 5.25, s.v_v, 60.0);
    s.i_max_a = r.number_or("i_max_a", 0.5, 1e-6, 10.0);
  } else if (kind == "bus") {
    s.kind = SourceKind::kBus;
    s.v_v = r.number("v_v", 0.1, 1000.0);
    s.v_min_v = r.number_or("v_min_v", s.v_v, 0.0, s.v_v);
    s.v_max_v = r.number_or("v_max_v", s.v_v, s.v_v, 1000.0);
    s.i_max_a = r.number("i_max_a", 1e-6, 100.0);
    s.r_series_ohm = r.number_or("r_series_ohm", 0.0, 0.0, 1e6);
  } else if (kind == "ac-rectifier") {
    s.kind = SourceKind::kAcRectifier;
    s.v_v = r.number("v_rms_v", 0.1, 1000.0);
    s.f_hz = r.number_or("f_hz", 50.0, 1.0, 1000.0);
    s.mains_tolerance = r.number_or("mains_tolerance", 0.1, 0.0, 0.5);
    s.r_winding_ohm = r.number_or("r_winding_ohm", 1.0, 1e-6, 1e4);
    s.v_diode_v = r.number_or("v_diode_v", 0.7, 0.0, 5.0);
    s.c_reservoir_f = read_value(r, ctx, "c_reservoir", "f", true, {"capacitor"});
    s.i_max_a = r.number_or("i_max_a", 0.0, 0.0, 100.0);
  } else if (kind == "solar") {
    s.kind = SourceKind::kSolar;
    s.v_v = r.number("v_v", 0.1, 1000.0);
    s.v_min_v = r.number_or("v_min_v", 0.0, 0.0, s.v_v);
    s.v_max_v = r.number_or("v_max_v", s.v_v, s.v_v, 1000.0);
    s.p_peak_w = r.number("p_peak_w", 1e-6, 1e6);
    s.sun_hours = r.number("sun_hours", 0.0, 24.0);
    s.i_max_a = r.number_or("i_max_a", 0.0, 0.0, 100.0);
  } else if (kind == "dc") {
    s.kind = SourceKind::kDc;
    s.v_v = r.number("v_v", 0.0, 1000.0);
    s.v_min_v = r.number_or("v_min_v", s.v_v, 0.0, s.v_v);
    s.v_max_v = r.number_or("v_max_v", s.v_v, s.v_v, 1000.0);
    s.i_max_a = r.number_or("i_max_a", 0.0, 0.0, 1000.0);
  }
  r.finish();
  return s;
}

Storage read_storage(TomlReader& r, const ReadContext& ctx, int line) {
  Storage s;
  s.line = line;
  s.name = r.text("name");
  const std::string kind = r.text("type", {"capacitor", "supercap", "battery"});
  s.rail = r.text("rail");
  s.series = static_cast<int>(r.integer_or("series", 1, 1, 1000));
  s.parallel = static_cast<int>(r.integer_or("parallel", 1, 1, 1000));
  s.v_initial_v = r.number_or("v_initial_v", 0.0, 0.0, 1e4);
  s.v_min_v = r.number_or("v_min_v", 0.0, 0.0, 1e4);
  s.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  if (kind == "battery") {
    s.kind = StorageKind::kBattery;
    const std::string chem = r.text("chemistry", {"li-ion", "lipo", "lifepo4", "lead-acid"});
    s.chemistry = chem == "lifepo4"     ? sim::Chemistry::kLiFePO4
                  : chem == "lead-acid" ? sim::Chemistry::kLeadAcid
                                        : sim::Chemistry::kLiIon;
    const Value cap = read_value(r, ctx, "capacity", "ah", true, {"cell"});
    s.capacity_ah = cap.nominal;
    s.capacity_tolerance = cap.tolerance;
    s.v_cutoff_v = r.number_or("v_cutoff_v", 0.0, 0.0, 20.0);
    s.v_full_v = r.number_or("v_full_v", 0.0, 0.0, 20.0);
    s.r_internal_ohm = r.number_or("r_internal_ohm", 0.0, 0.0, 100.0);
    s.max_discharge_c = r.number_or("max_discharge_c", 0.0, 0.0, 1000.0);
    s.soc_initial = r.number_or("soc_initial", 1.0, 0.0, 1.0);
  } else {
    s.kind = kind == "supercap" ? StorageKind::kSupercap : StorageKind::kCapacitor;
    s.c_f = read_value(r, ctx, "c", "f", true, {"capacitor", "supercap"});
    double rated = 0.0;
    double esr = 0.0;
    const auto part = ctx.parts->find(s.c_f.part);
    if (part != ctx.parts->end()) {  // an unknown part is already an error
      const Part& p = part->second;
      rated = p.v_rated_v;
      esr = p.esr_ohm;
      s.price_eur = s.price_eur > 0.0 ? s.price_eur : p.price_eur;
    }
    s.v_rated_v = r.number_or("v_rated_v", rated, 0.0, 1e5);
    s.esr_ohm = r.number_or("esr_ohm", esr, 0.0, 1e6);
    s.r_balance_ohm = read_value(r, ctx, "r_balance", "ohm", false, {"resistor"});
    s.r_load_ohm = r.number_or("r_load_ohm", 0.0, 0.0, kBig);
    s.v_hold_v = r.number_or("v_hold_v", 0.0, 0.0, 1e4);
    if (s.v_rated_v <= 0.0) {
      r.fail("v_rated_v", "missing: a capacitor needs its voltage rating (here or in its part)");
    }
  }
  r.finish();
  return s;
}

Converter read_converter(TomlReader& r, int line) {
  Converter c;
  c.line = line;
  c.name = r.text("name");
  const std::string kind = r.text("type", {"ldo", "buck", "boost", "buck-boost", "charger"});
  c.in = r.text("in");
  c.out = r.text("out");
  c.i_q_a = r.number_or("i_q_a", 0.0, 0.0, 10.0);
  c.i_max_a = r.number_or("i_max_a", 0.0, 0.0, 1000.0);
  c.v_in_min_v = r.number_or("v_in_min_v", 0.0, 0.0, 1e4);
  c.v_in_max_v = r.number_or("v_in_max_v", 0.0, 0.0, 1e4);
  c.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  if (kind == "charger") {
    c.kind = ConverterKind::kCharger;
    c.battery = r.text("battery");
    c.v_charge_v = r.number("v_charge_v", 0.5, 20.0);
    c.i_charge_a = r.number("i_charge_a", 1e-6, 100.0);
    c.v_path_drop_v = r.number_or("v_path_drop_v", 0.0, 0.0, 5.0);
  } else {
    c.kind = kind == "ldo"     ? ConverterKind::kLdo
             : kind == "buck"  ? ConverterKind::kBuck
             : kind == "boost" ? ConverterKind::kBoost
                               : ConverterKind::kBuckBoost;
    c.v_out_v = r.number("v_out_v", 0.01, 1e4);
    c.v_out_tolerance = r.number_or("v_out_tolerance", 0.0, 0.0, 0.5);
    c.v_dropout_v = r.number_or("v_dropout_v", 0.0, 0.0, 100.0);
    c.r_dropout_ohm = r.number_or("r_dropout_ohm", 0.0, 0.0, 1e3);
    if (c.kind != ConverterKind::kLdo) {
      c.efficiency = r.number("efficiency", 0.01, 1.0);
    }
    if (c.v_in_max_v > 0.0 && c.v_in_min_v > c.v_in_max_v) {
      r.fail("v_in_min_v", "above v_in_max_v");
    }
  }
  r.finish();
  return c;
}

Diode read_diode(TomlReader& r, int line) {
  Diode d;
  d.line = line;
  d.name = r.text("name");
  d.from = r.text("from");
  d.to = r.text("to");
  d.v_f_v = r.number_or("v_f_v", 0.3, 0.0, 5.0);
  d.r_on_ohm = r.number_or("r_on_ohm", 0.0, 0.0, 1e3);
  d.v_rrm_v = r.number_or("v_rrm_v", 0.0, 0.0, 1e5);
  d.i_max_a = r.number_or("i_max_a", 0.0, 0.0, 1e3);
  d.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  r.finish();
  return d;
}

Switch read_switch(TomlReader& r, int line) {
  Switch s;
  s.line = line;
  s.name = r.text("name");
  s.p_channel = r.text("type", {"pmos", "nmos"}) == "pmos";
  s.from = r.text("from");
  s.to = r.text("to");
  s.gate_high = r.text("gate_high");
  s.v_gate_low_v = r.number_or("v_gate_low_v", 0.0, -100.0, 100.0);
  s.v_th_min_v = r.number("v_th_min_v", 0.0, 50.0);
  s.v_th_max_v = r.number("v_th_max_v", s.v_th_min_v, 50.0);
  s.v_gs_on_v = r.number("v_gs_on_v", s.v_th_max_v, 50.0);
  s.r_ds_on_ohm = r.number_or("r_ds_on_ohm", 0.0, 0.0, 1e3);
  s.v_ds_max_v = r.number_or("v_ds_max_v", 0.0, 0.0, 1e4);
  s.v_gs_max_v = r.number_or("v_gs_max_v", 0.0, 0.0, 100.0);
  s.open_in = r.texts("open_in");
  s.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  r.finish();
  return s;
}

Divider read_divider(TomlReader& r, const ReadContext& ctx, int line) {
  Divider d;
  d.line = line;
  d.name = r.text("name");
  d.in = r.text("in");
  d.r_top_ohm = read_value(r, ctx, "r_top", "ohm", true, {"resistor"});
  d.r_bottom_ohm = read_value(r, ctx, "r_bottom", "ohm", true, {"resistor"});
  d.c_filter_f = r.number_or("c_filter_f", 0.0, 0.0, 1.0);
  d.adc = r.text("adc", adc_names());
  if (d.adc == "custom") {
    d.adc_v_min_v = r.number("adc_v_min_v", 0.0, 100.0);
    d.adc_v_max_v = r.number("adc_v_max_v", d.adc_v_min_v, 100.0);
  } else {
    for (const auto& s : kAdcSettings) {
      if (d.adc == s.name) {
        d.adc_v_min_v = s.v_min_v;
        d.adc_v_max_v = s.v_max_v;
      }
    }
  }
  d.adc_supply_v = r.number_or("adc_supply_v", 0.0, 0.0, 100.0);
  for (TomlReader& p : r.tables("point")) {
    ThresholdPoint tp;
    tp.label = p.text("label");
    tp.v_in_v = p.number("v_in_v", 0.0, 1e4);
    p.finish();
    d.points.push_back(tp);
  }
  d.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  r.finish();
  return d;
}

Comparator read_comparator(TomlReader& r, const ReadContext& ctx, int line) {
  Comparator c;
  c.line = line;
  c.name = r.text("name");
  c.in = r.text("in");
  c.supply = r.text("supply");
  c.v_ref_v = r.number("v_ref_v", 0.0, 1e3);
  c.r_in_ohm = read_value(r, ctx, "r_in", "ohm", true, {"resistor"});
  c.r_hyst_ohm = read_value(r, ctx, "r_hyst", "ohm", false, {"resistor"});
  c.i_supply_a = r.number_or("i_supply_a", 0.0, 0.0, 1.0);
  c.v_cm_headroom_v = r.number_or("v_cm_headroom_v", 0.0, 0.0, 10.0);
  c.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  r.finish();
  return c;
}

Load read_load(TomlReader& r, const std::vector<std::string>& modes, int line) {
  Load l;
  l.line = line;
  l.name = r.text("name");
  l.rail = r.text("rail");
  l.v_min_v = r.number_or("v_min_v", 0.0, 0.0, 1e4);
  l.v_max_v = r.number_or("v_max_v", 0.0, 0.0, 1e4);
  l.price_eur = r.number_or("price_eur", 0.0, 0.0, 1e6);
  TomlReader m = r.table("modes");
  if (!m.present()) {
    r.fail("modes", "missing (a table of currents per mode, e.g. { idle = 0.08 })");
  }
  // A key that is not one of [device] modes is refused by finish() as unknown.
  for (const std::string& mode : modes) {
    l.mode_i_a[mode] = m.number_or(mode, 0.0, 0.0, 1000.0);
  }
  m.finish();
  TomlReader b = r.table("burst");
  if (b.present()) {
    Burst burst;
    burst.i_a = b.number("i_a", 0.0, 1000.0);
    burst.width_s = b.number("width_s", 1e-9, 1e6);
    burst.period_s = b.number_or("period_s", 0.0, 0.0, 1e7);
    if (burst.period_s > 0.0 && burst.period_s <= burst.width_s) {
      b.fail("period_s", "must be longer than width_s");
    }
    b.finish();
    l.burst = burst;
  }
  r.finish();
  return l;
}

Event read_event(TomlReader& r, int line) {
  Event e;
  e.line = line;
  const std::string kind = r.text("type", {"burst", "dropout", "swap"});
  e.kind = kind == "burst"     ? EventKind::kBurst
           : kind == "dropout" ? EventKind::kDropout
                               : EventKind::kSwap;
  e.t_s = r.number("t_s", 0.0, 1e7);
  e.target = r.text(e.kind == EventKind::kBurst     ? "load"
                    : e.kind == EventKind::kDropout ? "source"
                                                    : "storage");
  if (e.kind == EventKind::kBurst) {
    e.duration_s = r.number_or("duration_s", 0.0, 0.0, 1e7);
  } else {
    e.duration_s = r.number("duration_s", 1e-9, 1e7);
    e.mode = r.text_or("mode", "");
  }
  r.finish();
  return e;
}

Claim read_claim(TomlReader& r, int line) {
  Claim c;
  c.line = line;
  c.figure = r.text("figure");
  c.value = r.number("value", -kBig, kBig);
  c.tolerance = r.number_or("tolerance", 0.05, 0.0, 10.0);
  c.text = r.text_or("text", "");
  r.finish();
  return c;
}

BomLine read_bom(TomlReader& r) {
  BomLine b;
  b.item = r.text("item");
  b.price_eur = r.number("price_eur", 0.0, 1e6);
  b.qty = static_cast<int>(r.integer_or("qty", 1, 1, 100000));
  r.finish();
  return b;
}

}  // namespace powerstack::design::detail
