#!/usr/bin/env bash
# Integration: `powerstack twin --mqtt` against a real mosquitto broker on a free loopback port
# (config in the work directory). mosquitto_sub records everything; checked: the 18 Home
# Assistant discovery configs (retained JSON whose value_templates resolve in the state), the
# state JSON, "online"; a settings command with the token round-trips (result, then
# GET /api/v1/settings shows it), a wrong token and an out-of-range value are refused and
# change nothing; after kill -9 the broker publishes the last will "offline".
# Usage: twin_mqtt.sh POWERSTACK SOURCE_DIR WORK_DIR
set -u
powerstack=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
here=$(dirname "$0")
. "$here/pty_pair.sh"  # pids, cleanup on exit, fail
. "$here/twin_scenario.sh"
write_twin_scenario "$work/scenario.toml" "$src"
command -v mosquitto >/dev/null || PATH=$PATH:/usr/sbin
command -v mosquitto >/dev/null || fail "mosquitto not found (scripts/setup installs it)"
command -v mosquitto_sub >/dev/null || fail "mosquitto_sub not found (mosquitto-clients)"

broker=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$broker" \
  >"$work/mosquitto.conf"
timeout 120 mosquitto -c "$work/mosquitto.conf" 2>"$work/mosquitto.txt" &
pids+=($!)
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $broker), 1)" 2>/dev/null &&
    break
  sleep 0.1
done

# topic TAB retain-flag TAB payload, one message a line.
timeout 100 mosquitto_sub -h 127.0.0.1 -p "$broker" -t 'homeassistant/#' -t 'ps/test/#' \
  -F '%t\t%r\t%p' >"$work/sub.log" 2>"$work/sub.txt" &
pids+=($!)
sleep 0.5

port=$(free_port)
timeout -k 5 100 "$powerstack" twin "$work/scenario.toml" --port "$port" --data-dir "$work/data" \
  --mqtt "127.0.0.1:$broker" --mqtt-base ps/test --mqtt-interval 2 >"$work/twin.txt" 2>&1 &
twin_pid=$!
pids+=($twin_pid)
wait_http "$port" || fail "the twin did not answer on port $port"
for _ in $(seq 100); do
  grep -q '^ps/test/state' "$work/sub.log" && break
  sleep 0.1
done

# A late subscriber gets what is retained (with the retain flag set).
mosquitto_sub -h 127.0.0.1 -p "$broker" -t 'homeassistant/#' -t ps/test/availability -W 2 \
  -F '%t\t%r\t%p' >"$work/retained.log" 2>/dev/null
python3 - "$work/sub.log" "$work/retained.log" <<'PY' || fail "discovery, availability or state"
import json, re, sys
def read(path):
    return [l.rstrip("\n").split("\t", 2) for l in open(path) if "\t" in l]
msgs = read(sys.argv[1])
retained = read(sys.argv[2])
configs = {t: (r, json.loads(p)) for t, r, p in retained if t.startswith("homeassistant/")}
assert len(configs) == 18, "%d discovery configs" % len(configs)
states = [json.loads(p) for t, r, p in msgs if t == "ps/test/state"]
assert states, "no state message"
state = states[-1]
for key in ("seq", "t_s", "pv", "battery", "controller", "energy"):
    assert key in state, "state lacks " + key
avail = [(r, p) for t, r, p in retained if t == "ps/test/availability"]
assert avail and avail[-1] == ("1", "online"), avail
need = {"name", "unique_id", "state_topic", "value_template", "availability_topic", "device"}
ids = set()
for topic, (retain, c) in configs.items():
    assert retain == "1", topic + " not retained"
    assert re.fullmatch(r"homeassistant/(sensor|binary_sensor)/ps_test/[a-z_]+/config", topic), topic
    assert need <= set(c), "%s lacks %s" % (topic, need - set(c))
    assert c["state_topic"] == "ps/test/state" and c["availability_topic"] == "ps/test/availability"
    assert c["device"]["identifiers"] == ["ps_test"], c["device"]
    ids.add(c["unique_id"])
    # Every value_template reads a path that the state has.
    for path in re.findall(r"value_json\.([a-z_.]+)", c["value_template"]):
        node = state
        for part in path.split("."):
            assert part in node, "%s: %s not in the state" % (topic, path)
            node = node[part]
