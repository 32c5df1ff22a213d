// ThermalRc: a lumped thermal network. Nodes with heat capacity, thermal resistances between
// nodes and to ambient, heat flowing into nodes. Linear:
//   C dT/dt = q - G (T - T_amb),
// G the conductance matrix (symmetric, positive definite when every node has a path to
// ambient). Integration is exact for heat and ambient held over a step: with
// S = C^-1/2 G C^-1/2 = V diag(lambda) V^T (symmetric eigen-decomposition, once, at create),
//   x = C^1/2 (T - T_amb),  x(t) = x_ss + V exp(-lambda t) V^T (x(0) - x_ss),
// so any dt is stable and a step response is the closed form exp to round-off.
// Units: J/K, K/W, W, C, s. Heat into a node is positive.
//
// buck_thermal_network() builds the converter's network (docs/buck-model.md):
//
//   coil --R_coil_amb--> ambient
//   FETs --R_fet_hs--> heatsink --R_hs_amb--> ambient
//
// with the coil heated by DCR + core loss and the FET node (both FETs, case temperature) by
// conduction, body-diode, switching, reverse-recovery and C_oss losses.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "powerstack/common/status.hpp"
#include "sim/models/sync_buck.hpp"

namespace powerstack::sim {

inline constexpr std::size_t kThermalAmbient = std::numeric_limits<std::size_t>::max();

struct ThermalLink {
  std::size_t a = 0;
  std::size_t b = kThermalAmbient;  // a node index, or kThermalAmbient
  double r_k_per_w = 1.0;
};

struct ThermalRcNetwork {
  std::vector<double> c_j_per_k;  // one heat capacity per node
  std::vector<ThermalLink> links;
};

class ThermalRc {
 public:
  ThermalRc() = default;
  // Refuses an empty network, non-positive or non-finite capacities and resistances, links
  // to a missing node or to the same node, and nodes without a path to ambient.
  static Result<ThermalRc> create(const ThermalRcNetwork& network);

  [[nodiscard]] std::size_t size() const { return n_; }
  // Advances t_c by dt_s with heat_w and t_ambient_c held (exact). Spans of another size than
  // size() leave t_c unchanged.
  void step(std::span<double> t_c, std::span<const double> heat_w, double t_ambient_c,
            double dt_s) const;
  // Steady-state temperatures; empty if heat_w has another size than size().
  [[nodiscard]] std::vector<double> steady_state_c(std::span<const double> heat_w,
                                                   double t_ambient_c) const;
  // The network's time constants 1/lambda_k (s), ascending.
  [[nodiscard]] std::vector<double> time_constants_s() const;

 private:
  std::size_t n_ = 0;
  std::vector<double> sqrt_c_;  // C^1/2
  std::vector<double> v_;       // eigenvectors, n x n row-major, columns are vectors
  std::vector<double> lambda_;  // eigenvalues of S (1/s)

  // z = V^T (C^-1/2 q) / lambda: the steady state in eigen coordinates.
  void steady_modes(std::span<const double> heat_w, std::vector<double>& z_ss) const;
};

// --- The converter's network ---------------------------------------------------------------

enum BuckThermalNode : std::size_t { kBuckCoilNode = 0, kBuckFetNode = 1, kBuckHeatsinkNode = 2 };

struct BuckThermalParams {
  double t_ambient_c = 25.0;
  double c_coil_j_per_k = 40.0;
  double c_fet_j_per_k = 2.0;
  double c_heatsink_j_per_k = 55.0;
  double r_coil_ambient_k_per_w = 10.0;
  double r_fet_heatsink_k_per_w = 0.5;
  double r_heatsink_ambient_k_per_w = 4.0;
};

ThermalRcNetwork buck_thermal_network(const BuckThermalParams& params);
// Heat into {coil, FETs, heatsink} from the converter's losses.
std::array<double, 3> buck_node_heat_w(const SyncBuckLosses& losses);

// A measured steady point: terminal voltages, output current and the two temperatures.
// The defaults are seed 000's measurement.
struct BuckThermalPoint {
  double v_in_v = 52.6;
  double v_out_v = 26.7;
  double i_out_a = 20.0;
  double t_coil_c = 80.0;
  double t_fet_c = 50.0;
};

// R_coil_amb and R_hs_amb such that the steady state, heated by the losses buck computes at
// the point (ccm_operating_point), reproduces the two temperatures; the ambient, the heat
// capacities and R_fet_hs are taken from `assumed`. Refuses a point that needs a non-positive
// resistance.
Result<BuckThermalParams> calibrate_buck_thermal(const SyncBuck& buck,
                                                 const BuckThermalPoint& point,
                                                 const BuckThermalParams& assumed);

// fugu_class_buck_params() calibrated to seed 000's point at 25 C ambient (assumptions in
// docs/buck-model.md).
BuckThermalParams fugu_class_thermal_params();

}  // namespace powerstack::sim
