# Sourced by the serial-port integration tests: a socat pty pair under $work (chain, master),
# every started process remembered in pids and killed on exit, and fail() that prints the
# logs ($work/*.txt). Needs $work set; call start_pty_pair SECONDS.
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null
  done
  wait 2>/dev/null
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$work"/*.txt; do
    echo "--- $f"
    cat "$f"
  done
  exit 1
}
start_pty_pair() {
  command -v socat >/dev/null || fail "socat not found (scripts/setup installs it)"
  timeout "$1" socat pty,raw,echo=0,link="$work/chain" pty,raw,echo=0,link="$work/master" \
    2>"$work/socat.txt" &
  pids+=($!)
  for _ in $(seq 50); do
    [ -e "$work/chain" ] && [ -e "$work/master" ] && break
    sleep 0.1
  done
  [ -e "$work/master" ] || fail "socat made no pty pair"
}
