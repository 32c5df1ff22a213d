#include "powerstack/twin/api_server.hpp"

#include <httplib.h>

#include <filesystem>

#include "powerstack/twin/api_error.hpp"
#include "powerstack/twin/settings_json.hpp"
#include "powerstack/twin/status_json.hpp"

namespace powerstack::twin {

namespace {

constexpr const char* kJson = "application/json";

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message) {
  res.status = status;
  res.set_content(error_to_json({status, code, message, {}}).dump(), kJson);
}

constexpr const char* kNotBuiltPage =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>powerstack twin</title></head>"
    "<body><h1>powerstack twin</h1><p>The dashboard is not built (no web/dist). The API is "
    "served: <a href=\"/api/v1/status\">/api/v1/status</a>.</p></body></html>";

// One SSE message.
std::string sse(const char* event, const std::string& data) {
  return std::string("event: ") + event + "\ndata: " + data + "\n\n";
}

}  // namespace

ApiServer::ApiServer(ApiServices services)
    : services_(std::move(services)), server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server_->set_payload_max_length(kMaxBodyBytes);
  // Short idle and I/O timeouts: stop() waits for every worker, and a worker can sit in an idle
  // keep-alive or a stalled read/write for that long.
  server_->set_keep_alive_timeout(1);
  server_->set_read_timeout(2, 0);
  server_->set_write_timeout(2, 0);
  routes();
}

ApiServer::~ApiServer() {
  stop();
}

std::optional<int> ApiServer::bind(const std::string& address, int port, std::string& error) {
  const int bound = port == 0 ? server_->bind_to_any_port(address)
                              : (server_->bind_to_port(address, port) ? port : -1);
  if (bound <= 0) {
    error = "cannot listen on " + address + ":" + std::to_string(port) +
            " (in use, or not an address of this host)";
    return std::nullopt;
  }
  return bound;
}

