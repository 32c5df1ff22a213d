// Integration: the assembled twin (TwinApp, what `powerstack twin` runs) on a free loopback
// port with a temporary data directory, driven with httplib's client over every endpoint.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "powerstack/twin/twin_app.hpp"

namespace {

using powerstack::twin::TwinApp;
using powerstack::twin::TwinOptions;

class TwinHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("powerstack-twin-http-" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    start();
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  void start() {
    TwinOptions o;
    o.scenario_path = POWERSTACK_TWIN_SCENARIO;
    o.port = 0;
    o.data_dir = dir_;
    o.speed = 60.0;
    o.web_dir = dir_ + "/no-web";
    std::ostringstream out;
    std::ostringstream err;
    app_ = TwinApp::open(o, out, err);
    ASSERT_NE(app_, nullptr) << err.str();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", app_->port());
  }
  std::string token() const {
    std::string t;
    std::ifstream(dir_ + "/token") >> t;
    return t;
  }
  httplib::Result put(const std::string& body, const std::string& auth) {
    httplib::Headers h;
    if (!auth.empty()) {
      h.emplace("Authorization", auth);
    }
    return client_->Put("/api/v1/settings", h, body, "application/json");
  }

  std::string dir_;
  std::unique_ptr<TwinApp> app_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(TwinHttp, ServesStatusSettingsCurveAndErrors) {
  auto r = client_->Get("/api/v1/status");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const auto status = nlohmann::json::parse(r->body);
  EXPECT_EQ(status["cells"].size(), 8U);
  EXPECT_TRUE(status["battery"].contains("soc"));

  r = client_->Get("/api/v1/settings");
  ASSERT_TRUE(r);
  EXPECT_EQ(nlohmann::json::parse(r->body)["chemistry"], "LiFePO4");

  r = client_->Get("/api/v1/pv-curve");
  ASSERT_TRUE(r);
  EXPECT_EQ(nlohmann::json::parse(r->body)["points"].size(), 65U);

  r = client_->Get("/api/v1/display.png");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(r->body.substr(1, 3), "PNG");
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/display.png"));

  r = client_->Get("/");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("not built"), std::string::npos);

  r = client_->Get("/api/v1/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "not-found");

  r = client_->Post("/api/v1/status", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "method-not-allowed");

  r = client_->Get("/api/v1/history?range=day");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(nlohmann::json::parse(r->body)["range"], "day");
  r = client_->Get("/api/v1/history.csv?range=month");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.rfind("t_s,p_pv_w", 0), 0U);

  r = client_->Get("/api/v1/history?range=year");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);

  r = put(std::string(20000, ' '), "Bearer " + token());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "too-large");
}

TEST_F(TwinHttp, WritesNeedTheTokenAndAreRateLimited) {
  auto r = put(R"({"v_absorb_cell_v": 3.45})", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
  for (int i = 0; i < 4; ++i) {
    r = put(R"({"v_absorb_cell_v": 3.45})", "Bearer wrong");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
  }
  r = put(R"({"v_absorb_cell_v": 3.45})", "Bearer " + token());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "rate-limited");
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
}

TEST_F(TwinHttp, SettingsChangePersistsAcrossARestart) {
  auto r = put(R"({"v_absorb_cell_v": 3.45, "i_tail_a": "x"})", "Bearer " + token());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(nlohmann::json::parse(r->body)["fields"].size(), 1U);
  r = put(R"({"v_absorb_cell_v": 3.45})", "Bearer " + token());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(nlohmann::json::parse(r->body)["v_absorb_cell_v"], 3.45);

  app_.reset();  // the twin stops; its flash file stays
  start();
  r = client_->Get("/api/v1/settings");
  ASSERT_TRUE(r);
  EXPECT_EQ(nlohmann::json::parse(r->body)["v_absorb_cell_v"], 3.45);
}

TEST_F(TwinHttp, EventStreamDeliversStatusEvents) {
  std::string received;
  httplib::Client c("127.0.0.1", app_->port());
  c.set_read_timeout(5, 0);
  auto r = c.Get("/api/v1/events", [&](const char* data, std::size_t n) {
    received.append(data, n);
    return received.find("event: status", received.find("event: status") + 1) ==
           std::string::npos;  // stop after two
  });
  EXPECT_NE(received.find("event: status\ndata: {"), std::string::npos);
  const auto first = received.find("\"seq\":");
  const auto second = received.find("\"seq\":", first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(std::stoul(received.substr(first + 6)), std::stoul(received.substr(second + 6)));
}

}  // namespace
