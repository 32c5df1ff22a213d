#include "powerstack/design/spice_check.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "powerstack/design/figures.hpp"
#include "powerstack/design/timeline.hpp"

namespace powerstack::design {

namespace {

// Median wall time of 5 calls of f (which returns the figure).
template <typename F>
double timed_s(F f, double& value) {
  std::vector<double> t;
  for (int k = 0; k < 5; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    value = f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[2];
}

bool read_number(const std::string& s, double& x) {
  char* end = nullptr;
  x = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0' && std::isfinite(x);
}

}  // namespace

SpiceRun parse_ngspice_output(const std::string& text) {
  SpiceRun r;
  std::istringstream in(text);
  std::string line;
  bool in_measures = false;
  while (std::getline(in, line)) {
    if (line.find("Timestep too small") != std::string::npos ||
        line.find("simulation(s) aborted") != std::string::npos ||
        line.find("Error on line") != std::string::npos) {
      r.error = "ngspice: " + line;
      return r;
    }
    if (line.find("Measurements for Transient Analysis") != std::string::npos) {
      in_measures = true;
      continue;
    }
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;)
      w.push_back(x);
    if (line.find("failed!") != std::string::npos && w.size() >= 3 && w[0] == ".meas") {
      r.failed.insert(w[2]);
      continue;
    }
    if (line.rfind("Total analysis time (seconds) =", 0) == 0) {
      if (!read_number(w.back(), r.analysis_s)) {
        r.error = "ngspice output: cannot read '" + line + "'";
        return r;
      }
      in_measures = false;
      continue;
    }
    if (!in_measures || w.empty() || w[0].rfind("Error", 0) == 0)
      continue;
    // "name = value" or "name = value at= time"
    if (w.size() < 3 || w[1] != "=" || (w.size() != 3 && w.size() != 5)) {
      r.error = "ngspice output: cannot read measurement line '" + line + "'";
      return r;
    }
    double v = 0.0;
    if (!read_number(w[2], v)) {
      r.error = "ngspice output: measurement '" + w[0] + "' is not a number: '" + w[2] + "'";
      return r;
    }
    r.measures[w[0]] = v;
  }
  if (r.analysis_s < 0.0 && r.error.empty())
    r.error = "ngspice output: no 'Total analysis time' line (did the run start?)";
  return r;
}

SpiceRun run_ngspice(const std::string& netlist) {
  SpiceRun r;
  std::array<char, 32> path{};
  std::snprintf(path.data(), path.size(), "/tmp/psXXXXXX");
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    r.error = "cannot create a temporary netlist file";
    return r;
  }
  ::close(fd);
  {
    std::ofstream f(path.data(), std::ios::binary | std::ios::trunc);
    f << netlist;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::string cmd = fmt::format("ngspice -b {} 2>&1", path.data());
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  if (p != nullptr) {
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
      out.append(buf.data(), n);
  }
  const int status = p != nullptr ? ::pclose(p) : -1;
  r = {};
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::remove(path.data());
  if (p == nullptr || (WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
    r.error = "ngspice not found on PATH (scripts/setup installs it)";
    return r;
  }
  r = parse_ngspice_output(out);
  r.wall_s = wall;
  return r;
}

double SpiceAgreement::rel_error_timeline() const {
  return std::fabs(timeline - spice) / scale;
}

double SpiceAgreement::rel_error_quasi_static() const {
  return std::isnan(quasi_static) ? kNoFigure : std::fabs(quasi_static - spice) / scale;
}

SpiceCheck check_against_spice(const Design& d, const SpiceOptions& options) {
  SpiceCheck c;
  c.exported = export_spice(d, options);
  if (!c.exported.error.empty()) {
    c.error = c.exported.error;
    return c;
  }
  c.run = run_ngspice(c.exported.netlist);
  if (!c.run.error.empty()) {
    c.error = c.run.error;
    return c;
  }
  const Design& s = c.exported.scenario;
  const auto t0 = std::chrono::steady_clock::now();
  const Network net(s);
  const Timeline tl = run_timeline(net);
  c.timeline_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  c.timeline_dt_s = tl.dt_s;
  const auto spice = [&](const std::string& name, double& v) {
    const auto it = c.run.measures.find(name);
    if (it == c.run.measures.end())
      return false;
    v = it->second;
    return true;
  };
  SpiceAgreement holdup;
  holdup.spice = kUnlimited;
  holdup.timeline = kUnlimited;
  for (const auto& m : c.exported.measures) {
    SpiceAgreement a;
    a.figure = m.figure;
    if (m.kind == MeasureKind::kRailMin) {
      if (!spice(m.name, a.spice)) {
        c.error = "ngspice gave no value for " + m.name;
        return c;
      }
      a.timeline = tl.rail_min_v.at(m.rail);
      double peak = 0.0;
      for (const auto& tr : tl.rails) {
        for (const double v : tr.v)
          peak = tr.rail == m.rail ? std::max(peak, v) : peak;
      }
      a.scale = std::max(std::fabs(a.spice), peak);  // a rail that is off: against its high
      c.rows.push_back(a);
    } else if (m.kind == MeasureKind::kDrop) {
      double v0 = 0.0;
      double vmin = 0.0;
      if (!spice(m.name + "_v0", v0) || !spice(m.name + "_min", vmin)) {
        c.error = "ngspice gave no value for " + m.name;
        return c;
      }
      a.spice = v0 - vmin;
      for (const auto& b : tl.bursts) {
        if (b.storage == m.storage && b.t_s == m.t_from_s)
          a.timeline = b.v_start_v - b.v_min_v;
      }
      for (const auto& l : s.loads) {
        for (const auto& st : s.storage) {
          if (m.t_from_s == 0.0 && st.name == m.storage && l.burst &&
              m.t_to_s - m.t_from_s <= l.burst->width_s &&
              m.figure == "burst." + l.name + "." + st.name + ".drop_v") {
            a.quasi_static_wall_s =
                timed_s([&] { return burst_drop(Network(s), l, st).drop_v; }, a.quasi_static);
          }
        }
      }
      a.scale = std::fabs(a.spice);
      c.rows.push_back(a);
    } else {
      holdup.figure = m.figure;
      double t = 0.0;
      if (spice(m.name, t))
        holdup.spice = std::min(holdup.spice, t);
      for (std::size_t j = 0; j < s.loads.size(); ++j) {
        const LoadMargin& lm = tl.loads[j];
        if (s.loads[j].rail == m.rail && lm.browned_out)
          holdup.timeline = std::min(holdup.timeline, lm.t_brownout_s);
      }
    }
  }
  if (!holdup.figure.empty()) {
    if (std::isinf(holdup.spice)) {
      c.error = fmt::format("ngspice: no load browned out within {} s (the hold-up window)",
                            c.exported.t_stop_s);
      return c;
    }
    for (const auto& st : d.storage) {
      if (st.name == options.holdup) {
        holdup.quasi_static_wall_s = timed_s(
            [&] { return hold_up(Network(d), st, d.usage.ride_mode, ride_through_off(d)).t_s; },
            holdup.quasi_static);
      }
    }
    holdup.scale = holdup.spice;
    c.rows.push_back(holdup);
  }
  return c;
}

}  // namespace powerstack::design
