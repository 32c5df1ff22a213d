#include "sim/report/run_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

namespace powerstack::sim {

namespace {

std::string fmt_num(double x, int digits = 6) {
  if (!std::isfinite(x)) {
    return "";
  }
  std::array<char, 64> buf{};
  (void)std::snprintf(buf.data(), buf.size(), "%.*g", digits, x);
  return buf.data();
}

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Keeps the min and max of each bucket (in time order) and the series' first and last point.
std::vector<std::pair<double, double>> reduce(const ProbeSeries& p, std::size_t max_points) {
  std::vector<std::pair<double, double>> out;
  const std::size_t n = p.values.size();
  if (n <= max_points || max_points < 4) {
    for (std::size_t i = 0; i < n; ++i) {
      out.emplace_back(p.t_s[i], p.values[i]);
    }
    return out;
  }
  const std::size_t buckets = max_points / 2;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t lo = b * n / buckets;
    const std::size_t hi = (b + 1) * n / buckets;
    std::size_t imin = lo;
    std::size_t imax = lo;
    for (std::size_t i = lo; i < hi; ++i) {
      if (p.values[i] < p.values[imin]) {
        imin = i;
      }
      if (p.values[i] > p.values[imax]) {
        imax = i;
      }
    }
    const std::size_t first = std::min(imin, imax);
    const std::size_t second = std::max(imin, imax);
    out.emplace_back(p.t_s[first], p.values[first]);
    if (second != first) {
      out.emplace_back(p.t_s[second], p.values[second]);
    }
  }
  // Keep both ends so every chart spans the whole run.
  if (out.front().first != p.t_s.front()) {
    out.insert(out.begin(), {p.t_s.front(), p.values.front()});
  }
  if (out.back().first != p.t_s.back()) {
    out.emplace_back(p.t_s.back(), p.values.back());
  }
  return out;
}

std::string chart_svg(const ProbeSeries& p, std::size_t max_points) {
  constexpr double kW = 760.0;
  constexpr double kH = 200.0;
  constexpr double kLeft = 70.0;
  constexpr double kBottom = 30.0;
  const auto pts = reduce(p, max_points);
  double t0 = 0.0;
  double t1 = 1.0;
  double lo = 0.0;
  double hi = 1.0;
  bool any = false;
  for (const auto& [t, v] : pts) {
    if (!std::isfinite(v)) {
      continue;
    }
    if (!any) {
      t0 = t1 = t;
      lo = hi = v;
      any = true;
    }
    t0 = std::min(t0, t);
    t1 = std::max(t1, t);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (hi - lo < 1e-12) {
    hi += 0.5;
    lo -= 0.5;
  }
  if (t1 - t0 < 1e-12) {
    t1 = t0 + 1.0;
  }
  const auto x = [&](double t) { return kLeft + (t - t0) / (t1 - t0) * (kW - kLeft - 10.0); };
  const auto y = [&](double v) { return 10.0 + (hi - v) / (hi - lo) * (kH - kBottom - 10.0); };
  std::string path;
  for (const auto& [t, v] : pts) {
    if (!std::isfinite(v)) {
      continue;
    }
    path += (path.empty() ? "M" : " L") + fmt_num(x(t), 6) + "," + fmt_num(y(v), 6);
  }
  std::string svg = R"(<svg class="chart" viewBox="0 0 760 200" role="img" aria-label=")" +
                    escape_html(p.signal) + R"(">)";
  svg += R"(<rect x=")" + fmt_num(kLeft) + R"(" y="10" width=")" + fmt_num(kW - kLeft - 10.0) +
         R"(" height=")" + fmt_num(kH - kBottom - 10.0) + R"(" class="frame"/>)";
  svg += R"(<text x="4" y="16" class="ax">)" + fmt_num(hi, 4) + "</text>";
  svg += R"(<text x="4" y=")" + fmt_num(kH - kBottom) + R"(" class="ax">)" + fmt_num(lo, 4) +
         "</text>";
  svg += R"(<text x=")" + fmt_num(kLeft) + R"(" y=")" + fmt_num(kH - 8.0) + R"(" class="ax">)" +
         fmt_num(t0, 5) + " s</text>";
  svg += R"(<text x=")" + fmt_num(kW - 80.0) + R"(" y=")" + fmt_num(kH - 8.0) + R"(" class="ax">)" +
         fmt_num(t1, 5) + " s</text>";
  svg += R"(<path class="line" d=")" + path + R"("/></svg>)";
  return svg;
}

}  // namespace

std::string probes_to_csv(const std::vector<ProbeSeries>& probes) {
  std::map<double, std::vector<std::string>> rows;
  for (std::size_t p = 0; p < probes.size(); ++p) {
    for (std::size_t i = 0; i < probes[p].t_s.size(); ++i) {
      auto& row = rows[probes[p].t_s[i]];
      row.resize(probes.size());
      row[p] = fmt_num(probes[p].values[i], 9);
    }
  }
  std::string out = "t_s";
  for (const auto& p : probes) {
    out += "," + p.signal;
  }
  out += "\n";
  for (auto& [t, cells] : rows) {
    cells.resize(probes.size());
    out += fmt_num(t, 12);
    for (const auto& c : cells) {
      out += "," + c;
    }
    out += "\n";
  }
  return out;
}

std::string render_html_report(const ReportData& data, std::size_t max_points_per_chart) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
      "<title>" +
      escape_html(data.title) +
      "</title><style>"
      "body{font-family:sans-serif;margin:1em auto;max-width:800px;padding:0 8px;color:#222}"
      "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
      "text-align:left}.chart{width:100%;height:auto;background:#fff}"
      ".frame{fill:none;stroke:#999;stroke-width:1}.line{fill:none;stroke:#1565c0;stroke-width:1.2}"
      ".ax{font-size:11px;fill:#555}h2{font-size:1.1em;margin-top:1.5em}"
      "</style></head><body>\n<h1>" +
      escape_html(data.title) + "</h1>\n<h2>Summary</h2>\n<table>";
  for (const auto& [label, value] : data.summary) {
    h += "<tr><th>" + escape_html(label) + "</th><td>" + escape_html(value) + "</td></tr>";
  }
  h += "</table>\n<h2>Events</h2>\n";
  if (data.events.empty()) {
    h += "<p>none</p>\n";
  } else {
    h += "<table><tr><th>t (s)</th><th>event</th></tr>";
    for (const auto& e : data.events) {
      h += "<tr><td>" + fmt_num(e.t_s, 9) + "</td><td>" + escape_html(e.name) + "</td></tr>";
    }
    h += "</table>\n";
  }
  for (const auto& p : data.probes) {
    h += "<h2>" + escape_html(p.signal) + "</h2>\n" + chart_svg(p, max_points_per_chart) + "\n";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace powerstack::sim
