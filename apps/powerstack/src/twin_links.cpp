#include "powerstack/app/twin_links.hpp"

#include <memory>
#include <string_view>

#include "powerstack/app/serial_device.hpp"
#include "powerstack/twin/mqtt_bridge.hpp"

namespace powerstack::app {

namespace {

constexpr int kVeDirectBaud = 19200;

}  // namespace

void add_twin_link_options(CLI::App* sub, TwinLinkArgs& args) {
  auto* mqtt = sub->add_option("--mqtt", args.mqtt,
                               "MQTT broker HOST:PORT: state, Home Assistant discovery, commands");
  sub->add_option("--mqtt-base", args.mqtt_base, "MQTT base topic")
      ->needs(mqtt)
      ->capture_default_str();
  sub->add_option("--mqtt-interval", args.mqtt_interval_s,
                  "Device seconds between two MQTT state messages")
      ->needs(mqtt)
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  sub->add_option("--vedirect", args.vedirect,
                  "Serial device or pty for VE.Direct text output (19200 8N1)");
}

bool resolve_twin_links(const TwinLinkArgs& args, twin::TwinOptions& options, std::ostream& err) {
  if (!args.mqtt.empty()) {
    twin::MqttOptions m;
    std::string error;
    if (!twin::parse_mqtt_address(args.mqtt, m.host, m.port, error)) {
      err << "powerstack: " << error << '\n';
      return false;
    }
    error = twin::check_base_topic(args.mqtt_base);
    if (!error.empty()) {
      err << "powerstack: --mqtt-base: " << error << '\n';
      return false;
    }
    m.base_topic = args.mqtt_base;
    m.state_period_s = args.mqtt_interval_s;
    options.mqtt = m;
  }
  if (!args.vedirect.empty()) {
    auto dev = std::make_shared<SerialDevice>();
    std::string error;
    if (!dev->open(args.vedirect, error, kVeDirectBaud)) {
      err << "powerstack: --vedirect: " << error << '\n';
      return false;
    }
    // A block the line has not taken is dropped, not queued (docs/vedirect.md): send only when
    // the previous block has gone.
    options.vedirect = [dev](std::string_view block) {
      dev->flush();
      if (dev->pending_bytes() > 0 || !dev->io_error().empty()) {
        return false;
      }
      dev->write({reinterpret_cast<const std::uint8_t*>(block.data()), block.size()});
      return true;
    };
  }
  return true;
}

}  // namespace powerstack::app
