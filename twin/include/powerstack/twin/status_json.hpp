// DeviceStatus as the JSON object of docs/twin-api.md ("Data model"): the body of
// GET /api/v1/status, of every `event: status` on /api/v1/events and of the MQTT state topic.
#pragma once

#include <nlohmann/json.hpp>

#include "powerstack/twin/device_status.hpp"

namespace powerstack::twin {

nlohmann::json status_to_json(const DeviceStatus& s);
// One trip as in the status's "trips" array and the `event: trip` payload.
nlohmann::json trip_to_json(const TripRecord& t);

}  // namespace powerstack::twin
