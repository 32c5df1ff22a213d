#include "powerstack/app/adc_trace.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace powerstack::app {

namespace {

constexpr std::string_view kMagic = "# powerstack-adc-trace";

// Thrown only inside this file to unwind to parse_adc_trace, which turns it into an error.
struct ParseError {
  std::string message;
};

[[noreturn]] void fail(std::size_t line_no, const std::string& what) {
  throw ParseError{"line " + std::to_string(line_no) + ": " + what};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 64)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';  // keep error messages printable
  }
  return out + (s.size() > 64 ? "...'" : "'");
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) {
    return false;
  }
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty()) {
    return false;
  }
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

// key=value tokens of one directive line; every key must be consumed by the caller.
class Fields {
 public:
  Fields(std::string_view text, std::size_t line_no) : line_no_(line_no) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        ++pos;
      }
      if (pos >= text.size()) {
        break;
      }
      std::size_t end = pos;
      while (end < text.size() && text[end] != ' ' && text[end] != '\t') {
        ++end;
      }
      const std::string_view token = text.substr(pos, end - pos);
      const std::size_t eq = token.find('=');
      if (eq == std::string_view::npos || eq == 0 || eq + 1 == token.size()) {
        fail(line_no_, "expected key=value, got " + quoted(token));
      }
      const std::string key(token.substr(0, eq));
      if (!values_.emplace(key, std::string(token.substr(eq + 1))).second) {
        fail(line_no_, "key " + quoted(key) + " given twice");
      }
      pos = end;
    }
  }

  [[nodiscard]] bool has(const std::string& key) const { return values_.contains(key); }

  std::string text(const std::string& key) {
    auto it = values_.find(key);
    if (it == values_.end()) {
      fail(line_no_, "missing '" + key + "='");
    }
    std::string v = it->second;
    values_.erase(it);
    return v;
  }

  double number(const std::string& key) {
    const std::string v = text(key);
    double d = 0.0;
    if (!parse_double(v, d)) {
      fail(line_no_, "'" + key + "' must be a finite number, got " + quoted(v));
    }
    return d;
  }

  std::optional<double> optional_number(const std::string& key) {
    if (!has(key)) {
      return std::nullopt;
    }
    return number(key);
  }

  // Reports keys nobody asked for, naming the likely cause for a unit mismatch.
  void expect_consumed(const std::string& what, const std::string& unit_hint = {}) const {
    if (values_.empty()) {
      return;
    }
    const std::string& key = values_.begin()->first;
    std::string msg = "unknown key " + quoted(key) + " in " + what;
    if (!unit_hint.empty()) {
      msg += " (" + unit_hint + ")";
    }
    fail(line_no_, msg);
  }

 private:
  std::map<std::string, std::string> values_;
  std::size_t line_no_;
};

