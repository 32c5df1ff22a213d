// ngspice netlist writer: each part as the behavioural element the network assumes
// (docs/design-spice.md has the mapping and why).
#include "powerstack/design/spice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>

#include "powerstack/design/network.hpp"
#include "powerstack/design/timeline.hpp"
#include "sim/models/battery_chemistry.hpp"
#include "spice_detail.hpp"

namespace powerstack::design {

namespace {

constexpr double kROn = 1e-3;      // output resistance of an ideal one-way driver
constexpr double kEdgeS = 1e-6;    // rise time of a PWL step
constexpr double kRLeak = 1e9;     // every rail to ground, so no node floats ...
constexpr double kCRail = 100e-9;  // ... and a little capacitance, so a rail that collapses
                                   // (a converter below its UVLO) does not stall the solver
constexpr double kChargeA = 2.0;   // the time-domain check's charge limit of a bank ...
constexpr double kChargeR = 0.05;  // ... through at least this resistance

std::string num(double x) {
  return fmt::format("{:.10g}", x);
}

std::string clean(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (ch >= 'A' && ch <= 'Z') {
      out += static_cast<char>(ch - 'A' + 'a');
    } else {
      out += ok ? ch : '_';
    }
  }
  return out;
}

// A load drawing its current only on a live rail (the network: when v > 0).
std::string live(const std::string& node) {
  return fmt::format("min(1,max(0,v({})/1m))", node);
}

class Writer {
 public:
  Writer(const Design& d, const Network& net, double t_stop)
      : d_(d), net_(net), t_stop_(t_stop), edges_(schedule_edges_s(d)) {}

  std::string error;
  std::string out;

  void line(const std::string& s) { out += s + "\n"; }

  // Registers a component's cleaned name; two names that clean to the same are an error.
  std::string id(const std::string& name) {
    std::string c = clean(name);
    const auto [it, fresh] = ids_.try_emplace(c, name);
    if (!fresh && it->second != name && error.empty()) {
      error = fmt::format("'{}' and '{}' map to the same SPICE name '{}'; rename one", name,
                          it->second, c);
    }
    return c;
  }

  // A quantity that follows the scenario (presence, mode, load current): a literal when it
  // never changes, else a PWL voltage source and the expression reading it.
  std::string control(const std::string& node, const std::function<double(const Conditions&)>& f) {
    std::vector<double> cuts{0.0};
    for (const double e : edges_) {
      if (e > 0.0 && e < t_stop_)
        cuts.push_back(e);
    }
    cuts.push_back(t_stop_);
    std::vector<double> vals;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k)
      vals.push_back(f(conditions_at(d_, (cuts[k] + cuts[k + 1]) / 2.0)));
    if (std::all_of(vals.begin(), vals.end(), [&](double v) { return v == vals.front(); }))
      return num(vals.front());
    std::string pwl = fmt::format("0 {}", num(vals.front()));
    for (std::size_t k = 1; k < vals.size(); ++k) {
      if (vals[k] == vals[k - 1])
        continue;
      const double edge = std::min(kEdgeS, (cuts[k + 1] - cuts[k]) / 10.0);
      pwl += fmt::format(" {} {} {} {}", num(cuts[k] - edge / 2.0), num(vals[k - 1]),
                         num(cuts[k] + edge / 2.0), num(vals[k]));
    }
    line(fmt::format("V{} {} 0 PWL({})", node, node, pwl));
    return fmt::format("v({})", node);
  }

  std::string present(const std::string& name) {
    return control("ctl_" + id(name),
                   [name](const Conditions& c) { return c.off.contains(name) ? 0.0 : 1.0; });
  }

  // A one-way current `expr` from `from` (or nowhere) into `to` (or nowhere): a node carries the
  // current, so the input and output elements read the same value.
  std::string flow(const std::string& tag, const std::string& from, const std::string& to,
                   const std::string& expr) {
    const std::string x = "x_" + tag + "_i";
    line(fmt::format("B{}_i {} 0 V={}", tag, x, expr));
    if (!to.empty())
      line(fmt::format("B{}_o 0 {} I=v({})", tag, to, x));
    if (!from.empty())
      line(fmt::format("B{}_f {} 0 I=v({})", tag, from, x));
    return fmt::format("v({})", x);
  }

