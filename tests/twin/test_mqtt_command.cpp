// The MQTT command envelope: every malformed command gets the API's error object and the
// settings service is reached only with a valid envelope and a good token.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "powerstack/twin/mqtt_bridge.hpp"
#include "powerstack/twin/mqtt_command.hpp"
#include "powerstack/twin/mqtt_topics.hpp"

namespace {

using nlohmann::json;
using powerstack::twin::CommandAuth;
using powerstack::twin::CommandReply;
using powerstack::twin::handle_settings_command;

struct Calls {
  int auth = 0;
  int apply = 0;
  std::string last_settings;
};

CommandReply run(const std::string& payload, Calls& calls, CommandAuth verdict = CommandAuth::kOk) {
  return handle_settings_command(
      payload,
      [&](std::string_view) {
        ++calls.auth;
        return verdict;
      },
      [&](std::string_view s) {
        ++calls.apply;
        calls.last_settings = std::string(s);
        return CommandReply{200, json::parse(s)};
      });
}

TEST(MqttCommand, ValidCommandReachesTheServiceWithItsSettingsOnly) {
  Calls calls;
  const auto r = run(R"({"token":"t0k3n","settings":{"i_tail_a":2},"id":"abc"})", calls);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(calls.apply, 1);
  EXPECT_EQ(json::parse(calls.last_settings), json::parse(R"({"i_tail_a":2})"));
  EXPECT_EQ(r.body["id"], "abc");
  EXPECT_EQ(r.body["status"], 200);
  EXPECT_EQ(r.body["settings"]["i_tail_a"], 2);
  EXPECT_EQ(r.body.dump().find("t0k3n"), std::string::npos);
}

TEST(MqttCommand, MalformedEnvelopesAreRefusedBeforeAuthentication) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "bad-json"},
      {"[1,2]", "bad-json"},
      {R"({"token":"x","settings":{})", "bad-json"},
      {R"({"settings":{}})", "bad-field"},
      {R"({"token":5,"settings":{}})", "bad-field"},
      {R"({"token":"x"})", "bad-field"},
      {R"({"token":"x","settings":[]})", "bad-field"},
      {R"({"token":"x","settings":{},"id":[1]})", "bad-field"},
      {R"({"token":"x","settings":{},"extra":1})", "bad-field"},
  };
  for (const auto& [payload, code] : cases) {
    Calls calls;
    const auto r = run(payload, calls);
    EXPECT_EQ(r.status, 400) << payload;
    EXPECT_EQ(r.body["error"], code) << payload;
    EXPECT_FALSE(r.body["message"].get<std::string>().empty()) << payload;
    EXPECT_EQ(calls.auth, 0) << payload;
    EXPECT_EQ(calls.apply, 0) << payload;
  }
}

TEST(MqttCommand, MissingFieldsAreAllListed) {
  Calls calls;
  const auto r = run("{}", calls);
  ASSERT_EQ(r.body["fields"].size(), 2U);
  EXPECT_EQ(r.body["fields"][0]["field"], "token");
  EXPECT_EQ(r.body["fields"][1]["field"], "settings");
}

TEST(MqttCommand, OversizedCommandIsTooLarge) {
  Calls calls;
  const std::string big = R"({"token":"x","settings":{"pad":")" + std::string(17000, 'a') + "\"}}";
  const auto r = run(big, calls);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body["error"], "too-large");
  EXPECT_EQ(calls.apply, 0);
}

TEST(MqttCommand, WrongTokenOrRateLimitNeverApplies) {
  Calls calls;
  auto r = run(R"({"token":"bad","settings":{},"id":9})", calls, CommandAuth::kUnauthorized);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body["error"], "unauthorized");
  EXPECT_EQ(r.body["id"], 9);
  r = run(R"({"token":"bad","settings":{}})", calls, CommandAuth::kRateLimited);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body["error"], "rate-limited");
  EXPECT_EQ(calls.apply, 0);
}

TEST(MqttCommand, ServiceErrorsPassThroughWithTheirStatus) {
  const auto r = handle_settings_command(
      R"({"token":"t","settings":{"cells_in_series":0}})",
      [](std::string_view) { return CommandAuth::kOk; },
      [](std::string_view) {
        return CommandReply{400,
                            {{"error", "bad-field"}, {"fields", {{{"field", "cells_in_series"}}}}}};
      });
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["status"], 400);
  EXPECT_EQ(r.body["fields"][0]["field"], "cells_in_series");
}

TEST(MqttTopics, BaseTopicChecks) {
  using powerstack::twin::check_base_topic;
  EXPECT_EQ(check_base_topic("powerstack/twin"), "");
  EXPECT_NE(check_base_topic(""), "");
  EXPECT_NE(check_base_topic("/a"), "");
  EXPECT_NE(check_base_topic("a/"), "");
  EXPECT_NE(check_base_topic("a/+/b"), "");
  EXPECT_NE(check_base_topic("a/#"), "");
  EXPECT_EQ(powerstack::twin::node_id_of("home/solar.1"), "home_solar_1");
}

}  // namespace

namespace {

TEST(MqttAddress, HostAndPortOrAClearError) {
  std::string host;
  int port = 0;
  std::string error;
  EXPECT_TRUE(powerstack::twin::parse_mqtt_address("broker.local:1883", host, port, error));
  EXPECT_EQ(host, "broker.local");
  EXPECT_EQ(port, 1883);
  EXPECT_TRUE(powerstack::twin::parse_mqtt_address("[::1]:8883", host, port, error));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8883);
  for (const char* bad :
       {"", "broker", ":1883", "broker:", "broker:0", "broker:65536", "broker:18x3", "[]:1883"}) {
    error.clear();
    EXPECT_FALSE(powerstack::twin::parse_mqtt_address(bad, host, port, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
