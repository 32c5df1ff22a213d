#include "powerstack/twin/twin_app.hpp"

#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "powerstack/twin/api_server.hpp"
#include "powerstack/twin/device_firmware.hpp"
#include "powerstack/twin/device_runner.hpp"
#include "powerstack/twin/settings_service.hpp"
#include "powerstack/twin/token_auth.hpp"
#include "sim/scenario/solar_charger_scenario.hpp"

#ifndef POWERSTACK_TWIN_WEB_DIR
#define POWERSTACK_TWIN_WEB_DIR ""
#endif

namespace powerstack::twin {

struct TwinApp::Parts {
  sim::SolarChargerScenario scenario;
  std::unique_ptr<sim::FileFlash> flash;
  std::unique_ptr<SettingsService> settings;
  std::unique_ptr<TokenAuth> auth;
  std::unique_ptr<DeviceRunner> runner;
  std::unique_ptr<ApiServer> server;
  int port = 0;
};

std::string default_data_dir() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state != nullptr && *state != '\0') {
    return (std::filesystem::path(state) / "powerstack" / "twin").string();
  }
  const char* home = std::getenv("HOME");
  return (std::filesystem::path(home != nullptr ? home : ".") / ".local" / "state" / "powerstack" /
          "twin")
      .string();
}

std::unique_ptr<TwinApp> TwinApp::open(const TwinOptions& o, std::ostream& out, std::ostream& err) {
  if (!(o.speed > 0.0) || !(o.speed <= 1e6)) {
    err << "powerstack: --speed must be in (0, 1e6], got " << o.speed << '\n';
    return nullptr;
  }
  if (!(o.log_period_s >= 1.0)) {
    err << "powerstack: the log period must be at least 1 s\n";
    return nullptr;
  }
  auto p = std::make_unique<Parts>();
  const sim::ScenarioParseResult parsed = sim::read_solar_charger_scenario(o.scenario_path);
  if (!parsed.scenario) {
    err << "powerstack: " << parsed.error << '\n';
    return nullptr;
  }
  p->scenario = *parsed.scenario;
  const std::string dir = o.data_dir.empty() ? default_data_dir() : o.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << "powerstack: cannot create the data directory '" << dir << "': " << ec.message() << '\n';
    return nullptr;
  }
  std::string error;
  p->flash = open_settings_flash(dir, error);
  if (!p->flash) {
    err << "powerstack: " << error << '\n';
    return nullptr;
  }
  p->settings = std::make_unique<SettingsService>(*p->flash, scenario_settings(p->scenario));
  out << p->settings->load().note << '\n';

  const std::string token_path =
      o.token_file.empty() ? (std::filesystem::path(dir) / "token").string() : o.token_file;
  bool created = false;
  p->auth = TokenAuth::load_or_create(token_path, o.token_file.empty(), created, error);
  if (!p->auth) {
    err << "powerstack: " << error << '\n';
    return nullptr;
  }
  out << (created ? "token: created " : "token: ") << token_path << '\n';

  p->runner = DeviceRunner::create(p->scenario, p->settings->current(), error);
  if (!p->runner) {
    err << "powerstack: " << o.scenario_path << ": " << error << '\n';
    return nullptr;
  }
  p->settings->set_listener([runner = p->runner.get()](const settings::ChargerSettings& s) {
    runner->apply_settings(s);
  });

  ApiServices services;
  services.runner = p->runner.get();
  services.settings = p->settings.get();
  services.auth = p->auth.get();
  services.web_dir = o.web_dir.empty() ? std::string(POWERSTACK_TWIN_WEB_DIR) : o.web_dir;
  p->server = std::make_unique<ApiServer>(services);
  const std::optional<int> port = p->server->bind(o.bind, o.port, error);
  if (!port) {
    err << "powerstack: " << error << '\n';
    return nullptr;
  }
  p->port = *port;
  p->runner->start(o.speed);
  p->server->start();
  out << "serving " << p->scenario.name << " on http://" << o.bind << ':' << p->port << "/ (speed "
      << o.speed << "x, data in " << dir << ")" << std::endl;
  return std::unique_ptr<TwinApp>(new TwinApp(std::move(p)));
}

TwinApp::TwinApp(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

TwinApp::~TwinApp() {
  stop();
}

int TwinApp::port() const {
  return parts_->port;
}

void TwinApp::stop() {
  if (parts_->server) {
    parts_->server->stop();
  }
  if (parts_->runner) {
    parts_->runner->stop();
  }
}

}  // namespace powerstack::twin
