#include "powerstack/twin/mqtt_bridge.hpp"

#include <mosquitto.h>

#include <charconv>
#include <chrono>
#include <mutex>
#include <utility>

namespace powerstack::twin {

namespace {

constexpr int kQosState = 0;    // the next state replaces a lost one
constexpr int kQosControl = 1;  // discovery, availability, replies
constexpr unsigned kReconnectMinS = 1;
constexpr unsigned kReconnectMaxS = 30;

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

}  // namespace

bool parse_mqtt_address(std::string_view text, std::string& host, int& port, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    error = "--mqtt wants HOST:PORT, got '" + std::string(text) + "'";
    return false;
  }
  std::string_view h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  if (h.empty()) {
    error = "--mqtt wants HOST:PORT, got an empty host in '" + std::string(text) + "'";
    return false;
  }
  const std::string_view p = text.substr(colon + 1);
  int value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value < 1 || value > 65535) {
    error = "--mqtt port '" + std::string(p) + "' is not a port number (1-65535)";
    return false;
  }
  host = std::string(h);
  port = value;
  return true;
}

std::unique_ptr<MqttBridge> MqttBridge::create(const MqttOptions& options, CommandHandler handler,
                                               Log log, std::string& error) {
  error = check_base_topic(options.base_topic);
  if (error.empty() && (options.port < 1 || options.port > 65535)) {
    error = "MQTT port " + std::to_string(options.port) + " is not 1-65535";
  }
  if (error.empty() && options.host.empty()) {
    error = "the MQTT broker host is empty";
  }
  if (!error.empty()) {
    return nullptr;
  }
  return std::unique_ptr<MqttBridge>(new MqttBridge(options, std::move(handler), std::move(log)));
}

MqttBridge::MqttBridge(const MqttOptions& options, CommandHandler handler, Log log)
    : options_(options),
      topics_(options.base_topic),
      handler_(std::move(handler)),
      log_(std::move(log)),
      pacer_(options.state_period_s) {
  if (options_.client_id.empty()) {
    options_.client_id = "powerstack-" + node_id_of(options_.base_topic);
  }
}

MqttBridge::~MqttBridge() {
  stop();
}

bool MqttBridge::start(std::string& error) {
  if (mosq_ != nullptr) {
    return true;
  }
  init_library();
  mosq_ = mosquitto_new(options_.client_id.c_str(), true, this);
  if (mosq_ == nullptr) {
    error = "cannot create the MQTT client";
    return false;
  }
  // Publishing from the device thread while the network thread runs the loop.
  mosquitto_threaded_set(mosq_, true);
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  constexpr std::string_view kOffline = "offline";
  int rc =
      mosquitto_will_set(mosq_, topics_.availability.c_str(), static_cast<int>(kOffline.size()),
                         kOffline.data(), kQosControl, true);
  if (rc == MOSQ_ERR_SUCCESS && !options_.username.empty()) {
    rc = mosquitto_username_pw_set(mosq_, options_.username.c_str(),
                                   options_.password.empty() ? nullptr : options_.password.c_str());
  }
  if (rc != MOSQ_ERR_SUCCESS) {
    error = std::string("MQTT client set-up failed: ") + mosquitto_strerror(rc);
    mosquitto_destroy(mosq_);
    mosq_ = nullptr;
    return false;
  }
  mosquitto_connect_callback_set(mosq_, &MqttBridge::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttBridge::on_disconnect);
  mosquitto_message_callback_set(mosq_, &MqttBridge::on_message);
  stop_ = false;
  thread_ = std::thread([this] { run(); });
  return true;
}