  static std::string rail(const std::string& r) { return spice_node(r); }

  // Whether anything but storage and a current-injecting bus can drive the rail.
  [[nodiscard]] bool driven_rail(const std::string& r) const {
    bool tank = false;
    for (const auto& st : d_.storage)
      tank = tank || st.rail == r;
    for (const auto& s : d_.sources) {
      if (s.out == r && s.present && !(s.kind == SourceKind::kBus && tank))
        return true;
    }
    for (const auto& cv : d_.converters) {
      if (cv.out == r)
        return true;
    }
    for (const auto& x : d_.diodes) {
      if (x.to == r)
        return true;
    }
    for (const auto& x : d_.switches) {
      if (x.to == r)
        return true;
    }
    return false;
  }

  void sources();
  void storage();
  void converters();
  void passives();
  void loads();

 private:
  const Design& d_;
  const Network& net_;
  double t_stop_;
  std::vector<double> edges_;
  std::map<std::string, std::string> ids_;
};

void Writer::sources() {
  for (const auto& s : d_.sources) {
    const std::string n = id(s.name);
    const std::string o = rail(s.out);
    if (!s.present) {
      line(fmt::format("* source {}: not present (left out, as in every computation)", s.name));
      continue;
    }
    line(fmt::format("* source {} ({})", s.name, to_string(s.kind)));
    const std::string p = present(s.name);
    bool tank = false;
    for (const auto& st : d_.storage)
      tank = tank || st.rail == s.out;
    if (s.kind == SourceKind::kBus && tank) {
      if (s.i_max_a <= 0.0) {
        error = fmt::format("source '{}': a bus feeding storage needs i_max_a (its fan-in limit)",
                            s.name);
        return;
      }
      flow(n, "", o,
           fmt::format("{}*max(0,min(({}-v({}))/{},{}))", p, num(s.v_v), o,
                       num(std::max(s.r_series_ohm, 1e-3)), num(s.i_max_a)));
    } else if (s.kind == SourceKind::kAcRectifier) {
      if (s.c_reservoir_f.nominal <= 0.0 || s.r_winding_ohm <= 0.0 || s.f_hz <= 0.0) {
        error = fmt::format(
            "source '{}': a rectifier needs a reservoir, a winding resistance and a frequency",
            s.name);
        return;
      }
      const std::string sec = "x_" + n + "_sec";
      const std::string res = "x_" + n + "_res";
      line(fmt::format("B{}_sec {} 0 V={}*{}*sin({}*time)", n, sec, p,
                       num(std::numbers::sqrt2 * s.v_v), num(2.0 * std::numbers::pi * s.f_hz)));
      flow(n + "_br", "", res,
           fmt::format("max(0,(abs(v({}))-{}-v({}))/{})", sec, num(2.0 * s.v_diode_v), res,
                       num(s.r_winding_ohm)));
      line(fmt::format("C{}_res {} 0 {}", n, res, num(s.c_reservoir_f.nominal)));
      line(fmt::format(".ic v({})={}", res, num(Network::rectifier_peak_v(s, 1.0))));
      flow(n, res, o, fmt::format("{}*max(0,(v({})-v({}))/{})", p, res, o, num(kROn)));
    } else {
      const double r = s.kind == SourceKind::kBus ? std::max(s.r_series_ohm, kROn) : kROn;
      flow(n, "", o, fmt::format("{}*max(0,({}-v({}))/{})", p, num(s.v_v), o, num(r)));
    }
  }
}

