// MqttBridge: the twin on an MQTT broker (libmosquitto; topics and payloads in docs/mqtt.md).
//
// On every (re)connect it publishes the Home Assistant discovery configs and "online"
// (retained) and subscribes to the command topic; the broker publishes the last will
// "offline" when the twin goes away without saying goodbye, and stop() says "offline" itself.
// The bridge's own network thread does all I/O (libmosquitto in threaded mode) and connects,
// and reconnects after a loss, with exponential backoff (1 s doubling to 30 s, back to 1 s
// once connected), so the device loop never waits on the network: publish_state()
// only queues a message (dropped, and counted, while disconnected). Commands are handled on
// the network thread through the CommandReply handler (mqtt_command.hpp); retained command
// messages are refused so that a stale command is never replayed at a reconnect.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "powerstack/twin/device_time_pacer.hpp"
#include "powerstack/twin/mqtt_command.hpp"
#include "powerstack/twin/mqtt_topics.hpp"

struct mosquitto;
struct mosquitto_message;

namespace powerstack::twin {

struct MqttOptions {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string base_topic = "powerstack/twin";
  std::string discovery_prefix = "homeassistant";
  std::string client_id;  // "" -> "powerstack-" + node id
  std::string username;   // broker credentials; "" for none
  std::string password;
  double state_period_s = 10.0;  // device time between two state messages
  int keepalive_s = 30;
  DeviceInfo device;
};

// "HOST:PORT" (or "[v6addr]:PORT") into host and port; false with `error` saying why.
bool parse_mqtt_address(std::string_view text, std::string& host, int& port, std::string& error);

class MqttBridge {
 public:
  using CommandHandler = std::function<CommandReply(std::string_view payload)>;
  using Log = std::function<void(const std::string& line)>;

  // Null with `error` set when the options are unusable (base topic, port).
  static std::unique_ptr<MqttBridge> create(const MqttOptions& options, CommandHandler handler,
                                            Log log, std::string& error);
  ~MqttBridge();  // stop()
  MqttBridge(const MqttBridge&) = delete;
  MqttBridge& operator=(const MqttBridge&) = delete;

  // Starts connecting in the background (a broker that is not up yet is retried).
  bool start(std::string& error);
  // Publishes "offline", disconnects and joins the network thread; idempotent.
  void stop();

  // From the device loop with every snapshot (or a sampler at the period): queues the status
  // JSON when state_period_s of device time has passed since the last one. True if queued.
  bool publish_state(double t_s, const std::string& status_json);

  [[nodiscard]] const MqttTopics& topics() const { return topics_; }
  [[nodiscard]] bool connected() const { return connected_.load(); }
  [[nodiscard]] std::uint64_t connects() const { return connects_.load(); }
  [[nodiscard]] std::uint64_t states_published() const { return states_published_.load(); }
  [[nodiscard]] std::uint64_t states_dropped() const { return states_dropped_.load(); }
  [[nodiscard]] std::uint64_t commands_handled() const { return commands_.load(); }

 private:
  MqttBridge(const MqttOptions& options, CommandHandler handler, Log log);
  static void on_connect(mosquitto* m, void* self, int rc);
  static void on_disconnect(mosquitto* m, void* self, int rc);
  static void on_message(mosquitto* m, void* self, const mosquitto_message* msg);
  void run();
  void announce();
  void handle_message(const mosquitto_message& msg);
  void publish(const std::string& topic, std::string_view payload, int qos, bool retain);

  MqttOptions options_;
  MqttTopics topics_;
  CommandHandler handler_;
  Log log_;
  mosquitto* mosq_ = nullptr;
  std::mutex pacer_mutex_;
  DeviceTimePacer pacer_;
  std::thread thread_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> connects_{0};
  std::atomic<std::uint64_t> states_published_{0};
  std::atomic<std::uint64_t> states_dropped_{0};
  std::atomic<std::uint64_t> commands_{0};
};

}  // namespace powerstack::twin
