#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_settings_record (tests/fuzz/corpus/settings_record/).

An independent encoder of the store's layout (docs/settings-store.md), CRC-32 from zlib.
Input format of the target: byte 0 = log2(write granularity), then two 256-byte banks.
Run from the repository root: python3 tests/fuzz/make_settings_corpus.py
"""
import os
import struct
import zlib

BANK = 256
OUT = "tests/fuzz/corpus/settings_record"


def align(n, g):
    return (n + g - 1) // g * g


def bank_header(seq):
    body = struct.pack("<IIHH", 0x4B425350, seq, 1, 0xFFFF)
    return body + struct.pack("<I", zlib.crc32(body))


def record(key, version, payload, g):
    body = struct.pack("<HHHHI", 0x5352, key, version, len(payload), zlib.crc32(payload))
    rec = body + struct.pack("<I", zlib.crc32(body)) + payload
    return rec + b"\xff" * (align(len(rec), g) - len(rec))


def bank(seq, records, g):
    data = bank_header(seq) + b"\xff" * (align(16, g) - 16) if seq is not None else b"\xff" * align(16, g)
    for r in records:
        data += r
    assert len(data) <= BANK, len(data)
    return data + b"\xff" * (BANK - len(data))


def charger_v2(chem=1, cells=8, absorb=3.55, flt=0.0, eq=0.0, rech=3.35, ichg=20.0, itail=1.0,
               tabs=7200, ipv=20.0, pin=800.0, tmin=0.0, tmax=45.0, comp=0.0):
    return struct.pack("<BBHffffffIfffff", chem, cells, 0, absorb, flt, eq, rech, ichg, itail,
                       tabs, ipv, pin, tmin, tmax, comp)


def charger_v1(chem=1, cells=4, absorb_mv=14400, float_mv=0, rech_mv=13400, ichg_ma=15000,
               ipv_ma=20000, pin_w=400, tabs_min=90):
    return struct.pack("<BBHHHHHHH", chem, cells, absorb_mv, float_mv, rech_mv, ichg_ma, ipv_ma,
                       pin_w, tabs_min)


def write(name, g, image):
    shift = {1: 0, 2: 1, 4: 2, 8: 3}[g]
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([shift]) + image)


def main():
    os.makedirs(OUT, exist_ok=True)
    v2 = charger_v2()
    lead = charger_v2(chem=3, cells=6, absorb=2.4, flt=2.25, rech=2.1, tmin=-20.0, tmax=50.0,
                      comp=-4.0)
    write("blank", 4, b"\xff" * (2 * BANK))
    write("one_bank_v2", 4, bank(1, [record(1, 2, v2, 4)], 4) + b"\xff" * BANK)
    write("v1_to_migrate", 4, bank(1, [record(1, 1, charger_v1(), 4)], 4) + b"\xff" * BANK)
    write("two_banks_newer_second", 8,
          bank(4, [record(1, 2, v2, 8), record(0, 1, b"FUGU-2", 8)], 8) +
          bank(5, [record(1, 2, lead, 8), record(0, 1, b"FUGU-2", 8)], 8))
    torn = record(1, 2, lead, 2)
    write("torn_second_record", 2, bank(1, [record(1, 2, v2, 2), torn[:40]], 2) + b"\xff" * BANK)
    rotten = bytearray(record(1, 2, lead, 1))
    rotten[20] ^= 0x10
    write("rotted_newest", 1,
          bank(2, [record(1, 2, v2, 1), bytes(rotten), record(3, 9, b"x" * 30, 1)], 1) +
          bank(1, [record(1, 2, v2, 1)], 1))
    full = [record(2, 1, bytes([i]) * 20, 4) for i in range(6)]
    write("full_bank", 4, bank(1, full, 4) + b"\xff" * BANK)
    write("newer_schema", 4, bank(1, [record(1, 3, b"\0" * 60, 4)], 4) + b"\xff" * BANK)
    bad_values = charger_v2(absorb=4.5)
    write("invalid_values", 4, bank(1, [record(1, 2, bad_values, 4)], 4) + b"\xff" * BANK)
    write("garbage", 4, bytes((i * 131 + 7) & 0xFF for i in range(2 * BANK)))
    half_erased = bank(3, [record(1, 2, v2, 4)], 4)
    write("interrupted_erase", 4,
          bank(2, [record(1, 2, lead, 4)], 4) + b"\xff" * 100 + half_erased[100:])


if __name__ == "__main__":
    main()
