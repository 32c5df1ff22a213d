// Test helpers: a real mosquitto broker on a free loopback port (its config in a temporary
// directory, stopped by the destructor), and a libmosquitto client that records what it
// receives. The broker binary comes from Debian's mosquitto package (scripts/setup).
#pragma once

#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace powerstack::twin::test {

inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

class Broker {
 public:
  explicit Broker(int port) : port_(port) {
    dir_ = std::filesystem::temp_directory_path() /
           ("ps-mosquitto-" + std::to_string(::getpid()) + "-" + std::to_string(port));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "mosquitto.conf") << "listener " << port << " 127.0.0.1\n"
                                           << "allow_anonymous true\n"
                                           << "persistence false\n";
  }
  ~Broker() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Starts mosquitto and waits (5 s at most) until it accepts connections.
  bool start() {
    const std::string conf = (dir_ / "mosquitto.conf").string();
    const std::string log = (dir_ / "mosquitto.log").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    for (const char* exe : {"/usr/sbin/mosquitto", "mosquitto"}) {
      char* argv[] = {const_cast<char*>(exe), const_cast<char*>("-c"),
                      const_cast<char*>(conf.c_str()), nullptr};
      if (posix_spawnp(&pid_, exe, &fa, nullptr, argv, environ) == 0) {
        break;
      }
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    if (pid_ <= 0) {
      return false;
    }
    for (int i = 0; i < 100; ++i) {
      if (port_accepts(port_)) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
      pid_ = -1;
    }
  }
  [[nodiscard]] int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
  std::filesystem::path dir_;
};

struct Received {
  std::string topic;
  std::string payload;
  bool retain = false;
};

// Subscribes to `filter` and records every message.
class Client {
 public:
  Client(int port, const std::string& filter) : filter_(filter) {
    mosquitto_lib_init();
    m_ = mosquitto_new(nullptr, true, this);
    mosquitto_connect_callback_set(m_, [](mosquitto* m, void* self, int rc) {
      if (rc == 0) {
        mosquitto_subscribe(m, nullptr, static_cast<Client*>(self)->filter_.c_str(), 1);
      }
    });
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      auto* c = static_cast<Client*>(self);
      const std::lock_guard<std::mutex> lock(c->mutex_);
      c->messages_.push_back({msg->topic,
                              std::string(static_cast<const char*>(msg->payload),
                                          static_cast<std::size_t>(msg->payloadlen)),
                              msg->retain});
      c->cv_.notify_all();
    });
    mosquitto_reconnect_delay_set(m_, 1, 1, false);
    mosquitto_connect_async(m_, "127.0.0.1", port, 30);
    mosquitto_loop_start(m_);
  }
  ~Client() {
    mosquitto_disconnect(m_);
    mosquitto_loop_stop(m_, true);
    mosquitto_destroy(m_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void publish(const std::string& topic, const std::string& payload, bool retain = false) {
    mosquitto_publish(m_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(),
                      1, retain);
  }
  // Waits (up to timeout) until some message matches; returns the first match.
  bool wait_for(const std::function<bool(const Received&)>& match, Received* out = nullptr,
                std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool ok = cv_.wait_for(lock, timeout, [&] {
      for (const auto& r : messages_) {
        if (match(r)) {
          if (out != nullptr) {
            *out = r;
          }
          return true;
        }
      }
      return false;
    });
    return ok;
  }
  std::vector<Received> messages() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return messages_;
  }
  void clear() {
    const std::lock_guard<std::mutex> lock(mutex_);
    messages_.clear();
  }

 private:
  std::string filter_;
  mosquitto* m_ = nullptr;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Received> messages_;
};

// Polls `cond` every 20 ms for up to `timeout`.
inline bool eventually(const std::function<bool()>& cond,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

}  // namespace powerstack::twin::test
