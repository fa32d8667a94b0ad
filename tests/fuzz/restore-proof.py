#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs restore-proof for every target with seeds, two at a time.
Usage: restore-proof.py RESTORE_PROOF EMU_AFL COUNT
Ends with "N passed, N failed" (one per target)."""
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from common import Results, seeds, targets


def proof(binary, target, count):
    p = subprocess.run([binary, target, count, "1"] + seeds(target),
                       capture_output=True, text=True, timeout=600)
    return target, p


def main():
    binary, emu_afl, count = sys.argv[1:4]
    r = Results()
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(proof, binary, t, count) for t in targets(emu_afl)]
        for job in jobs:
            target, p = job.result()
            print(f"== {target}\n{p.stdout}{p.stderr[-3000:]}", end="", flush=True)
            r.check(p.returncode == 0, f"{target}: restore-proof status {p.returncode}")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
