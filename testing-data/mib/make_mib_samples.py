#!/usr/bin/env python3
"""Makes the small MIB files of testing-data/mib (see README.md).

Pure standard library, written independently of the C++ reader: it encodes
known pixel values the way Merlin stores them (per-frame ASCII header, then
big-endian counts; raw "R64" frames as big-endian 64-bit words holding 64/bits
pixels, the first pixel in the least significant bits; raw 2x2 frames as rows
[chip 4 | chip 3 | chip 2 | chip 1] with chips 3 and 4 turned by 180 degrees).

Run:  python3 testing-data/mib/make_mib_samples.py   (rewrites the files)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

DACS = ("3RX,011,511,000,000,000,000,000,000,175,010,200,125,100,100,093,100,"
        "099,030,128,004,255,140,128,191,179,511,511")
THRESHOLDS = ",".join(["2.000000E+0", "5.110000E+2"] + ["0.000000E+0"] * 6)


def header(seq, header_bytes, chips, width, height, pixel_type, layout, depth):
    text = ("MQ1,%06d,%05d,%02d,%04d,%04d,%s,%6s,%s,2021-04-15 14:44:43.100924,"
            "0.001000,0,0,0,%s,%s,MQ1A,2021-04-15T13:44:43.100924481Z,"
            "1000000ns,%d,") % (seq, header_bytes, chips, width, height,
                                pixel_type, layout, "0F" if chips == 4 else "01",
                                THRESHOLDS, ",".join([DACS] * chips), depth)
    data = text.encode("ascii")
    assert len(data) <= header_bytes
    return data + b"\0" * (header_bytes - len(data))


def raw_words(pixels, bits):
    """64/bits pixels per big-endian 64-bit word, first pixel lowest."""
    per_word = 64 // bits
    out = bytearray()
    for w in range(len(pixels) // per_word):
        word = 0
        for i in range(per_word):
            word |= pixels[w * per_word + i] << (i * bits)
        out += struct.pack(">Q", word)
    return bytes(out)


def hdr(frames, per_trigger, depth, layout):
    lines = ["HDR,\t",
             "Time and Date Stamp (day, mnth, yr, hr, min, s):\t15/04/2021 15:02:29",
             "Chip Type (Medipix 3.0, Medipix 3.1, Medipix 3RX):\tMedipix 3RX",
             "Assembly Size (NX1, 2X2):\t   %s" % layout,
             "Counter Depth (number):\t%d" % depth,
             "Frames in Acquisition (Number):\t%d" % frames,
             "Frames per Trigger (Number):\t%d" % per_trigger,
             "Software Version:\t0.77"]
    text = "\r\n".join(lines) + "\r\nEnd\t"
    return (text + " " * (2048 - len(text))).encode("ascii")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def single_u16():
    # 4 x 2 scan (from the .hdr: 4 frames per trigger, 8 frames) of 64 x 32
    # U16 frames; frame f, pixel (kx, ky) = (1009 f + 17 kx + 131 ky) mod 65536.
    out = bytearray()
    for f in range(8):
        out += header(f + 1, 384, 1, 64, 32, "U16", "1x1", 12)
        for ky in range(32):
            for kx in range(64):
                out += struct.pack(">H", (1009 * f + 17 * kx + 131 * ky) % 65536)
    write("single_u16_64x32_scan4x2.mib", bytes(out))
    write("single_u16_64x32_scan4x2.hdr", hdr(8, 4, 12, "1x1"))


def quad_raw1():
    # 2 frames, raw 1-bit, 2x2 layout of four 256 x 256 chips (detector
    # 512 x 512); frame f, pixel (kx, ky) = 1 if (3 kx + 5 ky + f) % 7 == 0.
    out = bytearray()
    for f in range(2):
        def v(kx, ky):
            return 1 if (3 * kx + 5 * ky + f) % 7 == 0 else 0
        out += header(f + 1, 768, 4, 1024, 256, "R64", "2x2", 1)
        for r in range(256):
            chip1 = [v(x, r) for x in range(256)]
            chip2 = [v(256 + x, r) for x in range(256)]
            chip3 = [v(x, 511 - r) for x in range(256)][::-1]
            chip4 = [v(256 + x, 511 - r) for x in range(256)][::-1]
            for chip in (chip4, chip3, chip2, chip1):
                out += raw_words(chip, 1)
    write("quad_raw1_2x2.mib", bytes(out))
    write("quad_raw1_2x2.hdr", hdr(2, 2, 1, "2x2"))


def single_raw12():
    # 2 frames, raw 12-bit, one chip of 64 x 32 pixels (a region of
    # interest); frame f, pixel (kx, ky) = (37 kx + 101 ky + 1000 f) mod 4096.
    out = bytearray()
    for f in range(2):
        out += header(f + 1, 384, 1, 64, 32, "R64", "1x1", 12)
        pixels = [(37 * kx + 101 * ky + 1000 * f) % 4096
                  for ky in range(32) for kx in range(64)]
        out += raw_words(pixels, 16)
    write("single_raw12_64x32.mib", bytes(out))


if __name__ == "__main__":
    single_u16()
    quad_raw1()
    single_raw12()
