#!/usr/bin/env bash
# Integration: `powerstack twin --vedirect DEV` on one end of a socat pty pair; an independent
# reader written from the public VE.Direct document (vedirect_read.py) reads the other end,
# checks every block's checksum and compares the decoded fields with GET /api/v1/status read
# around each block. Then at --speed 20 (20 blocks a wall second): every checksum still holds.
# Usage: twin_vedirect_pty.sh POWERSTACK SOURCE_DIR WORK_DIR
set -u
powerstack=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
here=$(dirname "$0")
. "$here/pty_pair.sh"
. "$here/twin_scenario.sh"
write_twin_scenario "$work/scenario.toml" "$src"

run_twin() {  # SPEED PORT
  timeout -k 5 60 "$powerstack" twin "$work/scenario.toml" --port "$2" --data-dir "$work/data" \
    --speed "$1" --vedirect "$work/chain" >>"$work/twin.txt" 2>&1 &
  twin_pid=$!
  pids+=($twin_pid)
  wait_http "$2" || fail "the twin did not answer on port $2"
}

start_pty_pair 90
port=$(free_port)
run_twin 1 "$port"
python3 "$here/vedirect_read.py" "$work/master" 8 "http://127.0.0.1:$port/api/v1/status" \
  >"$work/read.json" 2>"$work/read.txt" || fail "the reader failed"
python3 - "$work/read.json" <<'PY' || fail "real-time stream"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["blocks"] >= 6, "only %d blocks in 8 s" % r["blocks"]
assert r["bad_checksums"] == 0, "%d bad checksums" % r["bad_checksums"]
assert r.get("compared", 0) >= 3, "compared %d blocks with the API" % r.get("compared", 0)
assert not r["problems"], r["problems"]
last = r["decoded"][-1]
labels = list(last["raw"].keys())
assert labels == ["PID", "FW", "SER#", "V", "I", "VPV", "PPV", "CS", "MPPT", "OR", "ERR", "LOAD",
                  "H19", "H20", "H21", "H22", "H23", "HSDS"], labels
assert last["cs"] in (3, 4), last  # charging under 800 W/m2
assert last["p_pv_w"] > 100 and last["v_bat_v"] > 20, last
print("real time: %d blocks, %d compared with the API, all checksums good" %
      (r["blocks"], r["compared"]))
PY
kill "$twin_pid" 2>/dev/null
wait "$twin_pid" 2>/dev/null  # the twin stops on SIGTERM; -k 5: killed if it hangs in stopping

port=$(free_port)
run_twin 20 "$port"
python3 "$here/vedirect_read.py" "$work/master" 3 >"$work/read_fast.json" 2>>"$work/read.txt" ||
  fail "the reader failed (speed 20)"
python3 - "$work/read_fast.json" <<'PY' || fail "speed-20 stream"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["blocks"] >= 20, "only %d blocks in 3 s at speed 20" % r["blocks"]
assert r["bad_checksums"] == 0, "%d bad checksums" % r["bad_checksums"]
print("speed 20: %d blocks in 3 s, all checksums good" % r["blocks"])
PY
echo "PASS"