void MqttBridge::run() {
  constexpr int kLoopTimeoutMs = 100;
  constexpr int kFlushLoopsAfterStop = 20;  // 2 s to send "offline" and DISCONNECT
  unsigned delay_s = kReconnectMinS;
  bool said_unreachable = false;
  while (!stop_.load()) {
    const std::uint64_t connects_before = connects_.load();
    int rc = mosquitto_connect(mosq_, options_.host.c_str(), options_.port, options_.keepalive_s);
    if (rc == MOSQ_ERR_SUCCESS) {
      said_unreachable = false;
      int after_stop = 0;
      while (rc == MOSQ_ERR_SUCCESS && !(stop_.load() && ++after_stop > kFlushLoopsAfterStop)) {
        rc = mosquitto_loop(mosq_, kLoopTimeoutMs, 1);
      }
    } else if (!said_unreachable && log_) {
      said_unreachable = true;
      log_("mqtt: cannot reach " + options_.host + ":" + std::to_string(options_.port) + " (" +
           mosquitto_strerror(rc) + "), retrying with backoff");
    }
    connected_ = false;
    if (connects_.load() != connects_before) {
      delay_s = kReconnectMinS;  // it was up: start the backoff again
      if (log_ && !stop_.load()) {
        log_("mqtt: connection lost, reconnecting with backoff");
      }
    }
    std::unique_lock<std::mutex> lock(wake_mutex_);
    wake_.wait_for(lock, std::chrono::seconds(delay_s), [this] { return stop_.load(); });
    delay_s = delay_s * 2 > kReconnectMaxS ? kReconnectMaxS : delay_s * 2;
  }
}

void MqttBridge::stop() {
  if (mosq_ == nullptr) {
    return;
  }
  {
    // First, so the network thread does not reconnect; it still sends what is queued.
    const std::lock_guard<std::mutex> lock(wake_mutex_);
    stop_ = true;
  }
  if (connected_.load()) {
    publish(topics_.availability, "offline", kQosControl, true);
    mosquitto_disconnect(mosq_);
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
}

bool MqttBridge::publish_state(double t_s, const std::string& status_json) {
  {
    const std::lock_guard<std::mutex> lock(pacer_mutex_);
    if (!pacer_.due(t_s)) {
      return false;
    }
  }
  if (mosq_ == nullptr || !connected_.load()) {
    ++states_dropped_;
    return false;
  }
  const int rc =
      mosquitto_publish(mosq_, nullptr, topics_.state.c_str(), static_cast<int>(status_json.size()),
                        status_json.data(), kQosState, true);
  if (rc != MOSQ_ERR_SUCCESS) {
    ++states_dropped_;
    return false;
  }
  ++states_published_;
  return true;
}

void MqttBridge::publish(const std::string& topic, std::string_view payload, int qos, bool retain) {
  mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(),
                    qos, retain);
}

void MqttBridge::announce() {
  for (const auto& m : discovery_messages(topics_, options_.discovery_prefix, options_.device)) {
    publish(m.topic, m.payload, kQosControl, true);
  }
  publish(topics_.availability, "online", kQosControl, true);
  mosquitto_subscribe(mosq_, nullptr, topics_.command.c_str(), kQosControl);
}

void MqttBridge::on_connect(mosquitto* /*m*/, void* self, int rc) {
  auto* b = static_cast<MqttBridge*>(self);
  if (rc != 0) {
    if (b->log_) {
      b->log_(std::string("mqtt: broker refused the connection: ") + mosquitto_connack_string(rc));
    }
    return;
  }
  b->connected_ = true;
  ++b->connects_;
  if (b->log_) {
    b->log_("mqtt: connected to " + b->options_.host + ":" + std::to_string(b->options_.port) +
            ", base topic " + b->topics_.base);
  }
  b->announce();
}

void MqttBridge::on_disconnect(mosquitto* /*m*/, void* self, int /*rc*/) {
  // Only stop publishing here; the network thread logs the loss and reconnects.
  static_cast<MqttBridge*>(self)->connected_ = false;
}

void MqttBridge::on_message(mosquitto* /*m*/, void* self, const mosquitto_message* msg) {
  if (msg != nullptr) {
    static_cast<MqttBridge*>(self)->handle_message(*msg);
  }
}

void MqttBridge::handle_message(const mosquitto_message& msg) {
  if (msg.topic == nullptr || topics_.command != msg.topic) {
    return;
  }
  ++commands_;
  CommandReply reply;
  if (msg.retain) {
    reply.status = 400;
    reply.body = {{"error", "retained-command"},
                  {"message", "retained commands are ignored: publish commands without retain"},
                  {"fields", nlohmann::json::array()},
                  {"status", 400}};
  } else {
    const std::string_view payload(
        static_cast<const char*>(msg.payload),
        msg.payload == nullptr ? 0U : static_cast<std::size_t>(msg.payloadlen));
    reply = handler_(payload);
  }
  publish(topics_.result, reply.body.dump(), kQosControl, false);
}

}  // namespace powerstack::twin