void Writer::storage() {
  for (const auto& st : d_.storage) {
    const std::string n = id(st.name);
    const std::string r = rail(st.rail);
    const std::string p = present(st.name);
    if (st.kind == StorageKind::kBattery) {
      const auto& prof = sim::chemistry_profile(st.chemistry);
      const double q_c = st.capacity_ah * st.parallel * 3600.0;
      if (q_c <= 0.0) {
        error = fmt::format("storage '{}': a battery needs a capacity", st.name);
        return;
      }
      line(fmt::format(
          "* storage {} (battery, {}, {}s{}p): SOC on a {} F node, OCV table, R {} ohm", st.name,
          prof.name, st.series, st.parallel, num(q_c), num(Network::pack_r_ohm(st))));
      const std::string soc = "x_" + n + "_soc";
      const std::string ocv = "x_" + n + "_ocv";
      line(fmt::format("C{}_soc {} 0 {}", n, soc, num(q_c)));
      line(fmt::format(".ic v({})={}", soc, num(st.soc_initial)));
      std::string table;
      for (std::size_t k = 0; k < prof.ocv_soc.size(); ++k) {
        table += fmt::format(",{},{}", num(prof.ocv_soc[k]),
                             num(sim::ocv_v(prof, prof.ocv_soc[k], 25.0) * st.series));
      }
      line(fmt::format("B{}_ocv {} 0 V=pwl(v({}){})", n, ocv, soc, table));
      const std::string i = flow(n, "", r,
                                 fmt::format("{}*max(0,(v({})-v({}))/{})", p, ocv, r,
                                             num(std::max(Network::pack_r_ohm(st), kROn))));
      line(fmt::format("B{}_dis {} 0 I={}", n, soc, i));
      continue;
    }
    const double c_f = Network::bank_c_f(st);
    if (c_f <= 0.0) {
      error = fmt::format("storage '{}': no capacitance", st.name);
      return;
    }
    const std::string c = "x_" + n + "_c";
    const double esr = std::max(Network::bank_esr_ohm(st), kROn);
    line(fmt::format("* storage {} ({}, {}s{}p): {} F, ESR {} ohm", st.name, to_string(st.kind),
                     st.series, st.parallel, num(c_f), num(Network::bank_esr_ohm(st))));
    line(fmt::format("C{} {} 0 {}", n, c, num(c_f)));
    line(fmt::format(".ic v({})={}", c, num(net_.storage_full_v(st))));
    // Discharge through the ESR. Charge: from a driver holding the rail above the bank, as
    // the time-domain check does (at most 2 A through at least 0.05 ohm); on a rail with no
    // driver (a bus injecting current) through the ESR, as the network does.
    if (driven_rail(st.rail)) {
      line(fmt::format(
          "B{} {} {} I={}*((v({})-v({}))>0 ? (v({})-v({}))/{} : -min({},(v({})-v({}))/{}))", n, c,
          r, p, c, r, c, r, num(esr), num(kChargeA), r, c,
          num(std::max(Network::bank_esr_ohm(st), kChargeR))));
    } else {
      line(fmt::format("B{} {} {} I={}*(v({})-v({}))/{}", n, c, r, p, c, r, num(esr)));
    }
    if (st.r_balance_ohm.nominal > 0.0) {
      line(fmt::format("B{}_bal {} 0 I={}*v({})/{}", n, r, p, r,
                       num(st.series * st.r_balance_ohm.nominal)));
    }
    if (st.r_load_ohm > 0.0)
      line(fmt::format("* {}: r_load_ohm (RC retention figure only) not in the circuit", st.name));
  }
}

