#!/usr/bin/env bash
# End-to-end test of the web dashboard: starts `powerstack twin` on a free loopback port and
# drives the dashboard in headless Chromium (tests/e2e/dashboard.mjs, playwright-core from
# web/node_modules). Screenshots and logs are written under WORK_DIR (emptied first).
#
#   dashboard.sh POWERSTACK SCENARIO WEB_DIR WORK_DIR NODE CHROMIUM PYTHON3
#
# A missing tool (empty or not executable) or an unbuilt dashboard is a failure that says
# what to install or run, never a skip.
set -euo pipefail

fail() {
  echo "dashboard: FAIL: $*" >&2
  exit 1
}

if [ $# -ne 7 ]; then
  fail "usage: dashboard.sh POWERSTACK SCENARIO WEB_DIR WORK_DIR NODE CHROMIUM PYTHON3"
fi
powerstack=$1
scenario=$2
web=$3
work=$4
node=$5
chromium=$6
python=$7
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ -z "$node" ] || ! [ -x "$node" ]; then
  fail "node not found: install Node.js (scripts/setup installs Debian's nodejs and npm when" \
    "node is missing) and re-run cmake --preset debug"
fi
if [ -z "$chromium" ] || ! [ -x "$chromium" ]; then
  fail "chromium not found: install the Debian package 'chromium' (scripts/setup does) and" \
    "re-run cmake --preset debug"
fi
if [ -z "$python" ] || ! [ -x "$python" ]; then
  fail "python3 not found (it decodes the screenshots); install it (scripts/setup does)"
fi
if ! [ -s "$web/dist/index.html" ]; then
  fail "the dashboard is not built ($web/dist/index.html missing): run scripts/setup, or" \
    "npm ci && npm run build in $web"
fi
if ! [ -d "$web/node_modules/playwright-core" ]; then
  fail "playwright-core is not installed in $web/node_modules: run scripts/setup, or npm ci in $web"
fi

rm -rf "$work"
mkdir -p "$work"
exec "$node" --test-reporter=spec "$here/dashboard.mjs" \
  --powerstack "$powerstack" --scenario "$scenario" --web "$web" --work "$work" \
  --chromium "$chromium" --python "$python" --check-png "$here/check_png.py"
