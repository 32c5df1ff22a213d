// The "twin-load" suite: the assembled twin (TwinApp, as `powerstack twin` runs it) on a free
// loopback port, its device running as fast as it goes (--speed 1e6).
//   load: 100 clients polling GET /api/v1/status (keep-alive) and 100 holding
//   /api/v1/events, all at once for 30 s: requests, latency p50/p99/max, events received;
//   memory: resident set size sampled every second while the device covers at least one
//   hour of device time (and 30 s of wall time), first / last / max.
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "powerstack/app/bench_suites.hpp"
#include "powerstack/twin/twin_app.hpp"

namespace powerstack::app {

namespace {

using Clock = std::chrono::steady_clock;

double rss_mib() {
  std::ifstream f("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  f >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

double device_time_s(int port) {
  httplib::Client c("127.0.0.1", port);
  const auto r = c.Get("/api/v1/status");
  return r && r->status == 200 ? nlohmann::json::parse(r->body).value("t_s", 0.0) : -1.0;
}

nlohmann::json load_phase(int port, double seconds) {
  constexpr int kApiClients = 100;
  constexpr int kSseClients = 100;
  std::atomic<bool> stop{false};
  std::mutex m;
  std::vector<double> latencies_ms;
  std::atomic<long> failures{0};
  std::atomic<long> events{0};
  std::atomic<int> sse_with_events{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kApiClients; ++i) {
    threads.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      std::vector<double> mine;
      while (!stop) {
        const auto t0 = Clock::now();
        const auto r = c.Get("/api/v1/status");
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (r && r->status == 200) {
          mine.push_back(ms);
        } else {
          ++failures;
        }
      }
      const std::lock_guard lock(m);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (int i = 0; i < kSseClients; ++i) {
    threads.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(5, 0);
      long mine = 0;
      c.Get("/api/v1/events", [&](const char* data, std::size_t n) {
        for (std::size_t k = 0; k + 13 <= n; ++k) {
          mine += std::string_view(data + k, 13) == "event: status" ? 1 : 0;
        }
        return !stop.load();
      });
      events += mine;
      sse_with_events += mine > 0 ? 1 : 0;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) {
    t.join();
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto pct = [&](double q) {
    return latencies_ms.empty() ? 0.0
                                : latencies_ms[static_cast<std::size_t>(
                                      q * static_cast<double>(latencies_ms.size() - 1))];
  };
  return {{"phase", "load"},
          {"wall_s", seconds},
          {"api_clients", kApiClients},
          {"sse_clients", kSseClients},
          {"requests_ok", latencies_ms.size()},
          {"requests_failed", failures.load()},
          {"requests_per_s", static_cast<double>(latencies_ms.size()) / seconds},
          {"latency_p50_ms", pct(0.50)},
          {"latency_p99_ms", pct(0.99)},
          {"latency_max_ms", latencies_ms.empty() ? 0.0 : latencies_ms.back()},
          {"sse_events", events.load()},
          {"sse_clients_with_events", sse_with_events.load()}};
}

nlohmann::json memory_phase(int port) {
  const double t_start = device_time_s(port);
  const auto wall0 = Clock::now();
  std::vector<double> rss;
  double t_now = t_start;
  while (t_now - t_start < 3600.0 ||
         std::chrono::duration<double>(Clock::now() - wall0).count() < 30.0) {
    rss.push_back(rss_mib());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    t_now = device_time_s(port);
    if (std::chrono::duration<double>(Clock::now() - wall0).count() > 600.0) {
      break;  // bounded, whatever the speed
    }
  }
  const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
  return {{"phase", "memory"},
          {"wall_s", wall},
          {"device_s", t_now - t_start},
          {"device_s_per_wall_s", (t_now - t_start) / wall},
          {"rss_first_mib", rss.front()},
          {"rss_last_mib", rss.back()},
          {"rss_max_mib", *std::max_element(rss.begin(), rss.end())}};
}

}  // namespace

nlohmann::json run_twin_load_suite() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("powerstack-bench-twin-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  twin::TwinOptions o;
  o.scenario_path = POWERSTACK_TWIN_BENCH_SCENARIO;
  o.port = 0;
  o.data_dir = dir.string();
  o.speed = 1e6;  // as fast as it goes
  std::ostringstream out;
  std::ostringstream err;
  auto app = twin::TwinApp::open(o, out, err);
  nlohmann::json rows = nlohmann::json::array();
  if (!app) {
    rows.push_back({{"error", err.str()}});
    return rows;
  }
  rows.push_back(load_phase(app->port(), 30.0));
  rows.push_back(memory_phase(app->port()));
  app.reset();
  std::filesystem::remove_all(dir);
  return rows;
}

}  // namespace powerstack::app
