// TwinApp: `powerstack twin` assembled. Opens the data directory (settings flash, token,
// log, display), loads the stored settings, starts the device runner and the HTTP server,
// and stops them in reverse order. The command (apps/powerstack/src/cmd_twin.cpp) only
// parses options and waits for SIGINT/SIGTERM.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace powerstack::twin {

struct TwinOptions {
  std::string scenario_path;
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string data_dir;  // "" -> default_data_dir()
  double speed = 1.0;
  std::string token_file;      // "" -> DATA_DIR/token, created at first start
  std::string web_dir;         // "" -> the build's copy of web/dist
  double log_period_s = 60.0;  // one log row per this much device time
};

// $XDG_STATE_HOME/powerstack/twin, else ~/.local/state/powerstack/twin.
std::string default_data_dir();

class TwinApp {
 public:
  // Null after printing why to `err` (bad scenario, data dir, token, port in use).
  static std::unique_ptr<TwinApp> open(const TwinOptions& options, std::ostream& out,
                                       std::ostream& err);
  ~TwinApp();
  TwinApp(const TwinApp&) = delete;
  TwinApp& operator=(const TwinApp&) = delete;

  [[nodiscard]] int port() const;
  void stop();  // idempotent

 private:
  struct Parts;
  explicit TwinApp(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace powerstack::twin
