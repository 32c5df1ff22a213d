// Balancer commands, responses, addresses and forwarding rules: typed values <-> the seed's
// payload text, every kind in both directions.
#include <cstdint>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/balancer/address.hpp"
#include "powerstack/balancer/command.hpp"
#include "powerstack/balancer/frame.hpp"
#include "powerstack/balancer/response.hpp"
#include "powerstack/balancer/router.hpp"
#include "test_balancer_fakes.hpp"

namespace bal = powerstack::balancer;
using bal::Command;
using bal::CommandKind;
using bal::Response;
using bal::ResponseKind;
using bal::Route;
using bal_test::bytes;
using bal_test::length;
using bal_test::same;

namespace {

Command command(CommandKind kind, uint8_t target, int16_t value = 0) {
  Command c;
  c.kind = kind;
  c.target = target;
  c.value = value;
  return c;
}

Response response(ResponseKind kind, uint8_t address, int16_t value = 0, bool balancing = false) {
  Response r;
  r.kind = kind;
  r.address = address;
  r.value = value;
  r.balancing = balancing;
  return r;
}

// Encodes `c`, compares with `text`, decodes `text` back and compares with `c`.
bool command_is(const Command& c, const char* text) {
  uint8_t out[bal::kMaxPayload];
  const uint8_t n = bal::encode_command(c, out, sizeof(out));
  Command back;
  return same(out, n, text) && bal::decode_command(bytes(text), length(text), back) &&
         back.kind == c.kind && back.target == c.target && back.value == c.value;
}

bool response_is(const Response& r, const char* text) {
  uint8_t out[bal::kMaxPayload];
  const uint8_t n = bal::encode_response(r, out, sizeof(out));
  Response back;
  return same(out, n, text) && bal::decode_response(bytes(text), length(text), back) &&
         back.kind == r.kind && back.address == r.address && back.value == r.value &&
         back.balancing == r.balancing;
}

bool decodes_command(const char* text) {
  Command c;
  return bal::decode_command(bytes(text), length(text), c);
}

bool decodes_response(const char* text) {
  Response r;
  return bal::decode_response(bytes(text), length(text), r);
}

Route route_at(const char* text, uint8_t own) {
  return bal::route(bytes(text), length(text), own);
}

}  // namespace

PS_TEST(balancer_addresses_keep_the_seed_and_extend_it) {
  uint8_t out[2];
  const struct {
    uint8_t n;
    const char* text;
  } cases[] = {{0, "0"},  {1, "1"},   {9, "9"},   {10, "A"},  {16, "G"},   {17, "H"},
               {34, "Y"}, {35, "a0"}, {44, "a9"}, {45, "b0"}, {100, "g5"}, {254, "v9"}};
  for (const auto& c : cases) {
    PS_CHECK(same(out, bal::encode_address(c.n, out), c.text));
    uint8_t back = 0xEE;
    PS_CHECK(bal::decode_address(bytes(c.text), length(c.text), back) == length(c.text));
    PS_CHECK(back == c.n);
  }
  for (unsigned n = 0; n <= bal::kMaxModules; ++n) {
    const uint8_t used = bal::encode_address(static_cast<uint8_t>(n), out);
    uint8_t back = 0;
    PS_CHECK(used == (n <= 34U ? 1U : 2U));
    PS_CHECK(bal::decode_address(out, used, back) == used && back == n);
  }
  PS_CHECK(bal::encode_address(255, out) == 0);
  uint8_t n = 0;
  PS_CHECK(bal::decode_address(bytes("Z"), 1, n) == 0);   // broadcast, not an address
  PS_CHECK(bal::decode_address(bytes("("), 1, n) == 0);   // a response
  PS_CHECK(bal::decode_address(bytes("w0"), 2, n) == 0);  // past v9
  PS_CHECK(bal::decode_address(bytes("a"), 1, n) == 0);   // two-character form cut short
  PS_CHECK(bal::decode_address(bytes("aQ"), 2, n) == 0);
}

