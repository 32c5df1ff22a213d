#!/usr/bin/env bash
# End-to-end check of the HTML report in a real browser: `powerstack simulate` writes the
# report of a scenario (or `powerstack design check` the report of a *design.toml), headless Chromium takes a screenshot of it, and the screenshot must
# show the charts (pixels of the line colour #1565c0) on a page that is not blank.
#
#   report_renders.sh POWERSTACK SCENARIO WORK_DIR CHROMIUM PYTHON3
#
# CHROMIUM or PYTHON3 empty (not found by CMake) is a failure with a message, not a skip.
# Everything is written under WORK_DIR (emptied first), including Chromium's profile.
set -euo pipefail

# Thresholds: about half of what the report of battery-cut.toml measured at 900x2400 in
# Debian 12's Chromium 156 (2651 pixels within 24 of #1565c0 in each channel, 2139 of them
# exact; about 82700 pixels that are not white). Six charts drawn; none drawn gives 0.
MIN_LINE_PIXELS=${MIN_LINE_PIXELS:-1300}
MIN_INK_PIXELS=${MIN_INK_PIXELS:-40000}

fail() {
  echo "report_renders: FAIL: $*" >&2
  exit 1
}

if [ $# -ne 5 ]; then
  fail "usage: report_renders.sh POWERSTACK SCENARIO WORK_DIR CHROMIUM PYTHON3"
fi
powerstack=$1
scenario=$2
work=$3
chromium=$4
python=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ -z "$chromium" ] || ! [ -x "$chromium" ]; then
  fail "chromium not found, so the HTML report cannot be checked in a browser; install the" \
    "Debian package 'chromium' (scripts/setup does) and re-run cmake --preset debug"
fi
if [ -z "$python" ] || ! [ -x "$python" ]; then
  fail "python3 not found (needed to decode the screenshot); install it (scripts/setup does)"
fi

"$python" "$here/check_png.py" --self-test || fail "the PNG decoder's self-test failed"

rm -rf "$work"
mkdir -p "$work/out" "$work/profile"
png="$work/report.png"

if [[ "$scenario" == *design.toml ]]; then
  # A design file: `powerstack design check` writes the report (exit 3 = findings with errors).
  html="$work/out/report.html"
  rc=0
  "$powerstack" design check "$scenario" --no-tolerance --report "$html" >"$work/summary.txt" 2>&1 ||
    rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    cat "$work/summary.txt" >&2
    fail "powerstack design check failed"
  fi
elif ! "$powerstack" simulate "$scenario" --out "$work/out" --quiet >"$work/summary.txt" 2>&1; then
  cat "$work/summary.txt" >&2
  fail "powerstack simulate failed"
else
  html=$(sed -n 's/^  report: //p' "$work/summary.txt")
fi
if [ -z "$html" ] || ! [ -s "$html" ]; then
  cat "$work/summary.txt" >&2
  fail "no HTML report (expected a '  report: FILE' line in the summary)"
fi
html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")

rc=0
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=900,2400 --screenshot="$png" \
  "file://$html" >"$work/chromium.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
  tail -n 20 "$work/chromium.log" >&2
  [ "$rc" -eq 124 ] && fail "chromium did not finish within 120 s"
  fail "chromium exited with $rc (log: $work/chromium.log)"
fi
if ! [ -s "$png" ]; then
  tail -n 20 "$work/chromium.log" >&2
  fail "chromium wrote no screenshot (log: $work/chromium.log)"
fi

"$python" "$here/check_png.py" "$png" --colour 1565c0 --tolerance 24 \
  --min-pixels "$MIN_LINE_PIXELS" --min-ink "$MIN_INK_PIXELS" ||
  fail "the screenshot $png does not show the report's charts"
echo "report_renders: ok ($html)"