assert len(ids) == 18, "unique_ids are not unique"
v = configs["homeassistant/sensor/ps_test/battery_voltage/config"][1]
assert (v["device_class"], v["unit_of_measurement"], v["state_class"]) == \
    ("voltage", "V", "measurement"), v
e = configs["homeassistant/sensor/ps_test/pv_energy_total/config"][1]
assert (e["device_class"], e["unit_of_measurement"], e["state_class"]) == \
    ("energy", "Wh", "total_increasing"), e
print("discovery: %d configs; %d states; availability online" % (len(configs), len(states)))
PY

token=$(cat "$work/data/token")
pub() { mosquitto_pub -h 127.0.0.1 -p "$broker" -t ps/test/set/settings -m "$1"; }
result_of() {  # ID: the reply with that id (10 s at most)
  for _ in $(seq 100); do
    line=$(grep "^ps/test/set/result" "$work/sub.log" | grep "\"id\":\"$1\"")
    [ -n "$line" ] && { printf '%s\n' "$line" | cut -f3; return 0; }
    sleep 0.1
  done
  return 1
}
setting() { curl -sf "http://127.0.0.1:$port/api/v1/settings" | python3 -c \
  'import json, sys; print(json.load(sys.stdin)["i_charge_max_a"])'; }
before=$(setting) || fail "GET /api/v1/settings"
[ "$before" != "12.5" ] || fail "the setting is already 12.5"

pub "{\"token\":\"$token\",\"settings\":{\"i_charge_max_a\":12.5},\"id\":\"ok1\"}"
r=$(result_of ok1) || fail "no result for the valid command"
printf '%s' "$r" | python3 -c 'import json, sys; r = json.load(sys.stdin)
assert r["status"] == 200 and r["settings"]["i_charge_max_a"] == 12.5, r' || fail "result: $r"
[ "$(setting)" = "12.5" ] || fail "GET /api/v1/settings does not show 12.5 after the command"

pub "{\"token\":\"0000000000000000wrong\",\"settings\":{\"i_charge_max_a\":5},\"id\":\"bad1\"}"
r=$(result_of bad1) || fail "no result for the wrong token"
printf '%s' "$r" | grep -q '"status":401' || fail "wrong token: $r"
pub "{\"token\":\"$token\",\"settings\":{\"i_charge_max_a\":5000},\"id\":\"bad2\"}"
r=$(result_of bad2) || fail "no result for the out-of-range value"
printf '%s' "$r" | python3 -c 'import json, sys; r = json.load(sys.stdin)
assert r["status"] == 400 and r["error"] == "bad-field", r
assert any(f["field"] == "i_charge_max_a" for f in r["fields"]), r' || fail "out of range: $r"
[ "$(setting)" = "12.5" ] || fail "a refused command changed the setting"
echo "commands: valid 200 and applied, wrong token 401, out of range 400; setting kept"

# The twin itself, not the timeout wrapping it.
twin=$(pgrep -P "$twin_pid" -x powerstack) || fail "no powerstack process under $twin_pid"
kill -9 "$twin"
wait "$twin_pid" 2>/dev/null
for _ in $(seq 100); do
  [ "$(grep '^ps/test/availability' "$work/sub.log" | tail -1 | cut -f3)" = offline ] && break
  sleep 0.1
done
[ "$(grep '^ps/test/availability' "$work/sub.log" | tail -1 | cut -f3)" = offline ] ||
  fail "no last will after kill -9"
echo "last will: offline after kill -9"
echo "PASS"