PS_TEST(balancer_queries_and_setters_round_trip) {
  PS_CHECK(command_is(command(CommandKind::kQueryVoltage, 1), "1QUA"));
  PS_CHECK(command_is(command(CommandKind::kQueryTemperature, 16), "GQTA"));
  PS_CHECK(command_is(command(CommandKind::kQueryBalanceStart, 17), "HQBU"));
  PS_CHECK(command_is(command(CommandKind::kQueryReferenceCorrection, 12), "CQRC"));
  PS_CHECK(command_is(command(CommandKind::kQueryTemperatureCorrection, 1), "1QTC"));
  PS_CHECK(command_is(command(CommandKind::kQueryOscillatorCorrection, 10), "AQOC"));
  PS_CHECK(command_is(command(CommandKind::kStartDynamicBalancing, 7), "7SDB"));
  PS_CHECK(command_is(command(CommandKind::kEndDynamicBalancing, 7), "7EDB"));
  PS_CHECK(command_is(command(CommandKind::kSetBalanceStart, 1, 3450), "1BSV3450"));
  PS_CHECK(command_is(command(CommandKind::kSetBalanceStart, 1, 950), "1BSV0950"));
  PS_CHECK(command_is(command(CommandKind::kSetReferenceCorrection, 1, 0), "1SRC 0"));
  PS_CHECK(command_is(command(CommandKind::kSetReferenceCorrection, 1, -5), "1SRC-5"));
  PS_CHECK(command_is(command(CommandKind::kSetReferenceCorrection, 12, 9), "CSRC 9"));
  PS_CHECK(command_is(command(CommandKind::kSetTemperatureCorrection, 1, -11), "1STC-11"));
  PS_CHECK(command_is(command(CommandKind::kSetTemperatureCorrection, 2, 99), "2STC 99"));
  PS_CHECK(command_is(command(CommandKind::kSetTemperatureCorrection, 2, 4), "2STC 4"));
  PS_CHECK(command_is(command(CommandKind::kSetOscillatorCorrection, 7, -4), "7SOC-4"));
  PS_CHECK(command_is(command(CommandKind::kSetOscillatorCorrection, 15, 6), "FSOC 6"));
  PS_CHECK(command_is(command(CommandKind::kDebug, 1), "1DBG"));
  PS_CHECK(command_is(command(CommandKind::kDebug, bal::kTargetStandalone), "DBG"));
  PS_CHECK(command_is(command(CommandKind::kQueryVoltage, 35), "a0QUA"));
  PS_CHECK(command_is(command(CommandKind::kSetTemperatureCorrection, 254, -99), "v9STC-99"));
}

PS_TEST(balancer_broadcasts_round_trip) {
  const uint8_t z = bal::kTargetBroadcast;
  PS_CHECK(command_is(command(CommandKind::kAssignAddresses, z, 0), "ZSMA0"));
  PS_CHECK(command_is(command(CommandKind::kAssignAddresses, z, 15), "ZSMAF"));
  PS_CHECK(command_is(command(CommandKind::kAssignAddresses, z, 16), "ZSMAG"));
  PS_CHECK(command_is(command(CommandKind::kAssignAddresses, z, 34), "ZSMAY"));
  PS_CHECK(command_is(command(CommandKind::kAssignAddresses, z, 35), "ZSMAa0"));
  PS_CHECK(command_is(command(CommandKind::kQueryAddresses, z), "ZQMA"));
  uint8_t out[bal::kMaxPayload];
  // Broadcast kinds need the broadcast target, and only they may have it.
  PS_CHECK(bal::encode_command(command(CommandKind::kQueryAddresses, 1), out, 16) == 0);
  PS_CHECK(bal::encode_command(command(CommandKind::kQueryVoltage, z), out, 16) == 0);
  PS_CHECK(bal::encode_command(command(CommandKind::kQueryVoltage, 0), out, 16) == 0);
  PS_CHECK(bal::encode_command(command(CommandKind::kAssignAddresses, z, 255), out, 16) == 0);
}

