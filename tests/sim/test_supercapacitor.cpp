#include <gtest/gtest.h>

#include <cmath>

#include "sim/models/supercapacitor.hpp"

using powerstack::sim::capacitor_energy_between_j;
using powerstack::sim::capacitor_energy_j;
using powerstack::sim::capacitor_tank_params;
using powerstack::sim::capacitor_voltage_after_energy_v;
using powerstack::sim::Supercapacitor;
using powerstack::sim::SupercapParams;

TEST(Supercapacitor, ConstantCurrentChargeRisesAtIOverC) {
  SupercapParams p;
  p.c_f = 0.1;  // seed 002's 0.1 F
  p.esr_ohm = 0.5;
  for (double dt_s : {0.001, 0.1, 2.0}) {
    Supercapacitor cap(p, 1.0);
    const int n = static_cast<int>(std::lround(2.0 / dt_s));
    for (int k = 0; k < n; ++k) {
      cap.step(0.02, dt_s);
    }
    // dV/dt = I / C = 0.2 V/s for 2 s.
    EXPECT_NEAR(cap.v_cap_v(), 1.0 + 0.02 / 0.1 * 2.0, 1e-12) << "dt " << dt_s;
    EXPECT_NEAR(cap.terminal_voltage_v(0.02), cap.v_cap_v() + 0.02 * 0.5, 1e-15);
    EXPECT_NEAR(cap.terminal_voltage_v(-0.02), cap.v_cap_v() - 0.01, 1e-15);
  }
}

TEST(Supercapacitor, SelfDischargeThroughLeakageResistanceIsExponential) {
  SupercapParams p;
  p.c_f = 0.1;
  p.r_leak_ohm = 1.0e5;  // tau = R C = 1e4 s
  const double tau_s = 1.0e4;
  for (double dt_s : {1.0, 100.0, 5000.0}) {
    Supercapacitor cap(p, 5.0);
    double t_s = 0.0;
    for (double t_check : {5000.0, 10000.0, 20000.0, 50000.0}) {
      while (t_s < t_check - 1e-6) {
        cap.step(0.0, dt_s);
        t_s += dt_s;
      }
      EXPECT_NEAR(cap.v_cap_v(), 5.0 * std::exp(-t_check / tau_s), 1e-10)
          << "dt " << dt_s << " t " << t_check;
      EXPECT_NEAR(cap.leakage_current_a(), cap.v_cap_v() / 1.0e5, 1e-18);
    }
  }
}

TEST(Supercapacitor, ChargingAgainstLeakageResistanceApproachesIR) {
  SupercapParams p;
  p.c_f = 1.0;
  p.r_leak_ohm = 100.0;  // tau 100 s, final value 0.05 A * 100 ohm = 5 V
  Supercapacitor cap(p, 0.0);
  cap.step(0.05, 100.0);
  EXPECT_NEAR(cap.v_cap_v(), 5.0 * (1.0 - std::exp(-1.0)), 1e-12);
  cap.step(0.05, 1.0e9);  // huge step: stable, lands on I R
  EXPECT_NEAR(cap.v_cap_v(), 5.0, 1e-12);
}

TEST(Supercapacitor, ConstantLeakageCurrentIsLinearAndStopsAtZero) {
  SupercapParams p;
  p.c_f = 0.1;
  p.i_leak_a = 10.0e-6;  // 10 uA: 1e-4 V/s
  Supercapacitor cap(p, 3.0);
  cap.step(0.0, 10000.0);
  EXPECT_NEAR(cap.v_cap_v(), 3.0 - 1.0e-4 * 10000.0, 1e-12);
  EXPECT_DOUBLE_EQ(cap.leakage_current_a(), 10.0e-6);
  cap.step(0.0, 1.0e6);  // far longer than the 20000 s left
  EXPECT_EQ(cap.v_cap_v(), 0.0);
  cap.step(5.0e-6, 100.0);  // charging below the leakage current: stays empty
  EXPECT_EQ(cap.v_cap_v(), 0.0);
  EXPECT_EQ(cap.leakage_current_a(), 0.0);
  cap.step(20.0e-6, 100.0);  // above it: the net 10 uA charges
  EXPECT_NEAR(cap.v_cap_v(), 10.0e-6 * 100.0 / 0.1, 1e-15);
}

TEST(Supercapacitor, BothLeakagesTogether) {
  SupercapParams p;
  p.c_f = 1.0;
  p.r_leak_ohm = 1000.0;
  p.i_leak_a = 1.0e-3;
  Supercapacitor cap(p, 2.0);
  // C dv/dt = -v/R - I_leak: v(t) = -R I + (v0 + R I) e^(-t/RC).
  cap.step(0.0, 500.0);
  EXPECT_NEAR(cap.v_cap_v(), -1.0 + 3.0 * std::exp(-0.5), 1e-12);
  // The exact trajectory reaches 0 V at t = RC ln 3 = 1098.6 s and stops there.
  cap.step(0.0, 1000.0);
  EXPECT_EQ(cap.v_cap_v(), 0.0);
}

TEST(Supercapacitor, PlainTankHoldsItsCharge) {
  Supercapacitor tank(capacitor_tank_params(540e-6, 0.02), 28.0);
  tank.step(0.0, 1.0e6);
  EXPECT_EQ(tank.v_cap_v(), 28.0);
  EXPECT_EQ(tank.leakage_current_a(), 0.0);
  tank.step(-0.1, 0.01);  // 100 mA for 10 ms: -1.85 V
  EXPECT_NEAR(tank.v_cap_v(), 28.0 - 0.1 * 0.01 / 540e-6, 1e-12);
  EXPECT_NEAR(tank.esr_loss_w(-0.1), 0.01 * 0.02, 1e-15);
}

TEST(Supercapacitor, EnergyHelpers) {
  EXPECT_DOUBLE_EQ(capacitor_energy_j(0.1, 3.6), 0.5 * 0.1 * 3.6 * 3.6);
  Supercapacitor cap(capacitor_tank_params(2.0, 0.0), 3.0);
  EXPECT_DOUBLE_EQ(cap.energy_j(), 9.0);
  EXPECT_DOUBLE_EQ(capacitor_energy_between_j(2.0, 3.0, 1.0), 8.0);
  // Seed 003: 2 x 270 uF at 28 V store 1/2 * 540 uF * 28^2 = 211.7 mJ; a 1.7 mJ burst then
  // drops the tank by ~0.11 V.
  const double c = 2.0 * 270e-6;
  EXPECT_NEAR(capacitor_energy_j(c, 28.0), 0.21168, 1e-12);
  const double v_after = capacitor_voltage_after_energy_v(c, 28.0, 1.7e-3);
  EXPECT_NEAR(28.0 - v_after, 0.1127, 1e-4);
  EXPECT_NEAR(capacitor_energy_between_j(c, 28.0, v_after), 1.7e-3, 1e-15);
  EXPECT_EQ(capacitor_voltage_after_energy_v(c, 1.0, 1.0), 0.0);
}
