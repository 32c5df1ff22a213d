#!/usr/bin/env bash
# Integration: `powerstack balancer --port` reads a simulated chain on the other end of a pty
# pair. socat makes the pair; `powerstack balancer sim-chain` runs 8 modules (the host build of
# the module logic, 4800-baud byte timing) on one end; the manager scans from the other end,
# then runs the balance policy. Every process is bounded by timeout and killed on exit,
# whatever happens.
# Usage: balancer_pty.sh POWERSTACK WORK_DIR
set -u
powerstack=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
. "$(dirname "$0")/pty_pair.sh"
start_pty_pair 60

# Cells within 8 mV of each other but cell 6, 60 mV above: the policy bleeds only cell 6.
timeout 60 "$powerstack" balancer sim-chain --port "$work/chain" --cells 8 \
  --mv 3200,3204,3208,3200,3204,3260,3208,3200 --duration 50 >"$work/sim.txt" 2>&1 &
pids+=($!)

timeout 30 "$powerstack" balancer --port "$work/master" --json "$work/table.json" \
  >"$work/scan.txt" 2>&1 || fail "scan exited with $?"
expected=(3200 3204 3208 3200 3204 3260 3208 3200)
for i in "${!expected[@]}"; do
  cell=$((i + 1))
  grep -Eq "^ +$cell +$cell +${expected[$i]} +0 +0 +298 +ok " "$work/scan.txt" ||
    fail "cell $cell: expected ${expected[$i]} mV, 298 K, ok"
done
grep -q "chain: 8 modules, 8 reported" "$work/scan.txt" || fail "chain line"
[ "$(grep -c '"status": "ok"' "$work/table.json")" = 8 ] || fail "JSON table"

# The policy for 8 s at rest: only cell 6 is bled (bal = the switch at its last reading), and
# the run ends dynamic balancing before it exits (dyn = 0).
timeout 40 "$powerstack" balancer --port "$work/master" --cells 8 --policy rest --duration 8 \
  >"$work/policy.txt" 2>&1 || fail "policy run exited with $?"
grep -Eq "^ +6 +6 +3260 +1 +0 " "$work/policy.txt" || fail "cell 6 should bleed"
for i in 1 2 3 4 5 7 8; do
  grep -Eq "^ +$i +$i +[0-9]+ +0 +0 " "$work/policy.txt" || fail "cell $i should not bleed"
done
echo "PASS"