PS_TEST(balancer_commands_read_the_original_forms_and_reject_bad_ones) {
  Command c;
  // Hand-typed by the seed's author (prikazy.txt): a 3-character field " -1".
  PS_CHECK(bal::decode_command(bytes("1STC -1"), 7, c) && c.value == -1);
  PS_CHECK(bal::decode_command(bytes("1STC-21"), 7, c) && c.value == -21);
  PS_CHECK(bal::decode_command(bytes("1SRC+3"), 6, c) && c.value == 3);
  PS_CHECK(bal::decode_command(bytes("1SRC3"), 5, c) && c.value == 3);
  PS_CHECK(!decodes_command("1SRC-10"));  // one digit only
  PS_CHECK(!decodes_command("1SRC"));
  PS_CHECK(!decodes_command("1SRC-"));
  PS_CHECK(!decodes_command("1STC-100"));
  PS_CHECK(!decodes_command("1BSV345"));  // exactly four digits
  PS_CHECK(!decodes_command("1BSV34500"));
  PS_CHECK(!decodes_command("1BSV 345"));
  PS_CHECK(!decodes_command("1QUAX"));
  PS_CHECK(!decodes_command("1QU"));
  PS_CHECK(!decodes_command("0QUA"));  // module numbers start at 1
  PS_CHECK(!decodes_command("ZQUA"));  // only SMA and QMA are broadcast
  PS_CHECK(!decodes_command("ZSMA"));
  PS_CHECK(!decodes_command("ZSMAZ"));
  PS_CHECK(!decodes_command("1SMA0"));
  PS_CHECK(!decodes_command("QUA"));
  PS_CHECK(!decodes_command("(1UA3239 0"));
  PS_CHECK(!decodes_command("1qua"));
}

PS_TEST(balancer_responses_round_trip) {
  PS_CHECK(response_is(response(ResponseKind::kVoltage, 1, 3239, false), "(1UA3239 0"));
  PS_CHECK(response_is(response(ResponseKind::kVoltage, 16, 950, true), "(GUA 950 1"));
  PS_CHECK(response_is(response(ResponseKind::kVoltage, 35, 0, false), "(a0UA   0 0"));
  PS_CHECK(response_is(response(ResponseKind::kTemperature, 1, 298), "(1TA298"));
  PS_CHECK(response_is(response(ResponseKind::kTemperature, 2, 5), "(2TA  5"));
  PS_CHECK(response_is(response(ResponseKind::kBalanceStart, 3, 3500), "(3BS3500"));
  PS_CHECK(response_is(response(ResponseKind::kReferenceCorrection, 1, 9), "(1RC 9"));
  PS_CHECK(response_is(response(ResponseKind::kReferenceCorrection, 1, -9), "(1RC-9"));
  PS_CHECK(response_is(response(ResponseKind::kTemperatureCorrection, 1, 9), "(1TC 9"));
  PS_CHECK(response_is(response(ResponseKind::kTemperatureCorrection, 1, -9), "(1TC-9"));
  PS_CHECK(response_is(response(ResponseKind::kTemperatureCorrection, 1, 12), "(1TC 12"));
  PS_CHECK(response_is(response(ResponseKind::kTemperatureCorrection, 1, -99), "(1TC-99"));
  PS_CHECK(response_is(response(ResponseKind::kOscillatorCorrection, 1, 0), "(1OC 0"));
  PS_CHECK(response_is(response(ResponseKind::kDynamicStarted, 5), "(5SDBOK"));
  PS_CHECK(response_is(response(ResponseKind::kDynamicEnded, 5), "(5EDBOK"));
  PS_CHECK(response_is(response(ResponseKind::kBalanceStartSet, 5), "(5BSVOK"));
  PS_CHECK(response_is(response(ResponseKind::kReferenceCorrectionSet, 5), "(5RCOK"));
  PS_CHECK(response_is(response(ResponseKind::kTemperatureCorrectionSet, 5), "(5RTOK"));
  PS_CHECK(response_is(response(ResponseKind::kOscillatorCorrectionSet, 5), "(5OCOK"));
  PS_CHECK(response_is(response(ResponseKind::kModuleAddress, 1), "(MA1"));
  PS_CHECK(response_is(response(ResponseKind::kModuleAddress, 10), "(MAA"));
  PS_CHECK(response_is(response(ResponseKind::kModuleAddress, 22), "(MAM"));
  PS_CHECK(response_is(response(ResponseKind::kModuleAddress, 254), "(MAv9"));
  PS_CHECK(response_is(response(ResponseKind::kNak, 9), "(9NAK"));
}

