#include "powerstack/balancer/balancer_module.hpp"

#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/router.hpp"
#include "saturating.hpp"

namespace powerstack {
namespace balancer {

void BalancerModule::start(uint32_t now_ms) {
  settings_ = load_settings(eeprom_);
  switch_on_ = false;
  switch_.set_balancing(false);
  measure();
  next_measure_ms_ = now_ms + kMeasurePeriodMs;
}

void BalancerModule::tick(uint32_t now_ms) {
  if (time_reached(now_ms, next_measure_ms_)) {
    measure();
    run_cycle_timers();
    next_measure_ms_ += kMeasurePeriodMs;
    if (time_reached(now_ms, next_measure_ms_)) {
      next_measure_ms_ = now_ms + kMeasurePeriodMs;  // slept through cycles: no catch-up burst
    }
  }
  link_.service(now_ms);
}

void BalancerModule::receive_byte(uint8_t byte, uint32_t now_ms) {
  if (link_.receive(byte, now_ms) == RxEvent::kFrame) {
    on_frame(link_.received_payload(), link_.received_length());
  }
  link_.service(now_ms);
}

void BalancerModule::measure() {
  const uint16_t mv = filter_.update(
      cell_mv_from_counts(adc_.read_cell_counts(), settings_.reference_correction_mv));
  if (mv > settings_.balance_start_mv) {
    auto_on_ = true;
  } else if (mv + kBalanceHysteresisMv < settings_.balance_start_mv) {
    auto_on_ = false;
  }
  update_switch();
}

void BalancerModule::run_cycle_timers() {
  if (dynamic_cycles_ != 0U && --dynamic_cycles_ == 0U) {
    update_switch();
  }
  if (debug_cycles_ != 0U && --debug_cycles_ != 0U &&
      debug_cycles_ % kDebugReportEveryCycles == 0U) {
    answer(ResponseKind::kVoltage, static_cast<int16_t>(cell_mv()));
  }
}

void BalancerModule::on_frame(const uint8_t* payload, uint8_t length) {
  Command command;
  switch (route(payload, length, settings_.address)) {
    case Route::kForward:
      forward(payload, length);
      return;
    case Route::kHandle:
      if (decode_command(payload, length, command)) {
        execute(command);
      } else {
        count_saturating(stats_.handled);
        answer(ResponseKind::kNak, 0);
      }
      return;
    case Route::kAssignAddress:
      if (decode_command(payload, length, command)) {
        settings_.address = static_cast<uint8_t>(command.value + 1);
        store_settings(eeprom_, settings_);
        // "ZSMA" + the new address (the payload starts with those four bytes).
        uint8_t text[4U + kMaxAddressChars];
        for (uint8_t i = 0; i < 4U; ++i) {
          text[i] = payload[i];
        }
        forward(text, static_cast<uint8_t>(4U + encode_address(settings_.address, text + 4)));
        count_saturating(stats_.handled);
      }
      return;
    case Route::kReportAddress:
      count_saturating(stats_.handled);
      answer(ResponseKind::kModuleAddress, 0);
      forward(payload, length);
      return;
  }
}

void BalancerModule::execute(const Command& command) {
  count_saturating(stats_.handled);
  switch (command.kind) {
    case CommandKind::kQueryVoltage:
      answer(ResponseKind::kVoltage, static_cast<int16_t>(cell_mv()));
      return;
    case CommandKind::kQueryTemperature: {
      auto kelvin = static_cast<int16_t>(adc_.read_temperature_counts() & 0x3FFU);
      kelvin = static_cast<int16_t>(kelvin + settings_.temperature_correction_k);
      answer(ResponseKind::kTemperature,
             kelvin < 0 ? int16_t{0} : (kelvin > 999 ? int16_t{999} : kelvin));
      return;
    }
    case CommandKind::kQueryBalanceStart:
      answer(ResponseKind::kBalanceStart, static_cast<int16_t>(settings_.balance_start_mv));
      return;
    case CommandKind::kQueryReferenceCorrection:
      answer(ResponseKind::kReferenceCorrection, settings_.reference_correction_mv);
      return;
    case CommandKind::kQueryTemperatureCorrection:
      answer(ResponseKind::kTemperatureCorrection, settings_.temperature_correction_k);
      return;
    case CommandKind::kQueryOscillatorCorrection:
      answer(ResponseKind::kOscillatorCorrection, settings_.oscillator_correction);
      return;
    case CommandKind::kStartDynamicBalancing:
      dynamic_cycles_ = kDynamicBalancingCycles;
      update_switch();
      answer(ResponseKind::kDynamicStarted, 0);
      return;
    case CommandKind::kEndDynamicBalancing:
      dynamic_cycles_ = 0;
      update_switch();
      answer(ResponseKind::kDynamicEnded, 0);
      return;
    case CommandKind::kDebug:
      debug_cycles_ = kDebugCycles;
      answer(ResponseKind::kVoltage, static_cast<int16_t>(cell_mv()));
      return;
    default:
      answer(apply_setting(command), 0);
      return;
  }
}

ResponseKind BalancerModule::apply_setting(const Command& command) {
  const int16_t v = command.value;
  ResponseKind ack = ResponseKind::kNak;
  switch (command.kind) {
    case CommandKind::kSetBalanceStart:
      if (v >= static_cast<int16_t>(kMinBalanceStartMv) &&
          v <= static_cast<int16_t>(kMaxBalanceStartMv)) {
        settings_.balance_start_mv = static_cast<uint16_t>(v);
        ack = ResponseKind::kBalanceStartSet;
      }
      break;
    case CommandKind::kSetReferenceCorrection:
      if (v >= -kMaxReferenceCorrectionMv && v <= kMaxReferenceCorrectionMv) {
        settings_.reference_correction_mv = static_cast<int8_t>(v);
        ack = ResponseKind::kReferenceCorrectionSet;
      }
      break;
    case CommandKind::kSetTemperatureCorrection:
      if (v >= -kMaxTemperatureCorrectionK && v <= kMaxTemperatureCorrectionK) {
        settings_.temperature_correction_k = static_cast<int8_t>(v);
        ack = ResponseKind::kTemperatureCorrectionSet;
      }
      break;
    case CommandKind::kSetOscillatorCorrection:
      if (v >= -kMaxOscillatorCorrection && v <= kMaxOscillatorCorrection) {
        settings_.oscillator_correction = static_cast<int8_t>(v);
        ack = ResponseKind::kOscillatorCorrectionSet;
      }
      break;
    default:
      break;
  }
  if (ack != ResponseKind::kNak) {
    store_settings(eeprom_, settings_);
  }
  return ack;
}

void BalancerModule::answer(ResponseKind kind, int16_t value) {
  if (kind == ResponseKind::kNak) {
    count_saturating(stats_.naks);
  }
  Response response;
  response.kind = kind;
  response.address = settings_.address;
  response.value = value;
  response.balancing = switch_on_;
  uint8_t text[kMaxPayload];
  const uint8_t n = encode_response(response, text, sizeof(text));
  if (n != 0U) {
    link_.queue(text, n);
  }
}

void BalancerModule::forward(const uint8_t* payload, uint8_t length) {
  if (link_.queue(payload, length)) {
    count_saturating(stats_.forwarded);
  }
}

void BalancerModule::update_switch() {
  const bool on = auto_on_ || dynamic_cycles_ != 0U;
  if (on != switch_on_) {
    switch_on_ = on;
    switch_.set_balancing(on);
  }
}

}  // namespace balancer
}  // namespace powerstack
