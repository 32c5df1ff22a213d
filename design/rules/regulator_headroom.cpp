// regulator-headroom: an LDO or buck keeps regulating only while its input exceeds the output
// by the dropout; over the whole input range (battery empty, storage at its usable limit,
// source at its low tolerance) it must. A boost must not see an input above its output.
#include "rules.hpp"

namespace powerstack::design::rules {

void regulator_headroom(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& c : ctx.design().converters) {
    const RailRange in = ctx.net.ranges().at(c.in);
    if (c.kind == ConverterKind::kLdo || c.kind == ConverterKind::kBuck) {
      const double need = c.v_out_v + c.v_dropout_v;
      if (in.v_min_v < need) {
        add(out, "regulator-headroom", Severity::kError, c.name, c.line,
            fmt::format("needs {:.2f} V at its input ({:.2f} V out + {:.2f} V dropout) but the "
                        "input '{}' spans {:.2f}..{:.2f} V: {:.2f} V short at the low end; use a "
                        "lower-dropout regulator or a higher input",
                        need, c.v_out_v, c.v_dropout_v, c.in, in.v_min_v, in.v_max_v,
                        need - in.v_min_v));
      }
    } else if (c.kind == ConverterKind::kBoost && in.v_max_v > c.v_out_v) {
      add(out, "regulator-headroom", Severity::kWarning, c.name, c.line,
          fmt::format("input '{}' reaches {:.2f} V, above the {:.2f} V output: a boost passes "
                      "it through unregulated; use a buck-boost",
                      c.in, in.v_max_v, c.v_out_v));
    }
  }
}

}  // namespace powerstack::design::rules
