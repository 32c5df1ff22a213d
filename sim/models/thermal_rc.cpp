#include "sim/models/thermal_rc.hpp"

#include <algorithm>
#include <cmath>

namespace powerstack::sim {

namespace {

bool finite_positive(double x) {
  return std::isfinite(x) && x > 0.0;
}

// Cyclic Jacobi eigen-decomposition of the symmetric n x n matrix a (row-major, destroyed):
// eigenvalues on return in w, eigenvectors as the columns of v. Deterministic.
void jacobi_eigen(std::vector<double>& a, std::size_t n, std::vector<double>& v,
                  std::vector<double>& w) {
  v.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    v[i * n + i] = 1.0;
  }
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0;
    double diag = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      diag += a[i * n + i] * a[i * n + i];
      for (std::size_t j = i + 1; j < n; ++j) {
        off += a[i * n + j] * a[i * n + j];
      }
    }
    if (off <= 1e-32 * diag) {
      break;
    }
    for (std::size_t p = 0; p + 1 < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (apq == 0.0) {
          continue;
        }
        const double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
        const double t = (theta >= 0.0 ? 1.0 : -1.0) / (std::abs(theta) + std::hypot(theta, 1.0));
        const double c = 1.0 / std::hypot(t, 1.0);
        const double s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // A P
          const double akp = a[k * n + p];
          const double akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // P^T (A P)
          const double apk = a[p * n + k];
          const double aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {  // V P
          const double vkp = v[k * n + p];
          const double vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  w.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = a[i * n + i];
  }
}

}  // namespace

Result<ThermalRc> ThermalRc::create(const ThermalRcNetwork& net) {
  const std::size_t n = net.c_j_per_k.size();
  if (n == 0) {
    return Status::kInvalidArgument;
  }
  std::vector<double> g(n * n, 0.0);
  for (const ThermalLink& l : net.links) {
    if (l.a >= n || l.a == l.b || (l.b >= n && l.b != kThermalAmbient) ||
        !finite_positive(l.r_k_per_w)) {
      return Status::kInvalidArgument;
    }
    const double gl = 1.0 / l.r_k_per_w;
    g[l.a * n + l.a] += gl;
    if (l.b != kThermalAmbient) {
      g[l.b * n + l.b] += gl;
      g[l.a * n + l.b] -= gl;
      g[l.b * n + l.a] -= gl;
    }
  }
  ThermalRc rc;
  rc.n_ = n;
  rc.sqrt_c_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!finite_positive(net.c_j_per_k[i])) {
      return Status::kInvalidArgument;
    }
    rc.sqrt_c_[i] = std::sqrt(net.c_j_per_k[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      g[i * n + j] /= rc.sqrt_c_[i] * rc.sqrt_c_[j];
    }
  }
  jacobi_eigen(g, n, rc.v_, rc.lambda_);
  const double lambda_max = *std::max_element(rc.lambda_.begin(), rc.lambda_.end());
  for (double l : rc.lambda_) {
    if (!(l > 1e-12 * lambda_max)) {  // a node (group) without a path to ambient
      return Status::kInvalidArgument;
    }
  }
  return rc;
}

void ThermalRc::steady_modes(std::span<const double> heat_w, std::vector<double>& z_ss) const {
  z_ss.assign(n_, 0.0);
  for (std::size_t k = 0; k < n_; ++k) {
    double u = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      u += v_[i * n_ + k] * heat_w[i] / sqrt_c_[i];
    }
    z_ss[k] = u / lambda_[k];
  }
}

void ThermalRc::step(std::span<double> t_c, std::span<const double> heat_w, double t_ambient_c,
                     double dt_s) const {
  if (t_c.size() != n_ || heat_w.size() != n_ || !(dt_s > 0.0)) {
    return;
  }
  std::vector<double> z_ss;
  steady_modes(heat_w, z_ss);
  std::vector<double> z(n_, 0.0);
  for (std::size_t k = 0; k < n_; ++k) {
    double zk = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      zk += v_[i * n_ + k] * sqrt_c_[i] * (t_c[i] - t_ambient_c);
    }
    z[k] = z_ss[k] + (zk - z_ss[k]) * std::exp(-lambda_[k] * dt_s);
  }
  for (std::size_t i = 0; i < n_; ++i) {
    double x = 0.0;
    for (std::size_t k = 0; k < n_; ++k) {
      x += v_[i * n_ + k] * z[k];
    }
    t_c[i] = t_ambient_c + x / sqrt_c_[i];
  }
}

std::vector<double> ThermalRc::steady_state_c(std::span<const double> heat_w,
                                              double t_ambient_c) const {
  if (heat_w.size() != n_) {
    return {};
  }
  std::vector<double> z_ss;
  steady_modes(heat_w, z_ss);
  std::vector<double> t(n_, t_ambient_c);
  for (std::size_t i = 0; i < n_; ++i) {
    double x = 0.0;
    for (std::size_t k = 0; k < n_; ++k) {
      x += v_[i * n_ + k] * z_ss[k];
    }
    t[i] += x / sqrt_c_[i];
  }
  return t;
}

std::vector<double> ThermalRc::time_constants_s() const {
  std::vector<double> tau;
  for (double l : lambda_) {
    tau.push_back(1.0 / l);
  }
  std::sort(tau.begin(), tau.end());
  return tau;
}

ThermalRcNetwork buck_thermal_network(const BuckThermalParams& p) {
  ThermalRcNetwork net;
  net.c_j_per_k = {p.c_coil_j_per_k, p.c_fet_j_per_k, p.c_heatsink_j_per_k};
  net.links = {{kBuckCoilNode, kThermalAmbient, p.r_coil_ambient_k_per_w},
               {kBuckFetNode, kBuckHeatsinkNode, p.r_fet_heatsink_k_per_w},
               {kBuckHeatsinkNode, kThermalAmbient, p.r_heatsink_ambient_k_per_w}};
  return net;
}

std::array<double, 3> buck_node_heat_w(const SyncBuckLosses& losses) {
  return {losses.coil_w(), losses.fet_w(), 0.0};
}

Result<BuckThermalParams> calibrate_buck_thermal(const SyncBuck& buck, const BuckThermalPoint& pt,
                                                 const BuckThermalParams& assumed) {
  const SyncBuckOperatingPoint op = buck.ccm_operating_point(pt.v_in_v, pt.v_out_v, pt.i_out_a);
  const double p_coil_w = op.losses.coil_w();
  const double p_fet_w = op.losses.fet_w();
  if (!finite_positive(p_coil_w) || !finite_positive(p_fet_w)) {
    return Status::kInvalidArgument;
  }
  BuckThermalParams p = assumed;
  p.r_coil_ambient_k_per_w = (pt.t_coil_c - p.t_ambient_c) / p_coil_w;
  p.r_heatsink_ambient_k_per_w = (pt.t_fet_c - p.t_ambient_c) / p_fet_w - p.r_fet_heatsink_k_per_w;
  if (!finite_positive(p.r_coil_ambient_k_per_w) ||
      !finite_positive(p.r_heatsink_ambient_k_per_w)) {
    return Status::kInvalidArgument;
  }
  return p;
}

BuckThermalParams fugu_class_thermal_params() {
  BuckThermalParams assumed;  // 25 C ambient; capacities and R_fet_hs as in the defaults
  const Result<SyncBuck> buck = SyncBuck::create(fugu_class_buck_params());
  const Result<BuckThermalParams> p =
      calibrate_buck_thermal(buck.value(), BuckThermalPoint{}, assumed);
  return p.ok() ? p.value() : assumed;
}

}  // namespace powerstack::sim
