#!/usr/bin/env bash
# Integration: the host manager (`powerstack balancer --port`) against the ATtiny85 module
# image itself: balancer-chain-sim runs 4 emulated ATtiny85s (simavr, factory-new, no
# addresses) on one end of a socat pty pair; the manager numbers them (ZSMA), scans, then
# runs the balance policy, which must start dynamic balancing on the one high cell only.
# Every process is bounded by timeout and killed on exit.
# Usage: balancer_pty_avr.sh POWERSTACK CHAIN_SIM WORK_DIR
set -u
powerstack=$1
chain_sim=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
. "$(dirname "$0")/pty_pair.sh"
start_pty_pair 90

# Driven cell voltages; cell 3 is 60 mV above the others (all below the 3500 mV automatic
# balancing start, so only the policy can switch its bleed resistor on).
driven=(3300 3304 3360 3300)
timeout 80 "$chain_sim" --pty "$work/chain" --modules 4 --cell-mv 3300,3304,3360,3300 \
  --seconds 70 >"$work/sim.txt" 2>&1 &
pids+=($!)
sleep 0.5

timeout 30 "$powerstack" balancer --port "$work/master" --assign --json "$work/table.json" \
  >"$work/scan.txt" 2>&1 || fail "assign + scan exited with $?"
grep -q "chain: 4 modules, 4 reported" "$work/scan.txt" || fail "chain line"
# The image reads counts * 2048 / 512 mV of a 10-bit ADC over a 1:2 divider: up to one
# 4 mV step below the driven voltage, never above.
for i in "${!driven[@]}"; do
  cell=$((i + 1))
  mv=$(awk -v c="$cell" '$1 == c && $2 == c { print $3 }' "$work/scan.txt")
  [ -n "$mv" ] || fail "cell $cell missing from the table"
  diff=$((driven[i] - mv))
  [ "$diff" -ge 0 ] && [ "$diff" -le 8 ] || fail "cell $cell: read $mv mV, driven ${driven[$i]} mV"
done
[ "$(grep -c '"status": "ok"' "$work/table.json")" = 4 ] || fail "JSON table"

timeout 40 "$powerstack" balancer --port "$work/master" --cells 4 --policy rest --duration 8 \
  >"$work/policy.txt" 2>&1 || fail "policy run exited with $?"
awk '$1 == 3 && $2 == 3 && $4 == 1 { found = 1 } END { exit !found }' "$work/policy.txt" ||
  fail "cell 3 should bleed"
for i in 1 2 4; do
  awk -v c="$i" '$1 == c && $2 == c && $4 == 0 { found = 1 } END { exit !found }' \
    "$work/policy.txt" || fail "cell $i should not bleed"
done
echo "PASS"
