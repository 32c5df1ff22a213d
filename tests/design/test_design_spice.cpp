// The ngspice export against ngspice itself (started here, `ngspice -b`): hold-up, burst drop
// and rail minima of the seed designs and of focused circuits agree with our time-domain check
// and figures within 1 %, and ngspice's own answers agree with closed forms. Also the export's
// errors and the reader of ngspice's output.
#include <cmath>
#include <string>

#include "design_test_util.hpp"
#include "powerstack/design/spice_check.hpp"

namespace powerstack::design::test {
namespace {

constexpr double kAgreement = 0.01;  // the acceptance

const Design& alternative(const DesignFile& f, const std::string& name) {
  for (const auto& d : f.designs) {
    if (d.alternative == name)
      return d;
  }
  ADD_FAILURE() << "no alternative " << name;
  return f.designs.front();
}

// Runs ngspice on the export and checks every figure against ours; returns the check.
SpiceCheck agrees(const Design& d, const SpiceOptions& o, std::size_t min_rows) {
  SpiceCheck c = check_against_spice(d, o);
  EXPECT_EQ(c.error, "") << d.name;  // "ngspice not found on PATH" when it is missing
  EXPECT_GE(c.rows.size(), min_rows) << d.name;
  for (const auto& r : c.rows) {
    EXPECT_LE(r.rel_error_timeline(), kAgreement)
        << d.name << " " << r.figure << ": ours " << r.timeline << ", ngspice " << r.spice;
    if (!std::isnan(r.quasi_static)) {
      EXPECT_LE(r.rel_error_quasi_static(), kAgreement)
          << d.name << " " << r.figure << ": figure " << r.quasi_static << ", ngspice " << r.spice;
    }
  }
  return c;
}

TEST(DesignSpice, Seed002HoldUpAndSwap) {
  const Design d = example("seed-002-power-manager").designs.front();
  const SpiceCheck h = agrees(d, {"", "SC1"}, 1);
  ASSERT_FALSE(h.rows.empty());
  EXPECT_FALSE(std::isnan(h.rows.back().quasi_static));
  agrees(d, {}, 1);  // the detector's rail (the MCU's rail is off in the swap)
}

TEST(DesignSpice, Seed003BurstOnTheBusTank) {
  Design d = example("seed-003-knx-tank").designs.front();
  const SpiceCheck own = agrees(d, {}, 2);  // the design's burst at 20 ms, tank pre-charged
  // The burst from the tank's stated voltage (t = 0): the drop figure itself.
  d.events.front().t_s = 0.0;
  const SpiceCheck at0 = agrees(d, {}, 2);
  bool drop = false;
  for (const auto& r : at0.rows)
    drop = drop || (r.figure == "burst.ESP32-C6.TANK.drop_v" && !std::isnan(r.quasi_static));
  EXPECT_TRUE(drop);
}

TEST(DesignSpice, Seed004Alternatives) {
  const DesignFile f = example("seed-004-doorbell");
  agrees(alternative(f, "supercap"), {"", "SC"}, 1);
  agrees(alternative(f, "supercap"), {}, 1);
  agrees(alternative(f, "lipo"), {}, 1);
  agrees(alternative(f, "solar"), {}, 1);
}

// A supercap bank behind a buck with balancing resistors, discharged at constant power:
// C dV/dt = -(P/V + V/R)  =>  t = (R C / 2) ln((P R + V0^2) / (P R + V1^2)).
TEST(DesignSpice, NgspiceHoldUpMatchesTheClosedForm) {
  const DesignFile f = example("seed-004-doorbell");
  const Design& d = alternative(f, "supercap");
  const SpiceCheck c = check_against_spice(d, {"", "SC"});
  ASSERT_EQ(c.error, "");
  const double p_w = 0.200 * 3.3 / 0.90;
  const double r_ohm = 2 * 100.0;
  const double c_f = 5.5 / 2;
  const double t = r_ohm * c_f / 2 * std::log((p_w * r_ohm + 25.0) / (p_w * r_ohm + 4.5 * 4.5));
  EXPECT_NEAR(c.rows.back().spice, t, 0.002 * t);
}

// An LDO from a capacitor: constant current, t = C (V0 - V_out_min - V_dropout) / (I + I_q).
TEST(DesignSpice, LdoHoldUpMatchesTheClosedForm) {
  const DesignFile f = example("spice-focused");
  const SpiceCheck c = agrees(alternative(f, "ldo"), {"", "C1"}, 1);
  ASSERT_FALSE(c.rows.empty());
  // 0.5 F from 5 V, 20 mA + 0.1 mA; brown-out when V_c - ESR I - 0.2 V < 3.0 V.
  const double i_a = 0.02 + 1e-4;
  const double t = 0.5 * (5.0 - (3.0 + 0.2 + 0.05 * i_a)) / i_a;
  EXPECT_NEAR(c.rows.back().spice, t, 0.002 * t);
}

// A tank alone feeding a buck through a burst: C (V0^2 - V1^2) / 2 = P t, plus the ESR step.
TEST(DesignSpice, BurstDropMatchesTheClosedForm) {
  const DesignFile f = example("spice-focused");
  const SpiceCheck c = agrees(alternative(f, "burst"), {}, 1);
  // 1 mF from 12 V, 3.3 V x 0.5 A at 80 % for 10 ms, ESR 20 mOhm.
  const double p_w = 3.3 * 0.5 / 0.8;
  const double v1 = std::sqrt(144.0 - 2 * p_w * 0.01 / 1e-3);
  const double drop = 12.0 - v1 + 0.02 * p_w / v1;
  bool seen = false;
  for (const auto& r : c.rows) {
    if (r.figure == "burst.RF.T.drop_v") {
      seen = true;
      EXPECT_NEAR(r.spice, drop, 0.002 * drop);
    }
  }
  EXPECT_TRUE(seen);
}

TEST(DesignSpice, PartsThatCannotBeExportedSayWhy) {
  const Design d = example("seed-002-power-manager").designs.front();
  EXPECT_NE(export_spice(d, {"", "BAT"}).error.find("'BAT' is a battery"), std::string::npos);
  EXPECT_NE(export_spice(d, {"", "NOPE"}).error.find("no storage named 'NOPE'"), std::string::npos);
  EXPECT_NE(export_spice(d, {"7", ""}).error.find("no event '7'"), std::string::npos);
  EXPECT_NE(export_spice(d, {"1", "SC1"}).error.find("exclude each other"), std::string::npos);
  Design bus = example("seed-003-knx-tank").designs.front();
  bus.sources.front().i_max_a = 0.0;
  EXPECT_NE(export_spice(bus).error.find("source 'KNX': a bus feeding storage needs i_max_a"),
            std::string::npos);
  Design clash = example("seed-003-knx-tank").designs.front();
  clash.loads.front().name = "tank";  // cleans to the storage TANK's name
  EXPECT_NE(export_spice(clash).error.find("map to the same SPICE name"), std::string::npos)
      << export_spice(clash).error;
}

TEST(DesignSpice, NetlistCarriesTheEventsAndMeasures) {
  const Design d = example("seed-003-knx-tank").designs.front();
  const SpiceExport x = export_spice(d);
  ASSERT_EQ(x.error, "");
  EXPECT_NE(x.netlist.find("PWL(0 0.085 0.0199995 0.085 0.0200005 0.4"), std::string::npos)
      << x.netlist;
  EXPECT_NE(x.netlist.find(".ic v(x_tank_c)=28"), std::string::npos);
  EXPECT_NE(x.netlist.find(".meas tran drop_1_min MIN v(n_vfilt)"), std::string::npos);
  EXPECT_NE(x.netlist.find("* source USB: not present"), std::string::npos);
}

TEST(DesignSpice, ReaderIsStrict) {
  const SpiceRun ok = parse_ngspice_output(
      "  Measurements for Transient Analysis\n\nvmin_1              =  3.299200e+00 at=  "
      "2.000050e-02\nhu                  =   4.73e+02\n.meas tran x when v(a)=5 fall=1 "
      "failed!\n\nTotal analysis time (seconds) = 0.117\n");
  EXPECT_EQ(ok.error, "");
  EXPECT_DOUBLE_EQ(ok.measures.at("vmin_1"), 3.2992);
  EXPECT_DOUBLE_EQ(ok.measures.at("hu"), 473.0);
  EXPECT_TRUE(ok.failed.contains("x"));
  EXPECT_DOUBLE_EQ(ok.analysis_s, 0.117);
  EXPECT_NE(parse_ngspice_output("Measurements for Transient Analysis\nv = abc\n")
                .error.find("'v' is not a number"),
            std::string::npos);
  EXPECT_NE(parse_ngspice_output("Measurements for Transient Analysis\nv = 1 2\n")
                .error.find("cannot read measurement line"),
            std::string::npos);
  EXPECT_NE(parse_ngspice_output("doAnalyses: TRAN:  Timestep too small; time = 7.7\n")
                .error.find("Timestep too small"),
            std::string::npos);
  EXPECT_NE(parse_ngspice_output("").error.find("no 'Total analysis time'"), std::string::npos);
}

}  // namespace
}  // namespace powerstack::design::test
