// The network compiled once per run into index form for the time-domain check: every rail and
// every component name becomes an integer, the per-rail element lists are vectors, and the
// solve writes into buffers it owns, so a step does no string compare, map look-up or
// allocation. It does the same arithmetic in the same order as Network::solve (values keyed by
// name there are keyed by name id here, so even duplicate names behave alike): same results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "powerstack/design/network.hpp"
#include "sim/models/bus_source.hpp"

namespace powerstack::design::detail {

// Conditions in index form (see Conditions). storage_v must be set for every storage.
struct StepConditions {
  int mode = 0;                    // mode id
  std::vector<char> has_override;  // per name id: a load override (burst) is set
  std::vector<double> load_override_a;
  std::vector<char> off;  // per name id
  std::vector<double> storage_v;
  std::vector<char> has_source_v;  // per name id: rectifier node voltage given
  std::vector<double> source_v;
  bool charging = false;
};

// Solution in index form: rail values per rail id, component values per name id (0 = unset).
struct StepSolution {
  std::vector<double> rail_v;
  std::vector<int> supplier;  // name id, -1: none
  std::vector<double> source_i_a;
  std::vector<double> storage_i_a;
  std::vector<double> in_i_a;
  std::vector<double> out_i_a;
  std::vector<double> load_i_a;
  std::vector<double> pending_a;  // per rail id: current drawn by downstream elements
  [[nodiscard]] double v(int rail) const { return rail_v[static_cast<std::size_t>(rail)]; }
};

class CompiledNetwork {
 public:
  // Rail ids 0..rail_order().size()-1 follow net.rail_order(); rails outside it (in a supply
  // loop) come after and stay at 0 V, as in Network.
  explicit CompiledNetwork(const Network& net);

  // Ids of every component name, event target, rail and mode of the design (-1: unknown).
  [[nodiscard]] int name_id(const std::string& name) const;
  [[nodiscard]] int rail_id(const std::string& rail) const;
  [[nodiscard]] int mode_id(const std::string& mode) const;
  [[nodiscard]] const std::string& mode_name(int mode) const;
  [[nodiscard]] std::size_t names() const { return names_.size(); }

  // Sizes every per-name vector of c and clears it.
  void reset(StepConditions& c) const;
  // Three passes, as Network::solve; the result lives until the next solve.
  const StepSolution& solve(const StepConditions& c);
  // A load's current in a mode (Load::mode_i_a; has_mode: the mode is listed).
  [[nodiscard]] double load_mode_i_a(std::size_t load, int mode, bool* has_mode) const;

 private:
  struct Src {
    int name = 0;
    int out = 0;
    SourceKind kind = SourceKind::kDc;
    double v_v = 0.0;
    double r_series_ohm = 0.0;
    double v_default_v = 0.0;  // rectifier peak at nominal mains
    std::optional<sim::BusSource> bus;
  };
  struct Store {
    int name = 0;
    int rail = 0;
    double r_ohm = 0.0;        // pack resistance or bank ESR
    double r_balance_ohm = 0;  // whole balancing string, 0: none
  };
  struct Conv {
    const Converter* c = nullptr;
    int name = 0;
    int battery_who = 0;  // name id of "<name>:battery", the power path's battery supplier
    int in = 0;
    int out = 0;
    std::vector<int> batteries;  // storage indices named by c->battery
  };
  struct Link {  // a diode (v_drop_v = V_f) or a switch (closed unless open in the mode)
    int name = 0;
    int from = 0;
    int to = 0;
    double v_drop_v = 0.0;
    double r_ohm = 0.0;
    std::vector<char> open_in_mode;  // per mode id
  };
  struct PerRail {
    std::vector<int> sources, converters, links, storage, loads, chargers_in;
    std::vector<double> divider_r_ohm;
    std::vector<double> comparator_i_a;
  };

  void pass(const StepConditions& c, const StepSolution* prev, StepSolution& s) const;
  void clear(StepSolution& s) const;
  static int intern(std::vector<std::string>& ids, const std::string& s);

  const Design& d_;
  std::vector<std::string> names_, rails_, modes_;
  std::size_t ordered_rails_ = 0;
  std::vector<Src> src_;
  std::vector<Store> store_;
  std::vector<Conv> conv_;
  std::vector<Link> link_;
  std::vector<int> load_name_, load_rail_;
  std::vector<char> load_has_mode_;  // [load * modes + mode]
  std::vector<double> load_mode_i_a_;
  std::vector<PerRail> rail_;
  std::vector<char> is_source_name_, is_storage_name_, absent_;  // per name id
  std::vector<char> off_;                                        // c.off plus absent sources
  StepSolution buf_[3];
};

}  // namespace powerstack::design::detail
