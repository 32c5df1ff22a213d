// gate-drive: a MOSFET switch must turn fully on (|V_GS| at least the voltage its R_DS(on) is
// specified at) and fully off (|V_GS| below the lowest threshold) from its drive rail, over the
// source terminal's voltage range. P-channel: high-side, V_GS = V_gate - V_source; N-channel:
// low-side, source at ground.
#include "rules.hpp"

namespace powerstack::design::rules {

void gate_drive(const RuleContext& ctx, std::vector<Finding>& out) {
  const auto& ranges = ctx.net.ranges();
  for (const auto& sw : ctx.design().switches) {
    const RailRange src = ranges.at(sw.from);
    const RailRange gate = ranges.at(sw.gate_high);
    // |V_GS| when commanded on (worst: lowest) and off (worst: highest).
    double on_v = 0.0;
    double off_v = 0.0;
    if (sw.p_channel) {
      on_v = src.v_min_v - sw.v_gate_low_v;
      // A gate pulled to the switched rail itself sits at the source voltage: V_GS = 0.
      off_v = sw.gate_high == sw.from ? 0.0 : src.v_max_v - gate.v_min_v;
    } else {
      on_v = gate.v_min_v;
      off_v = sw.v_gate_low_v;
    }
    if (off_v >= sw.v_th_min_v) {
      add(out, "gate-drive", Severity::kError, sw.name, sw.line,
          fmt::format("does not turn off: with the gate at '{}' ({:.2f} V) |V_GS| stays "
                      "{:.2f} V, at or above the {:.2f} V minimum threshold ({:.2f} V over); "
                      "drive the gate from the switched rail itself (a pull-up to '{}' and an "
                      "open-drain or level-shifting transistor)",
                      sw.gate_high, gate.v_min_v, off_v, sw.v_th_min_v, off_v - sw.v_th_min_v,
                      sw.from));
    }
    if (on_v < sw.v_th_max_v) {
      add(out, "gate-drive", Severity::kError, sw.name, sw.line,
          fmt::format("may not turn on: |V_GS| is only {:.2f} V, below the {:.2f} V maximum "
                      "threshold",
                      on_v, sw.v_th_max_v));
    } else if (on_v < sw.v_gs_on_v) {
      add(out, "gate-drive", Severity::kWarning, sw.name, sw.line,
          fmt::format("only partly enhanced: |V_GS| {:.2f} V is below the {:.2f} V its "
                      "R_DS(on) is specified at; expect more resistance",
                      on_v, sw.v_gs_on_v));
    }
  }
}

}  // namespace powerstack::design::rules
