// The "mppt" bench suite: EN 50530 MPPT efficiency (static, dynamic) and partial shading for
// every tracker of core/mppt on the twin. Method, profiles and results: docs/mppt.md.
#include "powerstack/app/bench_mppt.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <string>

#include "bench_mppt_runner.hpp"
#include "powerstack/app/bench_suites.hpp"
#include "powerstack/mppt/tracker_bank.hpp"
#include "sim/models/pv_string.hpp"

namespace powerstack::app {

namespace {

using mppt_bench::Window;
using mppt_bench::WindowEnergy;

constexpr double kStc = 1000.0;
constexpr const char* kOracle = "oracle";
constexpr double kOraclePeriodS = 5e-3;

// EN 50530 / European efficiency weights of the static levels they share with ours.
const std::map<double, double> kEuroWeights = {{0.05, 0.03}, {0.10, 0.06}, {0.20, 0.13},
                                               {0.30, 0.10}, {0.50, 0.48}, {1.00, 0.20}};
const std::map<double, double> kCecWeights = {{0.10, 0.04}, {0.20, 0.05}, {0.30, 0.12},
                                              {0.50, 0.21}, {0.75, 0.53}, {1.00, 0.05}};

// Ramp sequences (fraction of STC, slopes in W/m2/s). One repetition of each slope, 10 s
// dwell at each end (the standard's repetition counts are not confirmed: docs/mppt.md).
struct RampSet {
  const char* name;
  double lo;
  double hi;
  std::vector<double> slopes;
};
const std::vector<RampSet> kRampSets = {
    {"ramps_10_50", 0.10, 0.50, {0.5, 1, 2, 3, 5, 7, 10, 14, 20, 30, 50}},
    {"ramps_30_100", 0.30, 1.00, {10, 14, 20, 30, 50, 100}},
};
constexpr double kDwellS = 10.0;
constexpr double kDynamicSettleS = 60.0;

// Partial shading: per-substring irradiance factors of two 72-cell modules; the shade falls
// at kShadeAtS on a tracker settled on the clear string and is measured for kShadeMeasureS.
const std::vector<std::vector<double>> kShadingPatterns = {
    {1, 1, 1, 1, 0.5, 0.5},
    {1, 1, 1, 1, 1, 0.3},
    {1, 1, 0.7, 0.7, 0.4, 0.4},
    {1, 0.8, 0.8, 0.6, 0.3, 0.3},
};
constexpr double kShadeAtS = 30.0;
constexpr double kShadeMeasureS = 60.0;

struct Algo {
  std::string name;
  mppt_bench::Controller controller;
};

double weighted(const std::map<double, double>& weights, const std::map<double, double>& eff) {
  double sum = 0.0;
  double w_sum = 0.0;
  for (const auto& [level, w] : weights) {
    if (const auto it = eff.find(level); it != eff.end()) {
      sum += w * it->second;
      w_sum += w;
    }
  }
  return w_sum > 0.0 ? sum / w_sum : std::nan("");
}

// The oracle's MPP voltage for an EN 50530 irradiance profile.
std::function<double(double)> en50530_v_mpp(const sim::TimeSeriesProfile& g) {
  return [g, curve = sim::En50530Curve::from_power(sim::En50530Technology::kCrystallineSi, 600.0,
                                                   60.0)](double t) mutable {
    curve.set_conditions(g.value_at(t), 25.0);
    return curve.mpp().v_v;
  };
}

double backfeed_wh(const std::vector<mppt_bench::WindowEnergy>& e) {
  double j = 0.0;
  for (const auto& w : e) {
    j += w.backfeed_j;
  }
  return j / 3600.0;
}

nlohmann::json static_test(Algo& algo, const MpptBenchOptions& o, const char* test = "static") {
  std::vector<double> t_pts;
  std::vector<double> g_pts;
  std::vector<Window> windows;
  double t = 0.0;
  for (std::size_t k = 0; k < o.static_levels.size(); ++k) {
    const double settle = k == 0 ? o.static_first_settle_s : o.static_settle_s;
    const double g = o.static_levels[k] * kStc;
    t_pts.insert(t_pts.end(), {t + (k == 0 ? 0.0 : 1e-3), t + settle + o.static_measure_s});
    g_pts.insert(g_pts.end(), {g, g});
    windows.push_back({t + settle, t + settle + o.static_measure_s});
    t += settle + o.static_measure_s;
  }
  const auto profile = sim::TimeSeriesProfile::create(t_pts, g_pts).value();
  std::string why;
  auto plant = sim::SolarChargerPlant::create(mppt_bench::en50530_plant(profile), why);
  if (algo.controller.tracker == nullptr) {
    algo.controller.oracle_v_mpp = en50530_v_mpp(profile);
  }
  const auto e = mppt_bench::run_closed_loop(algo.controller, *plant, t, windows, o);
  std::map<double, double> eff;
  nlohmann::json levels = nlohmann::json::object();
  for (std::size_t k = 0; k < e.size(); ++k) {
    eff[o.static_levels[k]] = e[k].efficiency();
    levels[fmt::format("{:g}", o.static_levels[k] * 100.0)] = e[k].efficiency();
  }
  // The headline figure: the European weighting where its levels were run, else the mean.
  double headline = weighted(kEuroWeights, eff);
  if (std::isnan(headline)) {
    headline = 0.0;
    for (const auto& [level, v] : eff) {
      headline += v / static_cast<double>(eff.size());
    }
  }
  return {{"algorithm", algo.name},
          {"test", test},
          {"efficiency", headline},
          {"levels_pct", levels},
          {"cec", weighted(kCecWeights, eff)},
          {"backfeed_wh", backfeed_wh(e)},
          {"noise_v_sigma", o.noise_v_sigma},
          {"noise_i_sigma", o.noise_i_sigma}};
}

nlohmann::json dynamic_test(Algo& algo, const MpptBenchOptions& o) {
  double pv = 0.0;
  double avail = 0.0;
  double backfeed_j = 0.0;
  nlohmann::json row = {{"algorithm", algo.name}, {"test", "dynamic"}};
  for (const auto& set : kRampSets) {
    const double lo = set.lo * kStc;
    const double hi = set.hi * kStc;
    std::vector<double> t_pts = {0.0};
    std::vector<double> g_pts = {lo};
    double t = kDynamicSettleS;
    for (const double slope : set.slopes) {
      const double ramp = (hi - lo) / slope;
      for (const double g_end : {hi, lo}) {
        t_pts.insert(t_pts.end(), {t, t + ramp});
        g_pts.insert(g_pts.end(), {g_end == hi ? lo : hi, g_end});
        t += ramp + kDwellS;
      }
    }
    t_pts.push_back(t);
    g_pts.push_back(lo);
    const auto profile = sim::TimeSeriesProfile::create(t_pts, g_pts).value();
    std::string why;
    auto plant = sim::SolarChargerPlant::create(mppt_bench::en50530_plant(profile), why);
    if (algo.controller.tracker == nullptr) {
      algo.controller.oracle_v_mpp = en50530_v_mpp(profile);
    }
    const auto e =
        mppt_bench::run_closed_loop(algo.controller, *plant, t, {{kDynamicSettleS, t}}, o);
    row[set.name] = e[0].efficiency();
    backfeed_j += e[0].backfeed_j;
    pv += e[0].pv_j;
    avail += e[0].avail_j;
  }
  row["efficiency"] = avail > 0.0 ? pv / avail : 0.0;
  row["backfeed_wh"] = backfeed_j / 3600.0;
  return row;
}

nlohmann::json shading_test(Algo& algo, const MpptBenchOptions& o) {
  double pv = 0.0;
  double avail = 0.0;
  double backfeed_j = 0.0;
  nlohmann::json patterns = nlohmann::json::array();
  for (const auto& pattern : kShadingPatterns) {
    std::string why;
    auto plant = sim::SolarChargerPlant::create(mppt_bench::shaded_string_plant(), why);
    const auto e =
        mppt_bench::run_closed_loop(algo.controller, *plant, kShadeAtS + kShadeMeasureS,
                                    {{kShadeAtS, kShadeAtS + kShadeMeasureS}}, o, [&](double t) {
                                      if (t >= kShadeAtS && t < kShadeAtS + 1.0) {
                                        plant->set_shading(pattern);
                                      }
                                    });
    patterns.push_back(e[0].efficiency());
    backfeed_j += e[0].backfeed_j;
    pv += e[0].pv_j;
    avail += e[0].avail_j;
  }
  return {{"algorithm", algo.name},
          {"test", "shading"},
          {"efficiency", avail > 0.0 ? pv / avail : 0.0},
          {"patterns", patterns},
          {"backfeed_wh", backfeed_j / 3600.0}};
}

}  // namespace

nlohmann::json run_mppt_bench(const MpptBenchOptions& options) {
  static mppt::TrackerBank bank;
  std::vector<Algo> algos;
  for (int k = 0; k <= mppt::TrackerBank::kCount; ++k) {
    Algo a;
    a.name = k < mppt::TrackerBank::kCount ? mppt::TrackerBank::name_at(k) : kOracle;
    a.controller.tracker = bank.at(k);  // nullptr for the oracle
    a.controller.period_s =
        a.controller.tracker != nullptr
            ? static_cast<double>(mppt::TrackerBank::control_period_s(a.name.c_str()))
            : kOraclePeriodS;
    // The original FUGU board drives both FETs complementarily (IR2104); its firmware has
    // no diode emulation, and its predictive duty floor assumes the CCM ratio v_bat / v_pv.
    a.controller.forced_ccm = a.name == "fugu-original";
    algos.push_back(std::move(a));
  }
  nlohmann::json rows = nlohmann::json::array();
  for (auto& algo : algos) {
    if (!options.algorithms.empty() &&
        std::find(options.algorithms.begin(), options.algorithms.end(), algo.name) ==
            options.algorithms.end()) {
      continue;
    }
    if (!options.static_levels.empty()) {
      rows.push_back(static_test(algo, options));
    }
    if (options.dynamic) {
      rows.push_back(dynamic_test(algo, options));
    }
    if (options.shading && algo.controller.tracker != nullptr) {
      rows.push_back(shading_test(algo, options));
    }
    if (options.noisy && !options.static_levels.empty() && algo.controller.tracker != nullptr) {
      MpptBenchOptions noisy = options;
      noisy.noise_v_sigma = options.noisy_v_sigma;
      noisy.noise_i_sigma = options.noisy_i_sigma;
      rows.push_back(static_test(algo, noisy, "static-noisy"));
    }
  }
  return rows;
}

std::string format_mppt_table(const nlohmann::json& rows) {
  std::vector<std::string> names;
  std::map<std::string, std::map<std::string, double>> eff;
  for (const auto& r : rows) {
    const auto name = r.at("algorithm").get<std::string>();
    if (eff.find(name) == eff.end()) {
      names.push_back(name);
    }
    eff[name][r.at("test").get<std::string>()] = r.at("efficiency").get<double>();
  }
  std::string out = fmt::format("{:<26}{:>10}{:>10}{:>10}{:>10}\n", "algorithm", "static %",
                                "dynamic %", "shading %", "noisy %");
  for (const auto& name : names) {
    out += fmt::format("{:<26}", name);
    for (const char* test : {"static", "dynamic", "shading", "static-noisy"}) {
      const auto it = eff[name].find(test);
      out += it == eff[name].end() ? fmt::format("{:>10}", "-")
                                   : fmt::format("{:>10.3f}", 100.0 * it->second);
    }
    out += '\n';
  }
  return out;
}

nlohmann::json run_mppt_suite() {
  return run_mppt_bench(MpptBenchOptions{});
}

}  // namespace powerstack::app
