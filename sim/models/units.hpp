// Shared constants of the plant models. Units are SI and carried in names (v_, i_, p_, t_c,
// dt_s); currents follow the passive sign convention at each element's terminals unless a
// header says otherwise.
#pragma once

namespace powerstack::sim {

inline constexpr double kBoltzmannJPerK = 1.380649e-23;
inline constexpr double kElementaryChargeC = 1.602176634e-19;
inline constexpr double kZeroCelsiusK = 273.15;

// Thermal voltage kT/q at a temperature in Celsius.
constexpr double thermal_voltage_v(double t_c) {
  return kBoltzmannJPerK * (t_c + kZeroCelsiusK) / kElementaryChargeC;
}

}  // namespace powerstack::sim
