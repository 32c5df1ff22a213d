#!/usr/bin/env python3
"""An independent VE.Direct text-mode reader, written from the public "VE.Direct Protocol"
document (not from powerstack's encoder): reads a serial device or pty, splits the stream
into blocks, checks every block's checksum (all bytes of a block sum to 0 modulo 256, the
block ending with the byte after "Checksum<TAB>") and decodes the MPPT fields into SI units.

Usage: vedirect_read.py DEVICE SECONDS [STATUS_URL]
Prints one JSON object: {"blocks": n, "bad_checksums": n, "partial_first": bool,
"decoded": [...], "matches": [...]}. With STATUS_URL (the twin's GET /api/v1/status), every
block is compared with the status read just before and just after it (see check_block).
"""
import json
import os
import select
import sys
import termios
import time
import tty
import urllib.request

MARK = b"\r\nChecksum\t"

# Field decoding per the public document: label -> (name, scale to SI or None for text).
NUMERIC = {
    "V": ("v_bat_v", 0.001),
    "I": ("i_bat_a", 0.001),
    "VPV": ("v_pv_v", 0.001),
    "PPV": ("p_pv_w", 1.0),
    "H19": ("yield_total_wh", 10.0),
    "H20": ("yield_today_wh", 10.0),
    "H21": ("max_power_today_w", 1.0),
    "H22": ("yield_yesterday_wh", 10.0),
    "H23": ("max_power_yesterday_w", 1.0),
    "HSDS": ("day", 1.0),
    "CS": ("cs", 1.0),
    "MPPT": ("mppt", 1.0),
    "ERR": ("err", 1.0),
}
CS_NAMES = {0: "off", 2: "fault", 3: "bulk", 4: "absorption", 5: "float", 7: "equalize",
            245: "starting-up", 247: "auto-equalize", 252: "external-control"}


def split_blocks(data):
    """Complete blocks of `data`. The first one may have started before we listened."""
    blocks = []
    start = 0
    while True:
        i = data.find(MARK, start)
        if i < 0 or i + len(MARK) >= len(data):
            return blocks, data[start:]
        end = i + len(MARK) + 1  # the checksum byte
        blocks.append(data[start:end])
        start = end


def decode(block):
    fields = {}
    body = block[: -len(MARK) - 1]
    for line in body.split(b"\r\n"):
        if not line:
            continue
        label, _, value = line.partition(b"\t")
        fields[label.decode("ascii")] = value.decode("ascii")
    out = {"raw": fields}
    for label, (name, scale) in NUMERIC.items():
        if label in fields and fields[label] != "---":
            out[name] = int(fields[label]) * scale
    if "OR" in fields:
        out["off_reason"] = int(fields["OR"], 16)
    if "cs" in out:
        out["cs_name"] = CS_NAMES.get(int(out["cs"]), "unknown")
    return out


def get_status(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


CS_OF_STATE = {"bulk": 3, "absorption": 4, "float": 5, "full": 5, "equalise": 7,
               "inhibited": 0}


def check_block(d, statuses):
    """Problems of decoded block `d` against the statuses read around its arrival: each value
    must lie within the range those statuses span, widened by a tolerance (the block is a
    snapshot at a whole device second, the API's at the twin's publication instants)."""
    problems = []
    checks = [
        ("v_bat_v", lambda s: s["battery"]["v_v"], 0.05),
        ("i_bat_a", lambda s: s["battery"]["i_a"], 0.5),
        ("v_pv_v", lambda s: s["pv"]["v_v"], 0.5),
        ("p_pv_w", lambda s: s["pv"]["p_w"], 10.0),
        ("yield_total_wh", lambda s: s["energy"]["pv_total_wh"], 5.0),
        ("yield_today_wh", lambda s: s["energy"]["pv_today_wh"], 5.0),
    ]
    for name, get, tol in checks:
        values = [get(s) for s in statuses]
        if name not in d:
            problems.append(name + " missing")
        elif not min(values) - tol <= d[name] <= max(values) + tol:
            problems.append("%s %.3f outside [%.3f, %.3f] +- %g" %
                            (name, d[name], min(values), max(values), tol))
    # The documented mapping (docs/vedirect.md).
    expect = set()
    for s in statuses:
        c = s["controller"]
        if c["trips"]:
            expect.add(2)
        if c["converter_on"]:
            expect.add(CS_OF_STATE.get(c["charge_state"], -1))
        else:
            expect.update({0, 5, 245})
    if int(d.get("cs", -1)) not in expect:
        problems.append("CS %s not in %s" % (d.get("cs"), sorted(expect)))
    return problems


def main():
    dev, seconds = sys.argv[1], float(sys.argv[2])
    url = sys.argv[3] if len(sys.argv) > 3 else None
    fd = os.open(dev, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    if os.isatty(fd):
        tty.setraw(fd)
        attrs = termios.tcgetattr(fd)
        attrs[4] = attrs[5] = termios.B19200
        termios.tcsetattr(fd, termios.TCSANOW, attrs)
    buf = b""
    result = {"blocks": 0, "bad_checksums": 0, "partial_first": False, "decoded": [],
              "problems": []}
    arrivals = []  # (wall time, decoded block)
    statuses = []  # (wall time, status)
    first = True
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if url:
            statuses.append((time.monotonic(), get_status(url)))
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except BlockingIOError:
            continue
        now = time.monotonic()
        buf += chunk
        blocks, buf = split_blocks(buf)
        for b in blocks:
            if first:
                first = False
                # A stream joined mid-block: its first "block" is the tail of one.
                if not b.startswith(b"\r\nPID\t"):
                    result["partial_first"] = True
                    continue
            result["blocks"] += 1
            if sum(b) % 256 != 0:
                result["bad_checksums"] += 1
                continue
            d = decode(b)
            result["decoded"].append(d)
            arrivals.append((now, d))
    if url:
        # Blocks that arrived in the last second lack statuses after them: not compared.
        for at, d in arrivals:
            around = [s for t, s in statuses if at - 2.0 <= t <= at + 1.0]
            if at + 1.0 > end or len(around) < 3:
                continue
            result["compared"] = result.get("compared", 0) + 1
            result["problems"] += check_block(d, around)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