void Writer::converters() {
  for (const auto& cv : d_.converters) {
    const std::string n = id(cv.name);
    const std::string in = rail(cv.in);
    const std::string o = rail(cv.out);
    line(fmt::format("* converter {} ({})", cv.name, to_string(cv.kind)));
    const std::string run =
        cv.v_in_min_v > 0.0 ? fmt::format("min(1,max(0,(v({})-{})/1m+1))", in, num(cv.v_in_min_v))
                            : fmt::format("min(1,max(0,v({})/1m))", in);
    if (cv.kind == ConverterKind::kCharger) {
      const Storage* bat = nullptr;
      for (const auto& st : d_.storage) {
        if (st.name == cv.battery)
          bat = &st;
      }
      const std::string x = "x_" + n + "_i";
      line(fmt::format("B{}_i {} 0 V={}*max(0,(v({})-{}-v({}))/{})", n, x, run, in,
                       num(cv.v_path_drop_v), o, num(kROn)));
      line(fmt::format("B{}_o 0 {} I=v({})", n, o, x));
      line(fmt::format("B{}_f {} 0 I=v({})+{}*{}", n, in, x, num(cv.i_q_a), run));
      if (bat != nullptr) {
        const std::string b = rail(bat->rail);
        flow(n + "_bat", b, o,
             fmt::format("{}*max(0,(v({})-v({}))/{})", present(bat->name), b, o, num(kROn)));
      }
      continue;
    }
    std::string io;
    const std::string reg = fmt::format("({}-v({}))/{}", num(cv.v_out_v), o, num(kROn));
    const std::string track = fmt::format("(v({})-{}-v({}))/{}", in, num(cv.v_dropout_v), o,
                                          num(kROn + cv.r_dropout_ohm));
    if (cv.kind == ConverterKind::kLdo || cv.kind == ConverterKind::kBuck) {
      io = fmt::format("{}*max(0,min({},{}))", run, reg, track);
    } else if (cv.kind == ConverterKind::kBoost) {
      io = fmt::format("{}*max(0,max({},{}))", run, reg, track);
    } else {
      io = fmt::format("{}*max(0,{})", run, reg);
    }
    const std::string x = "x_" + n + "_i";
    line(fmt::format("B{}_i {} 0 V={}", n, x, io));
    line(fmt::format("B{}_o 0 {} I=v({})", n, o, x));
    if (cv.kind == ConverterKind::kLdo) {
      line(fmt::format("B{}_f {} 0 I=v({})+{}*{}", n, in, x, num(cv.i_q_a), run));
    } else {
      if (cv.efficiency <= 0.0) {
        error = fmt::format("converter '{}': efficiency must be above 0", cv.name);
        return;
      }
      line(fmt::format("B{}_f {} 0 I=v({})*v({})/({}*max(v({}),1m))+{}*{}", n, in, o, x,
                       num(cv.efficiency), in, num(cv.i_q_a), run));
    }
  }
}

void Writer::passives() {
  for (const auto& dd : d_.diodes) {
    const std::string f = rail(dd.from);
    const std::string t = rail(dd.to);
    line(fmt::format("* diode {}: V_f {} V + {} ohm, one way", dd.name, num(dd.v_f_v),
                     num(dd.r_on_ohm)));
    flow(id(dd.name), f, t,
         fmt::format("max(0,(v({})-{}-v({}))/{})", f, num(dd.v_f_v), t,
                     num(std::max(dd.r_on_ohm, kROn))));
  }
  for (const auto& sw : d_.switches) {
    const std::string f = rail(sw.from);
    const std::string t = rail(sw.to);
    const std::string n = id(sw.name);
    line(fmt::format("* switch {}: R_DS(on) {} ohm, off in its open_in modes", sw.name,
                     num(sw.r_ds_on_ohm)));
    const std::string on = control("on_" + n, [&sw](const Conditions& c) {
      return std::find(sw.open_in.begin(), sw.open_in.end(), c.mode) == sw.open_in.end() ? 1.0
                                                                                         : 0.0;
    });
    flow(n, f, t,
         fmt::format("{}*max(0,(v({})-v({}))/{})", on, f, t, num(std::max(sw.r_ds_on_ohm, kROn))));
  }
  for (const auto& dv : d_.dividers) {
    const std::string n = id(dv.name);
    const std::string adc = "x_" + n + "_adc";
    line(fmt::format("* divider {}", dv.name));
    line(fmt::format("R{}_t {} {} {}", n, rail(dv.in), adc, num(dv.r_top_ohm.nominal)));
    line(fmt::format("R{}_b {} 0 {}", n, adc, num(dv.r_bottom_ohm.nominal)));
  }
  for (const auto& cp : d_.comparators) {
    const std::string s = rail(cp.supply);
    line(fmt::format("* comparator {}: its supply current", cp.name));
    line(fmt::format("B{} {} 0 I={}*{}", id(cp.name), s, num(cp.i_supply_a), live(s)));
  }
}

