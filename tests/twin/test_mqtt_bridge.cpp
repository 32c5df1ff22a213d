// The MQTT bridge against a real mosquitto broker (started by the test on a free loopback
// port): discovery, availability, paced state, the command round trip, reconnects and the
// last will. The settings service is a fake with one checked field.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "mosquitto_fixture.hpp"
#include "powerstack/twin/mqtt_bridge.hpp"

namespace {

using nlohmann::json;
using powerstack::twin::CommandAuth;
using powerstack::twin::CommandReply;
using powerstack::twin::MqttBridge;
using powerstack::twin::MqttOptions;
using powerstack::twin::test::Broker;
using powerstack::twin::test::Client;
using powerstack::twin::test::eventually;
using powerstack::twin::test::free_loopback_port;
using powerstack::twin::test::Received;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

// Accepts {"i_charge_max_a": 0..60}; counts what it stored.
struct FakeSettings {
  std::atomic<int> applied{0};
  std::atomic<double> i_charge_max_a{20.0};
  CommandReply apply(std::string_view body) {
    const json j = json::parse(body);
    const double v = j.value("i_charge_max_a", i_charge_max_a.load());
    if (v < 0.0 || v > 60.0) {
      json issue = {{"field", "i_charge_max_a"}, {"min", 0}, {"max", 60}};
      json error = {{"error", "bad-field"}, {"message", "out of range"}};
      error["fields"] = json::array({issue});
      return {400, error};
    }
    i_charge_max_a = v;
    ++applied;
    return {200, {{"i_charge_max_a", v}}};
  }
};

class MqttBridgeTest : public ::testing::Test {
 protected:
  std::unique_ptr<MqttBridge> make_bridge(int port, double period_s = 10.0) {
    MqttOptions o;
    o.port = port;
    o.base_topic = "test/ps1";
    o.state_period_s = period_s;
    o.keepalive_s = 5;
    o.device.sw_version = "0.1.0";
    std::string error;
    auto b = MqttBridge::create(
        o,
        [this](std::string_view payload) {
          return powerstack::twin::handle_settings_command(
              payload,
              [](std::string_view t) {
                return t == kToken ? CommandAuth::kOk : CommandAuth::kUnauthorized;
              },
              [this](std::string_view s) { return settings.apply(s); });
        },
        nullptr, error);
    EXPECT_TRUE(b) << error;
    EXPECT_TRUE(b->start(error)) << error;
    return b;
  }
  FakeSettings settings;
};

TEST_F(MqttBridgeTest, AnnouncesDiscoveryAvailabilityAndState) {
  Broker broker(free_loopback_port());
  ASSERT_TRUE(broker.start());
  auto bridge = make_bridge(broker.port());
  ASSERT_TRUE(eventually([&] { return bridge->connected(); }));
  Client client(broker.port(), "#");
  const std::string status = R"({"t_s":0.0,"battery":{"v_v":27.1,"soc":0.62}})";
  EXPECT_TRUE(bridge->publish_state(0.0, status));

  Received avail;
  ASSERT_TRUE(client.wait_for([](const Received& r) { return r.topic == "test/ps1/availability"; },
                              &avail));
  EXPECT_EQ(avail.payload, "online");
  Received state;
  ASSERT_TRUE(
      client.wait_for([](const Received& r) { return r.topic == "test/ps1/state"; }, &state));
  EXPECT_EQ(json::parse(state.payload), json::parse(status));

  Received cfg;
  ASSERT_TRUE(client.wait_for(
      [](const Received& r) {
        return r.topic == "homeassistant/sensor/test_ps1/battery_voltage/config";
      },
      &cfg));
  const json c = json::parse(cfg.payload);
  EXPECT_EQ(c["device_class"], "voltage");
  EXPECT_EQ(c["unit_of_measurement"], "V");
  EXPECT_EQ(c["state_class"], "measurement");
  EXPECT_EQ(c["state_topic"], "test/ps1/state");
  EXPECT_EQ(c["value_template"], "{{ value_json.battery.v_v }}");
  EXPECT_EQ(c["unique_id"], "test_ps1_battery_voltage");
  EXPECT_EQ(c["availability_topic"], "test/ps1/availability");
  EXPECT_EQ(c["device"]["identifiers"][0], "test_ps1");
  EXPECT_EQ(c["device"]["sw_version"], "0.1.0");

  // Every discovery config is retained JSON naming the state topic and a unique id: a client
  // subscribing after the announcement gets them (and "online") with the retain flag.
  ASSERT_TRUE(eventually([&] {
    int n = 0;
    for (const auto& r : client.messages()) {
      n += r.topic.rfind("homeassistant/", 0) == 0 ? 1 : 0;
    }
    return n == 18;
  }));
  Client late(broker.port(), "#");
  ASSERT_TRUE(eventually([&] {
    int n = 0;
    for (const auto& r : late.messages()) {
      n += r.topic.rfind("homeassistant/", 0) == 0 ? 1 : 0;
    }
    return n == 18;
  }));
  ASSERT_TRUE(
      late.wait_for([](const Received& r) { return r.topic == "test/ps1/availability"; }, &avail));
  EXPECT_TRUE(avail.retain);
  for (const auto& r : late.messages()) {
    if (r.topic.rfind("homeassistant/", 0) == 0) {
      const json j = json::parse(r.payload);
      EXPECT_EQ(j["state_topic"], "test/ps1/state") << r.topic;
      EXPECT_FALSE(j["unique_id"].get<std::string>().empty()) << r.topic;
      EXPECT_TRUE(r.retain) << r.topic;
    }
  }
}

TEST_F(MqttBridgeTest, StateIsPacedByDeviceTime) {
  Broker broker(free_loopback_port());
  ASSERT_TRUE(broker.start());
  auto bridge = make_bridge(broker.port(), 10.0);
  ASSERT_TRUE(eventually([&] { return bridge->connected(); }));
  int queued = 0;
  for (int i = 0; i < 60; ++i) {  // 30 s of device time in 0.5 s snapshots
    queued += bridge->publish_state(0.5 * i, "{}") ? 1 : 0;
  }
  EXPECT_EQ(queued, 3);
  EXPECT_EQ(bridge->states_published(), 3U);
}

TEST_F(MqttBridgeTest, SettingsCommandRoundTrip) {
  Broker broker(free_loopback_port());
  ASSERT_TRUE(broker.start());
  auto bridge = make_bridge(broker.port());
  ASSERT_TRUE(eventually([&] { return bridge->connected(); }));
  Client client(broker.port(), "test/ps1/set/result");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the subscriptions settle
  auto reply_with_id = [&](int id) {
    Received r;
    EXPECT_TRUE(client.wait_for(
        [&](const Received& m) { return json::parse(m.payload).value("id", -1) == id; }, &r));
    return r.payload.empty() ? json::object() : json::parse(r.payload);
  };

  client.publish(
      "test/ps1/set/settings",
      json({{"token", kToken}, {"settings", {{"i_charge_max_a", 12.5}}}, {"id", 1}}).dump());
  json r = reply_with_id(1);
  EXPECT_EQ(r["status"], 200);
  EXPECT_EQ(r["settings"]["i_charge_max_a"], 12.5);
  EXPECT_EQ(settings.i_charge_max_a.load(), 12.5);
  EXPECT_FALSE(r.contains("token"));

  client.publish(
      "test/ps1/set/settings",
      json({{"token", "wrong-token-wrong-token"}, {"settings", {{"i_charge_max_a", 5}}}, {"id", 2}})
          .dump());
  r = reply_with_id(2);
  EXPECT_EQ(r["status"], 401);
  EXPECT_EQ(r["error"], "unauthorized");

  client.publish(
      "test/ps1/set/settings",
      json({{"token", kToken}, {"settings", {{"i_charge_max_a", 99}}}, {"id", 3}}).dump());
  r = reply_with_id(3);
  EXPECT_EQ(r["status"], 400);
  EXPECT_EQ(r["error"], "bad-field");
  EXPECT_EQ(r["fields"][0]["field"], "i_charge_max_a");

  client.publish("test/ps1/set/settings", "{not json");
  Received bad;
  EXPECT_TRUE(client.wait_for(
      [](const Received& m) { return json::parse(m.payload).value("error", "") == "bad-json"; },
      &bad));

  EXPECT_EQ(settings.applied.load(), 1);  // only the authenticated, valid command
  EXPECT_EQ(settings.i_charge_max_a.load(), 12.5);
}

TEST_F(MqttBridgeTest, RetainedCommandIsNotReplayedAtConnect) {
  Broker broker(free_loopback_port());
  ASSERT_TRUE(broker.start());
  Client client(broker.port(), "test/ps1/set/result");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Left on the broker before the twin connects: delivered to it with the retain flag.
  client.publish("test/ps1/set/settings",
                 json({{"token", kToken}, {"settings", {{"i_charge_max_a", 7}}}, {"id", 4}}).dump(),
                 true);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto bridge = make_bridge(broker.port());
  Received r;
  ASSERT_TRUE(client.wait_for([](const Received&) { return true; }, &r));
  const json reply = json::parse(r.payload);
  EXPECT_EQ(reply["status"], 400);
  EXPECT_EQ(reply["error"], "retained-command");
  EXPECT_EQ(settings.applied.load(), 0);
}

TEST_F(MqttBridgeTest, ConnectsWhenTheBrokerComesUpLateAndReconnectsAfterARestart) {
  const int port = free_loopback_port();
  auto bridge = make_bridge(port);  // nothing listens yet
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(bridge->connected());
  EXPECT_FALSE(bridge->publish_state(0.0, "{}"));
  EXPECT_EQ(bridge->states_dropped(), 1U);
  {
    Broker broker(port);
    ASSERT_TRUE(broker.start());
    ASSERT_TRUE(eventually([&] { return bridge->connected(); }, std::chrono::seconds(40)));
    EXPECT_EQ(bridge->connects(), 1U);
  }
  ASSERT_TRUE(eventually([&] { return !bridge->connected(); }));
  Broker broker(port);
  ASSERT_TRUE(broker.start());
  ASSERT_TRUE(eventually([&] { return bridge->connected(); }, std::chrono::seconds(40)));
  EXPECT_EQ(bridge->connects(), 2U);
  Client client(broker.port(), "test/ps1/availability");
  Received avail;
  ASSERT_TRUE(client.wait_for([](const Received&) { return true; }, &avail));
  EXPECT_EQ(avail.payload, "online");  // announced again on the new broker
}

TEST_F(MqttBridgeTest, StopSaysOfflineAndAVanishedTwinLeavesItsLastWill) {
  Broker broker(free_loopback_port());
  ASSERT_TRUE(broker.start());
  Client client(broker.port(), "test/ps1/availability");
  {
    auto bridge = make_bridge(broker.port());
    ASSERT_TRUE(client.wait_for([](const Received& r) { return r.payload == "online"; }));
    client.clear();
    bridge->stop();
    ASSERT_TRUE(client.wait_for([](const Received& r) { return r.payload == "offline"; }));
  }
  client.clear();
  // A child process connects and dies without a DISCONNECT: the broker sends the will.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    MqttOptions o;
    o.port = broker.port();
    o.base_topic = "test/ps1";
    std::string error;
    auto b = MqttBridge::create(o, nullptr, nullptr, error);
    if (!b || !b->start(error)) {
      ::_exit(2);
    }
    for (int i = 0; i < 250 && !b->connected(); ++i) {
      ::usleep(20000);
    }
    ::usleep(200000);
    ::_exit(b->connected() ? 0 : 3);
  }
  int st = 0;
  ::waitpid(child, &st, 0);
  ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
  ASSERT_TRUE(client.wait_for([](const Received& r) { return r.payload == "online"; }));
  Received will;
  ASSERT_TRUE(client.wait_for([](const Received& r) { return r.payload == "offline"; }, &will));
  EXPECT_EQ(will.topic, "test/ps1/availability");
}

}  // namespace
