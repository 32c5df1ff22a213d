// DeviceRunner: the twin's device. The scenario's solar-charger plant and the charge
// controller firmware (device_firmware.hpp) step together in a sim::Simulation, advanced in
// small increments paced to `speed` x wall time (or as fast as the CPU allows when that is
// slower), on its own thread. It publishes a DeviceStatus snapshot about every
// publish_period_wall_s of wall time and hands samplers a snapshot every period of device
// time (the log). Settings changes are queued and applied between two controller ticks.
// Without start() the owner advances the device itself (tests, benchmarks).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "powerstack/settings/charger_settings.hpp"
#include "powerstack/twin/device_status.hpp"
#include "sim/scenario/solar_charger_scenario.hpp"

namespace powerstack::twin {

struct PvCurvePoint {
  double v_v = 0.0;
  double i_a = 0.0;
};
struct PvCurve {
  std::vector<PvCurvePoint> points;  // 0 V to the open-circuit voltage
  PvCurvePoint operating_point;
};

class DeviceRunner {
 public:
  using Sampler = std::function<void(const DeviceStatus&)>;
  using Publisher =
      std::function<void(const DeviceStatus&, const std::vector<TripRecord>& new_trips)>;

  // Null with `why` set when the plant cannot be built or the controller is not an
  // mppt-charger.
  static std::unique_ptr<DeviceRunner> create(const sim::SolarChargerScenario& scenario,
                                              const settings::ChargerSettings& settings,
                                              std::string& why);
  ~DeviceRunner();
  DeviceRunner(const DeviceRunner&) = delete;
  DeviceRunner& operator=(const DeviceRunner&) = delete;

  // Before start(): `fn` gets a snapshot every period_s of device time (from the runner's
  // thread), or after every publication (publisher).
  void add_sampler(double period_s, Sampler fn);
  void add_publisher(Publisher fn);

  void start(double speed, double publish_period_wall_s = 0.5);
  void stop();  // joins the thread; idempotent
  // Without a thread: advances device time by dt_s and publishes once.
  void advance(double dt_s);

  [[nodiscard]] DeviceStatus status() const;
  [[nodiscard]] PvCurve pv_curve() const;
  // Blocks until a snapshot newer than `seq` exists (true) or the timeout or stop() (false).
  bool wait_for_snapshot(std::uint64_t seq, std::chrono::milliseconds timeout) const;
  void apply_settings(const settings::ChargerSettings& s);
  // Device seconds per wall second since start() (0 before).
  [[nodiscard]] double achieved_speed() const;
  [[nodiscard]] unsigned controller_restarts() const;

 private:
  struct Device;
  explicit DeviceRunner(std::unique_ptr<Device> device);
  void loop(double speed, double publish_period_wall_s);
  // Advances to t_s, stopping at every sampler instant on the way.
  void advance_to(double t_s);
  void take_pending_settings();
  void publish();

  std::unique_ptr<Device> device_;
  struct SamplerEntry {
    double period_s;
    double next_s;
    Sampler fn;
  };
  std::vector<SamplerEntry> samplers_;
  std::vector<Publisher> publishers_;

  mutable std::mutex mutex_;
  mutable std::condition_variable published_;
  DeviceStatus status_;
  PvCurve curve_;
  std::optional<settings::ChargerSettings> pending_;
  double achieved_speed_ = 0.0;

  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace powerstack::twin
