#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Feeds thousands of random, truncated and mangled qtest lines to emu-system.

Every line but blank ones and '#' comments must get exactly one reply line, starting with OK, ERR or
FAIL, and emu-system must exit 0 at end of input (no crash, no hang). The
machine has every default device, so valid commands reach real devices.
Seeded: the same lines every run; EMU_BADINPUT_SEED changes the seed.
"""
import os
import random
import subprocess
import sys

COMMANDS = ["outb", "outw", "outl", "inb", "inw", "inl", "readb", "readw",
            "readl", "readq", "writeb", "writew", "writel", "writeq", "read",
            "write", "b64read", "b64write", "memset", "clock_step",
            "clock_set", "endianness", "bogus", "", "OUTB", "in"]
PORTS = [0x20, 0x21, 0x40, 0x43, 0x60, 0x61, 0x64, 0x70, 0x71, 0x92, 0xa0,
         0xa1, 0x378, 0x37a, 0x3f8, 0x3fb, 0x3fd, 0x4d0, 0x510, 0x511, 0x514,
         0xcf8, 0xcfc, 0xcfe, 0xffff, 0x10000]


def number(rng):
    choice = rng.randrange(8)
    if choice == 0:
        return str(rng.randrange(1 << 16))
    if choice == 1:
        return hex(rng.choice(PORTS))
    if choice == 2:
        return hex(rng.randrange(1 << 64))
    if choice == 3:
        return "-" + str(rng.randrange(100))
    if choice == 4:
        return "0x" + "f" * rng.randrange(1, 40)
    if choice == 5:
        return rng.choice(["zz", "0x", "", "0xg1", "1e5", "0b101", "999999999999999999999999"])
    if choice == 6:
        return hex(rng.randrange(0x100000))
    return str(rng.randrange(1 << 32))


def line(rng):
    kind = rng.randrange(10)
    if kind == 0:   # raw random bytes (no newline, no NUL)
        return "".join(chr(rng.randrange(1, 256)) for _ in range(rng.randrange(1, 80)))
    words = [rng.choice(COMMANDS)] + [number(rng) for _ in range(rng.randrange(0, 5))]
    if rng.random() < 0.05 and words[0] in ("read", "write", "memset", "b64read"):
        words = [words[0], hex(rng.randrange(0x8000000)), str(rng.randrange(1 << 20)), "0x00"]
    text = " ".join(words)
    if kind == 1 and text:
        text = text[:rng.randrange(len(text))]       # truncated
    if kind == 2:
        text = text.replace(" ", rng.choice(["  ", "\t", " \t "]))
    return text


def main():
    emu = sys.argv[1]
    seed = int(os.environ.get("EMU_BADINPUT_SEED", "1234"))
    rng = random.Random(seed)
    lines = [line(rng) for _ in range(5000)]
    lines = [l.replace("\n", " ").replace("\r", " ") for l in lines]
    lines = [l for l in lines if not l.strip().startswith("info")]
    data = "".join(l + "\n" for l in lines).encode("latin-1")
    p = subprocess.run([emu, "-M", "pc", "-qtest", "stdio"], input=data,
                       capture_output=True, timeout=300)
    replies = p.stdout.decode("latin-1").split("\n")[:-1]
    # Blank lines and '#' comments get no reply; every other line gets one.
    expected = sum(1 for l in lines if l.strip(" \t") and not l.strip(" \t").startswith("#"))
    bad = [r for r in replies if not r.startswith(("OK", "ERR", "FAIL"))]
    failed = 0
    if p.returncode != 0:
        print(f"FAIL: emu-system exited with {p.returncode}: {p.stderr[-500:]!r}")
        failed += 1
    if len(replies) != expected:
        print(f"FAIL: {expected} non-blank lines, {len(replies)} replies")
        failed += 1
    if bad:
        print(f"FAIL: {len(bad)} malformed replies, first: {bad[0][:100]!r}")
        failed += 1
    print(f"seed {seed}: {len(lines)} lines, {len(replies)} replies")
    print(f"{3 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
