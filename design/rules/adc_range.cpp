// adc-range: a divider's output over the measured rail's range, with the resistors at their
// tolerance corners, must stay inside the usable range of the ADC setting (outside it the
// reading clips or is strongly non-linear) and below the ADC's supply.
#include "rules.hpp"

namespace powerstack::design::rules {

void adc_range(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& dv : ctx.design().dividers) {
    const RailRange in = ctx.net.ranges().at(dv.in);
    const double rt = dv.r_top_ohm.nominal;
    const double rb = dv.r_bottom_ohm.nominal;
    const double tt = dv.r_top_ohm.tolerance;
    const double tb = dv.r_bottom_ohm.tolerance;
    const double ratio_hi = rb * (1 + tb) / (rb * (1 + tb) + rt * (1 - tt));
    const double ratio_lo = rb * (1 - tb) / (rb * (1 - tb) + rt * (1 + tt));
    const double v_hi = in.v_max_v * ratio_hi;
    const double v_lo = in.v_min_v * ratio_lo;
    const double ratio_fit = dv.adc_v_max_v / in.v_max_v;
    if (v_hi > dv.adc_v_max_v) {
      add(out, "adc-range", Severity::kError, dv.name, dv.line,
          fmt::format("reaches {:.3f} V at the ADC ('{}' at {:.2f} V, ratio up to {:.4f}), "
                      "{:.3f} V above the {:.2f} V limit of {}: readings clip there; use a "
                      "ratio of at most {:.3f} (e.g. a larger top resistor) or another "
                      "attenuation",
                      v_hi, dv.in, in.v_max_v, ratio_hi, v_hi - dv.adc_v_max_v, dv.adc_v_max_v,
                      dv.adc, ratio_fit / (1 + tb)));
    }
    for (const auto& p : dv.points) {
      const double v = p.v_in_v * ratio_hi;
      if (v > dv.adc_v_max_v) {
        add(out, "adc-range", Severity::kError, dv.name, dv.line,
            fmt::format("the point '{}' ({:.2f} V in) reads {:.3f} V, beyond the {:.2f} V limit "
                        "of {}: the threshold cannot be measured",
                        p.label, p.v_in_v, v, dv.adc_v_max_v, dv.adc));
      }
    }
    if (v_lo < dv.adc_v_min_v) {
      add(out, "adc-range", Severity::kWarning, dv.name, dv.line,
          fmt::format("falls to {:.3f} V at the ADC, below the {:.2f} V bottom of {}", v_lo,
                      dv.adc_v_min_v, dv.adc));
    }
    if (dv.adc_supply_v > 0.0 && v_hi > dv.adc_supply_v) {
      add(out, "adc-range", Severity::kError, dv.name, dv.line,
          fmt::format("{:.3f} V at the pin is above the ADC supply ({:.2f} V)", v_hi,
                      dv.adc_supply_v));
    }
  }
}

}  // namespace powerstack::design::rules
