#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""afl-showmap over every target's seeds: each seed runs without a crash,
finds edges, and gives the same map twice. Usage: showmap-seeds.py EMU_AFL"""
import os
import subprocess
import sys
import tempfile

from common import AFL_ENV, Results, seeds, targets


def showmap(emu_afl, target, seed, out):
    p = subprocess.run(["afl-showmap", "-q", "-e", "-t", "5000", "-o", out, "--",
                        emu_afl, "--fuzz-target=" + target, seed],
                       env=AFL_ENV, capture_output=True, text=True, timeout=60)
    with open(out) as f:
        return p.returncode, f.read()


def main():
    emu_afl = sys.argv[1]
    r = Results()
    with tempfile.TemporaryDirectory() as tmp:
        for target in targets(emu_afl):
            for seed in seeds(target):
                name = f"{target}/{os.path.basename(seed)}"
                rc1, map1 = showmap(emu_afl, target, seed, os.path.join(tmp, "a"))
                rc2, map2 = showmap(emu_afl, target, seed, os.path.join(tmp, "b"))
                edges = len(map1.splitlines())
                r.check(rc1 == 0 and rc2 == 0, f"{name}: afl-showmap status {rc1}/{rc2}")
                r.check(edges > 0, f"{name}: no edges")
                r.check(map1 == map2, f"{name}: two runs, two maps")
                print(f"{name}: {edges} edges", flush=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
