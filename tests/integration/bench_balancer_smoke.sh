#!/usr/bin/env bash
# Smoke run of `powerstack bench balancer`: the rows have the agreed shape (metric names and a
# positive number each). Timing and the goals are the bench's to report, not this test's.
# Usage: bench_balancer_smoke.sh POWERSTACK WORK_DIR
set -eu
powerstack=$1
work=$2
mkdir -p "$work"
timeout 300 "$powerstack" bench balancer --json "$work/balancer.json" >"$work/table.txt"
python3 - "$work/balancer.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["suite"] == "balancer", doc
rows = {r["metric"]: r for r in doc["rows"]}
assert sorted(rows) == ["balance_ratio", "scan_ratio_16", "scan_ratio_32"], rows
for name, row in rows.items():
    assert isinstance(row["value"], (int, float)) and row["value"] > 0, (name, row)
print("PASS", {k: round(v["value"], 3) for k, v in rows.items()})
PY
