#!/usr/bin/env bash
# balancer-chain-sim behind a pty pair made by socat: a master (python3) on the other end
# numbers the chain (ZSMA0), polls the modules and checks the answers' bytes, then stops the
# processes it started. Usage: chain_sim_pty_test.sh CHAIN_SIM WORK_DIR
set -euo pipefail
sim="$1"
work="$2"
for tool in socat python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool not found: run scripts/setup"; exit 1
  fi
done
rm -rf "$work" && mkdir -p "$work"
master="$work/master"
chain="$work/chain"
socat pty,raw,echo=0,link="$master" pty,raw,echo=0,link="$chain" 2>"$work/socat.log" &
socat_pid=$!
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
  kill "$socat_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do
  if [ -e "$master" ] && [ -e "$chain" ]; then break; fi
  sleep 0.1
done
"$sim" --pty "$chain" --modules 3 --cell-mv 3300,3310,3320 --seconds 30 2>"$work/sim.log" &
sim_pid=$!
sleep 0.5
python3 - "$master" <<'PY'
import os, select, sys, termios, time

def crc(payload: bytes) -> bytes:
    c = 0
    for b in payload:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) if c & 0x8000 else (c << 1)
            c &= 0xFFFF
    out = []
    for b in (c >> 8, c & 0xFF):
        out.append(b + 1 if b in (0x28, 0x0D, 0x0A) else b)
    return bytes(out)

fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
attrs = termios.tcgetattr(fd)
attrs[0] = attrs[1] = attrs[3] = 0  # raw
termios.tcsetattr(fd, termios.TCSANOW, attrs)

def ask(payload: str, frames: int, timeout_s: float = 2.0):
    os.write(fd, payload.encode() + crc(payload.encode()) + b"\r")
    got, line, end = [], b"", time.monotonic() + timeout_s
    while len(got) < frames and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        for b in os.read(fd, 64):
            if b == 0x0D:
                if len(line) >= 3 and crc(line[:-2]) == line[-2:]:
                    got.append(line[:-2].decode())
                else:
                    got.append("BAD " + line.hex())
                line = b""
            else:
                line += bytes([b])
    return got

checks = [
    ("ZSMA0", 1, ["ZSMA3"]),
    ("ZQMA", 4, ["(MA1", "(MA2", "(MA3", "ZQMA"]),
    ("1QUA", 1, ["(1UA3296 0"]),
    ("2QUA", 1, ["(2UA3304 0"]),
    ("3QBU", 1, ["(3BS3500"]),
    ("4QUA", 1, ["4QUA"]),
]
failed = 0
for payload, n, want in checks:
    got = ask(payload, n)
    ok = got == want
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {payload}: {got}" + ("" if ok else f" (want {want})"))
sys.exit(1 if failed else 0)
PY
