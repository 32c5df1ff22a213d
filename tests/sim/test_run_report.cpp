#include <gtest/gtest.h>

#include <string>

#include "sim/report/run_report.hpp"

namespace {

using powerstack::sim::ProbeSeries;
using powerstack::sim::ReportData;

TEST(RunReport, CsvMergesProbesOnTheUnionOfInstants) {
  const std::vector<ProbeSeries> probes = {{"a", 1.0, {0.0, 1.0, 2.0}, {1.0, 2.0, 3.0}},
                                           {"b", 2.0, {0.0, 2.0}, {10.0, 30.0}}};
  EXPECT_EQ(powerstack::sim::probes_to_csv(probes), "t_s,a,b\n0,1,10\n1,2,\n2,3,30\n");
}

TEST(RunReport, HtmlIsSelfContainedAndEscaped) {
  ReportData d;
  d.title = "Day <1>";
  d.summary = {{"energy", "12 Wh"}};
  d.events = {{3.5, "battery_cut"}};
  d.probes = {{"v_bat", 1.0, {0.0, 1.0}, {26.0, 27.0}}};
  const std::string html = powerstack::sim::render_html_report(d);
  EXPECT_NE(html.find("<title>Day &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("battery_cut"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // nothing loaded from elsewhere
}

TEST(RunReport, ReductionKeepsAShortPeak) {
  ProbeSeries p{"v", 1e-3, {}, {}};
  for (int k = 0; k < 100000; ++k) {
    p.t_s.push_back(k * 1e-3);
    p.values.push_back(k == 51234 ? 36.0 : 28.0);  // one-sample over-voltage spike
  }
  ReportData d;
  d.title = "spike";
  d.probes = {p};
  const std::string html = powerstack::sim::render_html_report(d, 400);
  EXPECT_NE(html.find(">36</text>"), std::string::npos);  // axis top is the spike
  EXPECT_LT(html.size(), 40000U);
}

}  // namespace
