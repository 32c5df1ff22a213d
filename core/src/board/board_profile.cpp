#include "powerstack/board/board_profile.hpp"

#include <cmath>

namespace powerstack::board {

namespace {

bool positive(float x) {
  return std::isfinite(x) && x > 0.0f;
}

std::uint8_t channels_of(AdcDevice d) {
  switch (d) {
    case AdcDevice::kNone:
      return 0;
    case AdcDevice::kEsp32Adc1:
      return 10;
    case AdcDevice::kAds1015:
      return 4;
    case AdcDevice::kIna226:
      return 2;  // 0 bus voltage, 1 shunt voltage
  }
  return 0;
}

// The largest value a chain reads (a negative gain puts it at the lowest count).
float top_of(const dsp::AdcChannel& ch) {
  return ch.span_low() > ch.span_high() ? ch.span_low() : ch.span_high();
}

struct NamedChannel {
  const ChannelSpec* spec;
  const char* name;
  float limit;  // the board limit the channel must read up to (0: none)
};

BoardCheck check_channels(const BoardProfile& p) {
  const NamedChannel channels[] = {{&p.v_in, "v_in", p.limits.v_in_max_v},
                                   {&p.v_out, "v_out", p.limits.v_out_max_v},
                                   {&p.i_in, "i_in", p.limits.i_in_max_a},
                                   {&p.i_out, "i_out", p.limits.i_out_max_a}};
  for (const NamedChannel& c : channels) {
    if (!c.spec->fitted()) {
      continue;
    }
    if (c.spec->channel >= channels_of(c.spec->device)) {
      return {BoardError::kBadChannelNumber, c.name};
    }
    const Result<dsp::AdcChannel> ch = make_channel(*c.spec);
    if (!ch.ok()) {
      return {BoardError::kBadChannel, c.name};
    }
    const float top = top_of(ch.value());
    if (top < c.limit) {
      return {BoardError::kRangeBelowLimit, c.name};
    }
  }
  return {};
}

BoardCheck check_pins(const PinMap& m) {
  struct NamedPin {
    std::int8_t pin;
    const char* name;
  };
  const NamedPin pins[] = {{m.pwm_high, "pins.pwm_high"},
                           {m.pwm_low, "pins.pwm_low"},
                           {m.driver_enable, "pins.driver_enable"},
                           {m.input_switch, "pins.input_switch"},
                           {m.led, "pins.led"},
                           {m.fan, "pins.fan"},
                           {m.i2c_sda, "pins.i2c_sda"},
                           {m.i2c_scl, "pins.i2c_scl"},
                           {m.adc_alert, "pins.adc_alert"},
                           {m.ntc, "pins.ntc"}};
  constexpr std::size_t n = sizeof(pins) / sizeof(pins[0]);
  if (m.pwm_high == kNoPin) {
    return {BoardError::kBadLimit, "pins.pwm_high"};
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (pins[i].pin < kNoPin) {
      return {BoardError::kBadLimit, pins[i].name};
    }
    for (std::size_t j = i + 1; j < n && pins[i].pin != kNoPin; ++j) {
      if (pins[j].pin == pins[i].pin) {
        return {BoardError::kDuplicatePin, pins[j].name};
      }
    }
  }
  return {};
}

BoardCheck check_limits(const BoardLimits& l) {
  struct NamedLimit {
    float v;
    const char* name;
  };
  const NamedLimit limits[] = {
      {l.v_in_max_v, "limits.v_in_max_v"},   {l.v_in_min_v, "limits.v_in_min_v"},
      {l.v_out_max_v, "limits.v_out_max_v"}, {l.i_in_max_a, "limits.i_in_max_a"},
      {l.i_out_max_a, "limits.i_out_max_a"}, {l.t_fet_derate_c, "limits.t_fet_derate_c"},
      {l.t_fet_max_c, "limits.t_fet_max_c"}, {l.f_sw_hz, "limits.f_sw_hz"},
      {l.duty_max, "limits.duty_max"},       {l.l_h, "limits.l_h"}};
  for (const NamedLimit& x : limits) {
    if (!positive(x.v)) {
      return {BoardError::kBadLimit, x.name};
    }
  }
  if (l.v_in_min_v >= l.v_in_max_v) {
    return {BoardError::kBadLimit, "limits.v_in_min_v"};
  }
  if (l.t_fet_derate_c >= l.t_fet_max_c) {
    return {BoardError::kBadLimit, "limits.t_fet_derate_c"};
  }
  if (l.duty_max > 1.0f) {
    return {BoardError::kBadLimit, "limits.duty_max"};
  }
  return {};
}

float full_scale(const ChannelSpec& spec) {
  if (!spec.fitted()) {
    return 0.0f;
  }
  const Result<dsp::AdcChannel> ch = make_channel(spec);
  if (!ch.ok()) {
    return 0.0f;
  }
  return top_of(ch.value());
}

float min_f(float a, float b) {
  return a < b ? a : b;
}

}  // namespace

const char* to_string(AdcDevice d) {
  switch (d) {
    case AdcDevice::kNone:
      return "none (virtual)";
    case AdcDevice::kEsp32Adc1:
      return "esp32-adc1";
    case AdcDevice::kAds1015:
      return "ads1015";
    case AdcDevice::kIna226:
      return "ina226";
  }
  return "unknown";
}

const char* to_string(BoardError e) {
  switch (e) {
    case BoardError::kOk:
      return "ok";
    case BoardError::kUnknownBoard:
      return "unknown board id (no built-in profile has it)";
    case BoardError::kNoVoltageSensor:
      return "the input and output voltage sensors must both be fitted";
    case BoardError::kNoCurrentSensor:
      return "at least one current sensor must be fitted";
    case BoardError::kBadChannel:
      return "measurement chain cannot be built (ADC resolution, reference, gain or range)";
    case BoardError::kBadChannelNumber:
      return "channel number the ADC does not have";
    case BoardError::kDuplicatePin:
      return "pin already used by another function";
    case BoardError::kBadLimit:
      return "limit not finite and positive, or inconsistent";
    case BoardError::kRangeBelowLimit:
      return "sensor full scale below the board's own limit";
  }
  return "unknown";
}

Result<dsp::AdcChannel> make_channel(const ChannelSpec& spec) {
  if (!spec.fitted()) {
    return Status::kInvalidArgument;
  }
  return dsp::AdcChannel::create(spec.adc, spec.front_end, spec.min_valid, spec.max_valid);
}

BoardCheck validate(const BoardProfile& p) {
  if (!p.v_in.fitted()) {
    return {BoardError::kNoVoltageSensor, "v_in"};
  }
  if (!p.v_out.fitted()) {
    return {BoardError::kNoVoltageSensor, "v_out"};
  }
  if (!p.i_in.fitted() && !p.i_out.fitted()) {
    return {BoardError::kNoCurrentSensor, "i_in, i_out"};
  }
  BoardCheck c = check_limits(p.limits);
  if (!c.ok()) {
    return c;
  }
  c = check_channels(p);
  if (!c.ok()) {
    return c;
  }
  if (p.pins.ntc != kNoPin && !positive(p.ntc_r25_ohm)) {
    return {BoardError::kBadLimit, "ntc_r25_ohm"};
  }
  return check_pins(p.pins);
}

void apply(const BoardProfile& p, charger::ChargeControllerConfig& config) {
  const BoardLimits& l = p.limits;
  config.converter.f_sw_hz = l.f_sw_hz;
  config.converter.l_h = l.l_h;
  config.converter.t_ls_min_s = (1.0f - l.duty_max) / l.f_sw_hz;
  config.i_out_max_a = min_f(config.i_out_max_a, l.i_out_max_a);
  config.i_in_max_a = min_f(config.i_in_max_a, l.i_in_max_a);
  protection::ProtectionConfig& pc = config.protection;
  // Keep the default's hysteresis gaps (80/75 V, 9/10 V).
  pc.v_in_max_v = min_f(pc.v_in_max_v, l.v_in_max_v);
  pc.v_in_max_release_v = pc.v_in_max_v - 5.0f;
  pc.v_in_min_v = pc.v_in_min_v > l.v_in_min_v ? pc.v_in_min_v : l.v_in_min_v;
  pc.v_in_min_release_v = pc.v_in_min_v + 1.0f;
  pc.i_out_max_a = min_f(pc.i_out_max_a, 1.1f * l.i_out_max_a);
  pc.t_fet_max_c = min_f(pc.t_fet_max_c, l.t_fet_max_c);
  pc.t_fet_derate_c = min_f(pc.t_fet_derate_c, l.t_fet_derate_c);
  pc.sensors.v_in_fs_v = full_scale(p.v_in);
  pc.sensors.v_out_fs_v = full_scale(p.v_out);
  pc.sensors.i_in_fs_a = full_scale(p.i_in);
  pc.sensors.i_out_fs_a = full_scale(p.i_out);
}

}  // namespace powerstack::board
