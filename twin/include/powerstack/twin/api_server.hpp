// ApiServer: the twin's HTTP interface (docs/twin-api.md) on cpp-httplib. Reads are open;
// PUT /api/v1/settings needs the bearer token (TokenAuth). Bodies over 16 KiB are refused
// (413); every error is the JSON object of api_error.hpp. /api/v1/events streams
// server-sent events (at most kMaxStreams at once; more get 503 busy). Static files come
// from web_dir; without it "/" answers a plain "dashboard not built" page.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "powerstack/twin/device_runner.hpp"
#include "powerstack/twin/settings_service.hpp"
#include "powerstack/twin/token_auth.hpp"

namespace httplib {
class Server;
}

namespace powerstack::twin {

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
};

struct ApiServices {
  DeviceRunner* runner = nullptr;
  SettingsService* settings = nullptr;
  TokenAuth* auth = nullptr;
  // Optional parts (404 when empty): the log's history ("day" | "month", csv) and the
  // display page as PNG.
  std::function<HttpReply(const std::string& range, bool csv)> history;
  std::function<std::string()> display_png;
  std::string web_dir;  // "" or a missing directory: the "dashboard not built" page
};

class ApiServer {
 public:
  static constexpr std::size_t kMaxBodyBytes = 16 * 1024;
  static constexpr int kMaxStreams = 256;
  static constexpr int kThreads = 512;

  explicit ApiServer(ApiServices services);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds (port 0: any free port); the bound port, or nullopt with `error` set.
  std::optional<int> bind(const std::string& address, int port, std::string& error);
  void start();  // serves on its own thread
  void stop();   // ends streams and joins; idempotent

 private:
  void routes();
  ApiServices services_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> streams_{0};
};

}  // namespace powerstack::twin
