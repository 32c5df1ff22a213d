// Plant: the hardware the engine advances. A plant owns its models' state, applies the
// latest Actuation, advances its physics by dt_s and reports Measurements as a board's
// sensors would (with their noise, if the plant models any). It never sees controller state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "powerstack/control/plant_io.hpp"

namespace powerstack::sim {

class Plant {
 public:
  virtual ~Plant() = default;
  // Advances the physics from t_s to t_s + dt_s with the actuation last applied.
  virtual void step(double t_s, double dt_s) = 0;
  [[nodiscard]] virtual control::Measurements measure() const = 0;
  virtual void actuate(const control::Actuation& actuation) = 0;
  // Named internal signals for probes (true values, not sensor readings), e.g. "p_pv_w".
  [[nodiscard]] virtual std::vector<std::string> signal_names() const = 0;
  // Value of a signal from signal_names(); NaN for an unknown name.
  [[nodiscard]] virtual double signal(std::string_view name) const = 0;
};

}  // namespace powerstack::sim