PS_TEST(balancer_responses_read_the_original_firmware_forms) {
  Response r;
  PS_CHECK(bal::decode_response(bytes("(1TCOK"), 6, r));
  PS_CHECK(r.kind == ResponseKind::kTemperatureCorrectionSet && r.address == 1);
  PS_CHECK(bal::decode_response(bytes("(3MA"), 4, r));
  PS_CHECK(r.kind == ResponseKind::kModuleAddress && r.address == 3);
  PS_CHECK(bal::decode_response(bytes("(MMA"), 4, r));  // module 22 in the original form
  PS_CHECK(r.kind == ResponseKind::kModuleAddress && r.address == 22);
  PS_CHECK(bal::decode_response(bytes("(1TC  9"), 7, r) && r.value == 9);
  PS_CHECK(bal::decode_response(bytes("(1TC- 9"), 7, r) && r.value == -9);
  PS_CHECK(bal::decode_response(bytes("(1UA0950 1"), 10, r) && r.value == 950 && r.balancing);
}

PS_TEST(balancer_responses_reject_bad_forms_and_values) {
  PS_CHECK(!decodes_response("(1UA3239"));
  PS_CHECK(!decodes_response("(1UA3239 2"));
  PS_CHECK(!decodes_response("(1UA32390 0"));
  PS_CHECK(!decodes_response("(1TA1000"));
  PS_CHECK(!decodes_response("(1RC-10"));
  PS_CHECK(!decodes_response("(1SDBO"));
  PS_CHECK(!decodes_response("(1XYOK"));
  PS_CHECK(!decodes_response("(ZUA3239 0"));
  PS_CHECK(!decodes_response("(MA"));
  PS_CHECK(!decodes_response("1UA3239 0"));
  uint8_t out[bal::kMaxPayload];
  PS_CHECK(bal::encode_response(response(ResponseKind::kVoltage, 1, 10000), out, 16) == 0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kTemperature, 1, 1000), out, 16) == 0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kTemperature, 1, -1), out, 16) == 0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kReferenceCorrection, 1, 10), out, 16) == 0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kTemperatureCorrection, 1, 100), out, 16) ==
           0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kNak, 0), out, 16) == 0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kNak, 255), out, 16) == 0);
  PS_CHECK(bal::encode_response(response(ResponseKind::kVoltage, 1, 3300), out, 9) == 0);
}

PS_TEST(balancer_router_applies_the_chain_rules) {
  PS_CHECK(route_at("(1UA3239 0", 1) == Route::kForward);  // responses travel on
  PS_CHECK(route_at("(MA3", 4) == Route::kForward);
  PS_CHECK(route_at("1QUA", 1) == Route::kHandle);
  PS_CHECK(route_at("1QUA", 2) == Route::kForward);
  PS_CHECK(route_at("a0QUA", 35) == Route::kHandle);
  PS_CHECK(route_at("a0QUA", 10) == Route::kForward);
  PS_CHECK(route_at("1XYZ", 1) == Route::kHandle);  // unknown but addressed: NAK
  PS_CHECK(route_at("DBG", 5) == Route::kHandle);   // stand-alone debug
  PS_CHECK(route_at("DQUA", 13) == Route::kHandle);
  PS_CHECK(route_at("DQUA", 5) == Route::kForward);
  PS_CHECK(route_at("ZSMA0", 1) == Route::kAssignAddress);
  PS_CHECK(route_at("ZSMAv8", 1) == Route::kAssignAddress);
  PS_CHECK(route_at("ZSMAv9", 1) == Route::kForward);  // no address left
  PS_CHECK(route_at("ZQMA", 7) == Route::kReportAddress);
  PS_CHECK(route_at("ZQUA", 7) == Route::kForward);  // not a broadcast command
  PS_CHECK(route_at("?", 7) == Route::kForward);
}
