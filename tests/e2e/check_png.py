#!/usr/bin/env python3
"""Counts the pixels of one colour in a PNG screenshot (standard library only).

    check_png.py SCREENSHOT.png --colour 1565c0 --tolerance T --min-pixels N [--min-ink K]
    check_png.py --self-test

Decodes 8-bit RGB or RGBA, non-interlaced PNGs (what Chromium writes): the IDAT stream is
inflated with zlib and each row unfiltered (filter types 0-4). A pixel matches when each of
its channels is within T of the colour. Prints the counts; exits 1 when fewer than N pixels
match or fewer than K pixels are not white (a blank page), 2 when the file is not a PNG this
script reads. --self-test encodes a small image with every filter type, RGB and RGBA, and
checks that it decodes to the same pixels.
"""
import argparse
import struct
import sys
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fail(code, message):
    print(f"check_png: {message}", file=sys.stderr)
    sys.exit(code)


def read_png(path):
    with open(path, "rb") as f:
        return decode_png(f.read(), path)


def decode_png(data, path):
    if data[:8] != PNG_SIGNATURE:
        fail(2, f"{path}: not a PNG file")
    pos = 8
    header = None
    idat = []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            fail(2, f"{path}: truncated {kind!r} chunk")
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None or not idat:
        fail(2, f"{path}: no IHDR or IDAT chunk")
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        fail(2, f"{path}: only 8-bit RGB/RGBA non-interlaced PNGs are read "
                f"(depth {depth}, colour type {colour_type}, interlace {interlace})")
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        fail(2, f"{path}: image data has {len(raw)} bytes, expected {height * (stride + 1)}")
    rows = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        filter_type = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if filter_type == 0:
            pass
        elif filter_type == 1:  # Sub
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif filter_type == 2:  # Up
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif filter_type == 3:  # Average
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif filter_type == 4:  # Paeth
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + paeth(a, b, c)) & 0xFF
        else:
            fail(2, f"{path}: row {y} has unknown filter type {filter_type}")
        rows.append(line)
        previous = line
    return width, height, channels, rows


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def encode_png(width, height, channels, pixels):
    """PNG bytes of `pixels` (rows of bytes); row y uses filter type y % 5."""
    stride = width * channels
    raw = bytearray()
    previous = bytes(stride)
    for y, line in enumerate(pixels):
        kind = y % 5
        raw.append(kind)
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][kind]
            raw.append((line[i] - predictor) & 0xFF)
        previous = line

    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    colour_type = 2 if channels == 3 else 6
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    compressed = zlib.compress(bytes(raw))
    # Two IDAT chunks: the stream may be split anywhere.
    half = len(compressed) // 2
    return (PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", compressed[:half]) +
            chunk(b"IDAT", compressed[half:]) + chunk(b"IEND", b""))


def self_test():
    for channels in (3, 4):
        width, height = 7, 11
        pixels = [bytes((x * 37 + y * 91 + k * 53) % 256 for x in range(width)
                        for k in range(channels)) for y in range(height)]
        w, h, c, rows = decode_png(encode_png(width, height, channels, pixels), "self-test")
        if (w, h, c) != (width, height, channels) or [bytes(r) for r in rows] != pixels:
            fail(1, f"self-test: decoding a {channels}-channel image gave other pixels")
    print("check_png: self-test ok (filter types 0-4, RGB and RGBA)")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png")
    parser.add_argument("--colour", default="1565c0", help="RRGGBB")
    parser.add_argument("--tolerance", type=int, default=24)
    parser.add_argument("--min-pixels", type=int, required=True)
    parser.add_argument("--min-ink", type=int, default=0, help="minimum non-white pixels")
    args = parser.parse_args()

    target = bytes.fromhex(args.colour)
    width, height, channels, rows = read_png(args.png)
    matching = 0
    ink = 0
    colours = set()
    t = args.tolerance
    r0, g0, b0 = target
    for line in rows:
        for i in range(0, len(line), channels):
            r, g, b = line[i], line[i + 1], line[i + 2]
            if abs(r - r0) <= t and abs(g - g0) <= t and abs(b - b0) <= t:
                matching += 1
            if r < 245 or g < 245 or b < 245:
                ink += 1
            colours.add((r, g, b))
    print(f"check_png: {width}x{height}, {matching} pixels of #{args.colour} (tolerance {t}), "
          f"{ink} non-white pixels, {len(colours)} colours")
    ok = True
    if matching < args.min_pixels:
        print(f"check_png: FAIL: fewer than {args.min_pixels} pixels of #{args.colour}: the charts "
              "did not render", file=sys.stderr)
        ok = False
    if ink < args.min_ink or len(colours) < 2:
        print(f"check_png: FAIL: the page is blank ({ink} non-white pixels, at least "
              f"{args.min_ink} expected)", file=sys.stderr)
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