bool valid_name(std::string_view s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

struct PendingPort {
  std::string name;
  std::string voltage;
  std::string current;
  bool out_of_element = false;
  std::size_t line_no = 0;
};

struct PendingCalibration {
  std::string channel;
  dsp::LinearTransform transform;
  std::size_t line_no = 0;
};

class Parser {
 public:
  AdcTrace run(std::string_view text) {
    std::size_t pos = 0;
    std::size_t line_no = 0;
    while (pos <= text.size()) {
      std::size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) {
        nl = text.size();
      }
      ++line_no;
      const std::string_view raw = text.substr(pos, nl - pos);
      if (raw.size() > kMaxTraceLineBytes) {
        fail(line_no, "line longer than " + std::to_string(kMaxTraceLineBytes) + " bytes");
      }
      line(trim(raw), line_no);
      pos = nl + 1;
    }
    if (!seen_magic_) {
      fail(1, "empty file, expected '# powerstack-adc-trace 1'");
    }
    if (!header_done_) {
      fail(line_no, "no column header (t_us,<channel>,...) found");
    }
    if (trace_.t_us.empty()) {
      fail(line_no, "no sample rows");
    }
    return std::move(trace_);
  }

 private:
  void line(std::string_view s, std::size_t line_no) {
    if (!seen_magic_) {
      if (s.empty()) {
        return;
      }
      if (s.substr(0, kMagic.size()) != kMagic) {
        fail(line_no,
             "not a powerstack ADC trace: the first line must be '# powerstack-adc-trace 1'");
      }
      const std::string_view version = trim(s.substr(kMagic.size()));
      if (version != "1") {
        fail(line_no, "unsupported trace version " + quoted(version) + " (this build reads 1)");
      }
      seen_magic_ = true;
      return;
    }
    if (s.empty()) {
      return;
    }
    if (s.front() == '#') {
      directive(trim(s.substr(1)), line_no);
      return;
    }
    if (!header_done_) {
      header(s, line_no);
    } else {
      row(s, line_no);
    }
  }

  void directive(std::string_view s, std::size_t line_no) {
    const std::size_t sp = s.find_first_of(" \t");
    const std::string_view word = s.substr(0, sp);
    const std::string_view rest = sp == std::string_view::npos ? std::string_view{} : s.substr(sp);
    const bool is_directive =
        word == "adc" || word == "channel" || word == "port" || word == "calibration";
    if (is_directive && header_done_) {
      // The description must be complete before the data it describes.
      fail(line_no, "'# " + std::string(word) + "' after the column header");
    }
    if (word == "adc") {
      adc(Fields(rest, line_no), line_no);
    } else if (word == "channel") {
      channel(Fields(rest, line_no), line_no);
    } else if (word == "port") {
      port(Fields(rest, line_no), line_no);
    } else if (word == "calibration") {
      calibration(Fields(rest, line_no), line_no);
    }
    // Anything else after '#' is a comment.
  }

  void adc(Fields f, std::size_t line_no) {
    if (seen_adc_) {
      fail(line_no, "second '# adc' line");
    }
    seen_adc_ = true;
    const double bits = f.number("bits");
    const double vref = f.number("vref_v");
    const double margin = f.optional_number("margin_counts").value_or(0.0);
    f.expect_consumed("'# adc' (keys: bits, vref_v, margin_counts)");
    if (bits < 1.0 || bits > 16.0 || bits != std::floor(bits)) {
      fail(line_no, "bits must be an integer from 1 to 16");
    }
    if (vref <= 0.0 || vref > 100.0) {
      fail(line_no, "vref_v must be above 0 V and at most 100 V");
    }
    const double max_counts = std::ldexp(1.0, static_cast<int>(bits)) - 1.0;
    // At least one count must lie strictly between the two saturated bands.
    if (margin < 0.0 || margin != std::floor(margin) || 2.0 * margin + 2.0 > max_counts) {
      fail(
          line_no,
          "margin_counts must be a whole number that leaves usable counts (2 m + 2 <= 2^bits - 1)");
    }
    trace_.adc = dsp::AdcSpec{static_cast<std::uint8_t>(bits), static_cast<float>(vref),
                              static_cast<std::uint16_t>(margin)};
  }

  void channel(Fields f, std::size_t line_no) {
    if (header_done_) {
      fail(line_no, "channel declared after the column header");
    }
    if (trace_.channels.size() >= kMaxTraceChannels) {
      fail(line_no, "more than " + std::to_string(kMaxTraceChannels) + " channels");
    }
    TraceChannel ch;
    ch.name = f.text("name");
    if (!valid_name(ch.name)) {
      fail(line_no, "channel name " + quoted(ch.name) + " must be 1-32 of a-z, 0-9, _");
    }
    if (find_channel(ch.name)) {
      fail(line_no, "channel '" + ch.name + "' declared twice");
    }
    const std::string quantity = f.text("quantity");
    if (quantity == "voltage") {
      ch.quantity = Quantity::kVoltage;
    } else if (quantity == "current") {
      ch.quantity = Quantity::kCurrent;
    } else {
      fail(line_no, "quantity must be 'voltage' or 'current', got " + quoted(quantity));
    }
    const bool is_voltage = ch.quantity == Quantity::kVoltage;
    const std::string front_end = f.text("front_end");
    Result<dsp::LinearTransform> fe = Status::kInvalidArgument;
    if (front_end == "divider") {
      if (!is_voltage) {
        fail(line_no, "channel '" + ch.name +
                          "' measures current: a divider measures voltage (use front_end=shunt)");
      }
      fe = dsp::divider(static_cast<float>(f.number("r_top_ohm")),
                        static_cast<float>(f.number("r_bottom_ohm")));
    } else if (front_end == "direct") {
      if (!is_voltage) {
        fail(line_no,
             "channel '" + ch.name + "' measures current: front_end=direct is for voltages");
      }
      fe = dsp::LinearTransform{};
    } else if (front_end == "shunt") {
      if (is_voltage) {
        fail(line_no, "channel '" + ch.name +
                          "' measures voltage: a shunt measures current (use front_end=divider)");
      }
      fe = dsp::shunt_amplifier(static_cast<float>(f.number("r_shunt_ohm")),
                                static_cast<float>(f.number("gain")),
                                static_cast<float>(f.number("offset_v")));
    } else {
      fail(line_no, "front_end must be divider, shunt or direct, got " + quoted(front_end));
    }
    if (!fe.ok()) {
      fail(line_no,
           "channel '" + ch.name + "': front-end values must be positive (resistances, gain)");
    }
    ch.front_end = fe.value();
    const char* unit = is_voltage ? "_v" : "_a";
    const auto lo = f.optional_number(std::string("min") + unit);
    const auto hi = f.optional_number(std::string("max") + unit);
    ch.min_valid = lo ? static_cast<float>(*lo) : -INFINITY;
    ch.max_valid = hi ? static_cast<float>(*hi) : INFINITY;
    if (ch.min_valid > ch.max_valid) {
      fail(line_no, "channel '" + ch.name + "': min above max");
    }
    f.expect_consumed("channel '" + ch.name + "'",
                      is_voltage ? "a voltage channel's range is min_v/max_v, in volts"
                                 : "a current channel's range is min_a/max_a, in amps");
    trace_.channels.push_back(std::move(ch));
    channel_lines_.push_back(line_no);
  }

  void port(Fields f, std::size_t line_no) {
    PendingPort p;
    p.name = f.text("name");
    if (!valid_name(p.name)) {
      fail(line_no, "port name " + quoted(p.name) + " must be 1-32 of a-z, 0-9, _");
    }
    for (const auto& other : ports_) {
      if (other.name == p.name) {
        fail(line_no, "port '" + p.name + "' declared twice");
      }
    }
    p.voltage = f.text("voltage");
    p.current = f.text("current");
    const std::string dir = f.text("current_positive");
    if (dir == "into") {
      p.out_of_element = false;
    } else if (dir == "out_of") {
      p.out_of_element = true;
    } else {
      fail(line_no,
           "current_positive must be 'into' or 'out_of' (the element), got " + quoted(dir));
    }
    f.expect_consumed("port '" + p.name + "' (keys: name, voltage, current, current_positive)");
    p.line_no = line_no;
    ports_.push_back(std::move(p));
  }

  void calibration(Fields f, std::size_t line_no) {
    PendingCalibration c;
    c.channel = f.text("channel");
    for (const auto& other : calibrations_) {
      if (other.channel == c.channel) {
        fail(line_no, "second calibration of " + quoted(c.channel));
      }
    }
    const double raw1 = f.number("raw1");
    const double true1 = f.number("true1");
    const double raw2 = f.number("raw2");
    const double true2 = f.number("true2");
    f.expect_consumed("calibration (keys: channel, raw1, true1, raw2, true2)");
    const auto t = dsp::two_point_calibration(static_cast<float>(raw1), static_cast<float>(true1),
                                              static_cast<float>(raw2), static_cast<float>(true2));
    if (!t.ok()) {
      fail(line_no, "calibration of " + quoted(c.channel) +
                        ": the two raw points must differ and map to different values");
    }
    c.transform = t.value();
    c.line_no = line_no;
    calibrations_.push_back(std::move(c));
  }

  [[nodiscard]] std::optional<std::size_t> find_channel(std::string_view name) const {
    for (std::size_t i = 0; i < trace_.channels.size(); ++i) {
      if (trace_.channels[i].name == name) {
        return i;
      }
    }
    return std::nullopt;
  }

  void header(std::string_view s, std::size_t line_no) {
    if (!seen_adc_) {
      fail(line_no, "missing '# adc bits=... vref_v=...' before the column header");
    }
    if (trace_.channels.empty()) {
      fail(line_no, "no '# channel' declared before the column header");
    }
    std::vector<std::string_view> cols = split(s);
    const std::string_view time_col = cols.front();
    if (time_col == "t_us") {
      time_scale_us_ = 1.0;
    } else if (time_col == "t_ms") {
      time_scale_us_ = 1e3;
    } else if (time_col == "t_s") {
      time_scale_us_ = 1e6;
    } else {
      fail(line_no, "first column " + quoted(time_col) + " must be time in t_us, t_ms or t_s");
    }
    if (cols.size() != trace_.channels.size() + 1) {
      fail(line_no, "header has " + std::to_string(cols.size() - 1) + " channel columns, " +
                        std::to_string(trace_.channels.size()) + " channels declared");
    }
    column_to_channel_.assign(cols.size() - 1, 0);
    std::vector<bool> used(trace_.channels.size(), false);
    for (std::size_t c = 1; c < cols.size(); ++c) {
      const auto idx = find_channel(trim(cols[c]));
      if (!idx) {
        fail(line_no, "column " + quoted(cols[c]) + " is not a declared channel");
      }
      if (used[*idx]) {
        fail(line_no, "column " + quoted(cols[c]) + " appears twice");
      }
      used[*idx] = true;
      column_to_channel_[c - 1] = *idx;
    }
    resolve_ports_and_calibrations();
    header_done_ = true;
  }

  void resolve_ports_and_calibrations() {
    for (const auto& c : calibrations_) {
      const auto idx = find_channel(c.channel);
      if (!idx) {
        fail(c.line_no, "calibration names unknown channel " + quoted(c.channel));
      }
      trace_.channels[*idx].calibration = c.transform;
    }
    for (const auto& p : ports_) {
      const auto v = find_channel(p.voltage);
      const auto i = find_channel(p.current);
      if (!v || trace_.channels[*v].quantity != Quantity::kVoltage) {
        fail(p.line_no,
             "port '" + p.name + "': voltage=" + quoted(p.voltage) + " is not a voltage channel");
      }
      if (!i || trace_.channels[*i].quantity != Quantity::kCurrent) {
        fail(p.line_no,
             "port '" + p.name + "': current=" + quoted(p.current) + " is not a current channel");
      }
      trace_.ports.push_back({p.name, *v, *i, p.out_of_element});
    }
    // Every channel must make a valid AdcChannel with this ADC.
    // Every channel, calibrated, must make a valid AdcChannel with this ADC.
    for (std::size_t k = 0; k < trace_.channels.size(); ++k) {
      const TraceChannel& ch = trace_.channels[k];
      auto adc = dsp::AdcChannel::create(trace_.adc, ch.front_end, ch.min_valid, ch.max_valid);
      if (!adc.ok()) {
        fail(channel_lines_[k],
             "channel '" + ch.name + "': front end out of numeric range for this ADC");
      }
      dsp::AdcChannel calibrated = adc.value();
      if (ch.calibration && calibrated.set_calibration(*ch.calibration) != Status::kOk) {
        fail(channel_lines_[k],
             "channel '" + ch.name + "': calibration makes the conversion overflow");
      }
    }
  }

  static std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
      const std::size_t comma = s.find(',', pos);
      out.push_back(trim(
          s.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos)));
      if (comma == std::string_view::npos) {
        break;
      }
      pos = comma + 1;
    }
    return out;
  }

  void row(std::string_view s, std::size_t line_no) {
    if (trace_.t_us.size() >= kMaxTraceRows) {
      fail(line_no, "more than " + std::to_string(kMaxTraceRows) + " sample rows");
    }
    const std::vector<std::string_view> cols = split(s);
    if (cols.size() != column_to_channel_.size() + 1) {
      fail(line_no, "expected " + std::to_string(column_to_channel_.size() + 1) + " values, got " +
                        std::to_string(cols.size()));
    }
    double t = 0.0;
    if (!parse_double(cols[0], t) || t < 0.0) {
      fail(line_no, "time " + quoted(cols[0]) + " is not a non-negative number");
    }
    const double t_us_d = std::round(t * time_scale_us_);
    if (t_us_d > 1.8e19) {
      fail(line_no, "time " + quoted(cols[0]) + " is too large");
    }
    const auto t_us = static_cast<std::uint64_t>(t_us_d);
    if (!trace_.t_us.empty() && t_us <= trace_.t_us.back()) {
      fail(line_no, "time " + std::to_string(t_us) + " us is not after the previous row's " +
                        std::to_string(trace_.t_us.back()) + " us");
    }
    const std::size_t base = trace_.counts.size();
    trace_.counts.resize(base + column_to_channel_.size());
    const std::uint64_t max_counts = (std::uint64_t{1} << trace_.adc.bits) - 1U;
    for (std::size_t c = 1; c < cols.size(); ++c) {
      std::uint64_t v = 0;
      if (!parse_u64(cols[c], v)) {
        fail(line_no, "column " + std::to_string(c + 1) + ": " + quoted(cols[c]) +
                          " is not an ADC count (a whole number)");
      }
      if (v > max_counts) {
        fail(line_no, "column " + std::to_string(c + 1) + ": count " + std::to_string(v) +
                          " exceeds the " + std::to_string(trace_.adc.bits) + "-bit ADC's " +
                          std::to_string(max_counts));
      }
      trace_.counts[base + column_to_channel_[c - 1]] = static_cast<std::uint32_t>(v);
    }
    trace_.t_us.push_back(t_us);
  }

  AdcTrace trace_;
  std::vector<PendingPort> ports_;
  std::vector<PendingCalibration> calibrations_;
  std::vector<std::size_t> column_to_channel_;
  std::vector<std::size_t> channel_lines_;
  double time_scale_us_ = 1.0;
  bool seen_magic_ = false;
  bool seen_adc_ = false;
  bool header_done_ = false;
};

}  // namespace

TraceParseResult parse_adc_trace(std::string_view text) {
  try {
    return {Parser().run(text), {}};
  } catch (const ParseError& e) {
    return {std::nullopt, e.message};
  }
}

TraceParseResult read_adc_trace_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return {std::nullopt, "cannot open '" + path + "'"};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return {std::nullopt, "cannot read '" + path + "'"};
  }
  TraceParseResult r = parse_adc_trace(buffer.str());
  if (!r.trace) {
    r.error = path + ": " + r.error;
  }
  return r;
}

}  // namespace powerstack::app
