// The device the runner advances (internal to the twin library): plant, firmware, their
// simulation, the firmware's telemetry, and the conversion of it all into a DeviceStatus.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "powerstack/control/plant_io.hpp"
#include "powerstack/telemetry/charger_telemetry.hpp"
#include "powerstack/twin/device_firmware.hpp"
#include "powerstack/twin/device_runner.hpp"
#include "powerstack/twin/device_status.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/systems/solar_charger.hpp"

namespace powerstack::twin {

struct DeviceRunner::Device {
  sim::SolarChargerScenario scenario;
  std::unique_ptr<sim::SolarChargerPlant> plant;
  std::unique_ptr<DeviceFirmware> firmware;
  std::unique_ptr<sim::Simulation> simulation;
  telemetry::ChargerTelemetry telemetry;
  control::Actuation last_actuation{};
  std::uint64_t seq = 0;
  std::uint32_t trips_seen = 0;  // TripLog::total() already turned into records
  std::uint32_t trip_base = 0;   // trips of controllers replaced by a restart
  std::deque<TripRecord> recent_trips;

  // New trips since the last call, appended to recent_trips (at most 32 kept).
  std::vector<TripRecord> collect_trips();
  [[nodiscard]] DeviceStatus snapshot();
  [[nodiscard]] PvCurve pv_curve() const;
};

// "PV back-feed" -> "pv-back-feed": the API's spelling of a core name.
std::string slug(const char* name);
// The converter's binding limit in the API's names (docs/twin-api.md).
const char* binding_name(charger::BindingLimit limit);

}  // namespace powerstack::twin