void ApiServer::start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void ApiServer::stop() {
  stopping_ = true;
  if (server_) {
    server_->stop();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ApiServer::routes() {
  httplib::Server& s = *server_;
  ApiServices& svc = services_;

  s.Get("/api/v1/status", [&svc](const httplib::Request&, httplib::Response& res) {
    res.set_content(status_to_json(svc.runner->status()).dump(), kJson);
  });
  s.Get("/api/v1/settings", [&svc](const httplib::Request&, httplib::Response& res) {
    res.set_content(settings_to_json(svc.settings->current()).dump(), kJson);
  });
  s.Put("/api/v1/settings", [&svc](const httplib::Request& req, httplib::Response& res) {
    const TokenAuth::Check c =
        svc.auth->check(req.remote_addr, req.get_header_value("Authorization"));
    if (c.verdict == TokenAuth::Verdict::kRateLimited) {
      res.set_header("Retry-After", std::to_string(c.retry_after_s));
      send_error(res, 429, "rate-limited",
                 "too many failed authentications from this address; retry in " +
                     std::to_string(c.retry_after_s) + " s");
      return;
    }
    if (c.verdict != TokenAuth::Verdict::kOk) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(
          res, 401, "unauthorized",
          req.has_header("Authorization") ? "wrong token" : "missing Authorization: Bearer TOKEN");
      return;
    }
    const SettingsService::Result r = svc.settings->apply(req.body);
    res.status = r.status;
    res.set_content(r.body.dump(), kJson);
  });
  s.Get("/api/v1/pv-curve", [&svc](const httplib::Request&, httplib::Response& res) {
    const PvCurve c = svc.runner->pv_curve();
    nlohmann::json points = nlohmann::json::array();
    for (const PvCurvePoint& p : c.points) {
      points.push_back({{"v_v", p.v_v}, {"i_a", p.i_a}});
    }
    const nlohmann::json body = {
        {"points", points},
        {"operating_point", {{"v_v", c.operating_point.v_v}, {"i_a", c.operating_point.i_a}}}};
    res.set_content(body.dump(), kJson);
  });
  const auto history = [&svc](bool csv) {
    return [&svc, csv](const httplib::Request& req, httplib::Response& res) {
      const std::string range = req.has_param("range") ? req.get_param_value("range") : "day";
      if (range != "day" && range != "month") {
        res.status = 400;
        ApiError e{400, "bad-field", "range must be \"day\" or \"month\"", {}};
        e.fields.push_back({"range", "must be \"day\" or \"month\"", range, {}, {}});
        res.set_content(error_to_json(e).dump(), kJson);
        return;
      }
      if (!svc.history) {
        send_error(res, 404, "not-found", "this twin keeps no log");
        return;
      }
      const HttpReply r = svc.history(range, csv);
      res.status = r.status;
      res.set_content(r.body, r.content_type);
    };
  };
  s.Get("/api/v1/history", history(false));
  s.Get("/api/v1/history.csv", history(true));
  s.Get("/api/v1/display.png", [&svc](const httplib::Request&, httplib::Response& res) {
    if (!svc.display_png) {
      send_error(res, 404, "not-found", "this twin has no display");
      return;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_content(svc.display_png(), "image/png");
  });
  s.Get("/api/v1/events", [this](const httplib::Request&, httplib::Response& res) {
    if (streams_.fetch_add(1) >= kMaxStreams) {
      streams_.fetch_sub(1);
      send_error(res, 503, "busy", "too many event streams open");
      return;
    }
    res.set_header("Cache-Control", "no-store");
    auto last = std::make_shared<DeviceStatus>();
    last->seq = 0;
    last->trips = services_.runner->status().trips;
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, last](std::size_t, httplib::DataSink& sink) {
          if (stopping_) {
            return false;
          }
          if (!services_.runner->wait_for_snapshot(last->seq, std::chrono::seconds(1))) {
            const std::string ping = ": ping\n\n";  // finds closed connections
            return !stopping_ && sink.write(ping.data(), ping.size());
          }
          const DeviceStatus now = services_.runner->status();
          std::string out;
          // New trips first: the newest (now.trips - last) records, as far as kept.
          const std::size_t fresh = std::min<std::size_t>(
              now.trips - std::min(now.trips, last->trips), now.recent_trips.size());
          for (std::size_t k = now.recent_trips.size() - fresh; k < now.recent_trips.size(); ++k) {
            out += sse("trip", trip_to_json(now.recent_trips[k]).dump());
          }
          out += sse("status", status_to_json(now).dump());
          last->seq = now.seq;
          last->trips = now.trips;
          return sink.write(out.data(), out.size());
        },
        [this](bool) { streams_.fetch_sub(1); });
  });
  // Known API paths with another method: 405 with the allowed ones.
  for (const auto& [path, allow] :
       std::vector<std::pair<std::string, std::string>>{{"/api/v1/status", "GET"},
                                                        {"/api/v1/settings", "GET, PUT"},
                                                        {"/api/v1/events", "GET"},
                                                        {"/api/v1/history", "GET"},
                                                        {"/api/v1/history.csv", "GET"},
                                                        {"/api/v1/pv-curve", "GET"},
                                                        {"/api/v1/display.png", "GET"}}) {
    const auto refuse = [allow = allow](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", allow);
      send_error(res, 405, "method-not-allowed",
                 req.method + " is not allowed here (" + allow + ")");
    };
    if (allow.find("PUT") == std::string::npos) {
      s.Put(path, refuse);
    }
    s.Post(path, refuse);
    s.Delete(path, refuse);
    s.Patch(path, refuse);
  }
  const bool has_web = !svc.web_dir.empty() && std::filesystem::is_directory(svc.web_dir) &&
                       s.set_mount_point("/", svc.web_dir);
  if (!has_web) {
    s.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kNotBuiltPage, "text/html; charset=utf-8");
    });
  }
  // Errors httplib produces itself (no route, 413) get the API's JSON form.
  s.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                              httplib::Response& res) {
    if (!res.body.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    switch (res.status) {
      case 404:
        send_error(res, 404, "not-found", "no such path: " + req.path);
        break;
      case 413:
        send_error(res, 413, "too-large", "request bodies are limited to 16 KiB");
        break;
      default:
        send_error(res, res.status, res.status == 400 ? "bad-request" : "error",
                   "request refused by the HTTP layer (status " + std::to_string(res.status) + ")");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
}

}  // namespace powerstack::twin