void Writer::loads() {
  for (const auto& l : d_.loads) {
    const std::string n = id(l.name);
    const std::string r = rail(l.rail);
    line(fmt::format("* load {} on {}", l.name, l.rail));
    const std::string i = control("ld_" + n, [&l](const Conditions& c) {
      const auto o = c.load_override_a.find(l.name);
      if (o != c.load_override_a.end())
        return o->second;
      const auto m = l.mode_i_a.find(c.mode);
      return m == l.mode_i_a.end() ? 0.0 : m->second;
    });
    line(fmt::format("B{} {} 0 I={}*{}", n, r, i, live(r)));
  }
}

}  // namespace

std::string spice_node(const std::string& rail) {
  return "n_" + clean(rail);
}

SpiceExport export_spice(const Design& d, const SpiceOptions& o) {
  SpiceExport x;
  x.error = make_scenario(d, o, x.scenario, x.measures);
  if (!x.error.empty())
    return x;
  const Design& s = x.scenario;
  const Network net(s);
  x.t_stop_s = timeline_end_s(s);
  Writer w(s, net, x.t_stop_s);
  w.line(fmt::format("* {} ({}): powerstack design spice", s.name, s.file));
  w.line(fmt::format("* scenario: {}", !o.holdup.empty() ? "hold-up of " + o.holdup
                                       : o.event.empty() ? std::string("the design's events")
                                                         : "event " + o.event));
  std::map<std::string, std::string> nodes;
  for (const auto& r : net.rail_order()) {
    const auto [it, fresh] = nodes.try_emplace(spice_node(r), r);
    if (!fresh) {
      x.error = fmt::format("rails '{}' and '{}' map to the same SPICE node '{}'; rename one", r,
                            it->second, it->first);
      return x;
    }
    w.line(fmt::format("Rleak_{} {} 0 {}", clean(r), spice_node(r), num(kRLeak)));
    w.line(fmt::format("Crail_{} {} 0 {}", clean(r), spice_node(r), num(kCRail)));
  }
  w.sources();
  w.storage();
  w.converters();
  w.passives();
  w.loads();
  if (!w.error.empty()) {
    x.error = w.error;
    return x;
  }
  double t_max = timeline_dt_s(s);
  for (const auto& src : s.sources) {
    // A rectifier that is on at some time: steps short enough for its conduction angle.
    bool on = false;
    std::vector<double> cuts = schedule_edges_s(s);
    cuts.push_back(0.0);
    for (const double t : cuts)
      on = on || (t < x.t_stop_s && !conditions_at(s, t + 1e-9).off.contains(src.name));
    if (src.kind == SourceKind::kAcRectifier && src.present && on)
      t_max = std::min(t_max, 1.0 / (200.0 * src.f_hz));
  }
  w.line(".options reltol=1e-4");
  w.line(fmt::format(".tran {} {} 0 {}", num(t_max), num(x.t_stop_s), num(t_max)));
  for (const auto& m : x.measures) {
    const std::string r = spice_node(m.rail);
    switch (m.kind) {
      case MeasureKind::kRailMin:
        w.line(fmt::format(".meas tran {} MIN v({}) FROM=0 TO={}", m.name, r, num(x.t_stop_s)));
        break;
      case MeasureKind::kDrop:
        w.line(fmt::format(".meas tran {}_v0 FIND v(x_{}_c) AT={}", m.name, clean(m.storage),
                           num(m.t_from_s)));
        w.line(fmt::format(".meas tran {}_min MIN v({}) FROM={} TO={}", m.name, r, num(m.t_from_s),
                           num(std::min(m.t_to_s + kEdgeS, x.t_stop_s))));
        break;
      case MeasureKind::kHoldUp:
        w.line(fmt::format(".meas tran {} WHEN v({})={} FALL=1", m.name, r, num(m.v_ref_v)));
        break;
    }
  }
  w.line(".end");
  x.netlist = std::move(w.out);
  return x;
}

}  // namespace powerstack::design
