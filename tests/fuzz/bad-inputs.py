#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every target fed empty, one-byte, truncated, all-separator and 1 MiB
random inputs, on a sanitizer build: exit status 0 every time.
Usage: bad-inputs.py EMU_AFL (best: build-asan/emu-afl)"""
import os
import random
import subprocess
import sys
import tempfile

from common import Results, seeds, targets


def inputs(target, rng):
    yield "empty", b""
    yield "one byte", bytes([rng.randrange(256)])
    yield "separators", b"FUZZ" * 1000
    yield "short ops", b"FUZZ".join(bytes([op]) for op in range(10))
    for seed in seeds(target)[:3]:
        data = open(seed, "rb").read()
        for cut in (1, len(data) // 2, max(len(data) - 1, 0)):
            yield f"{os.path.basename(seed)} cut at {cut}", data[:cut]
    yield "1 MiB random", rng.randbytes(1 << 20)
    yield "1 MiB of ops", b"FUZZ".join(rng.randbytes(rng.randrange(1, 20))
                                       for _ in range(60000))[: 1 << 20]


def main():
    emu_afl = sys.argv[1]
    rng = random.Random(7)
    r = Results()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in")
        for target in targets(emu_afl):
            for name, data in inputs(target, rng):
                with open(path, "wb") as f:
                    f.write(data)
                p = subprocess.run([emu_afl, "--fuzz-target=" + target, path],
                                   capture_output=True, text=True, timeout=120)
                r.check(p.returncode == 0,
                        f"{target}: {name}: status {p.returncode}: {p.stderr[-600:]}")
            print(f"{target}: done", flush=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
