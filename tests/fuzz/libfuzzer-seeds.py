#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""emu-libfuzzer runs every target's seeds (libFuzzer runs the files given
and exits). Usage: libfuzzer-seeds.py EMU_LIBFUZZER EMU_AFL"""
import subprocess
import sys

from common import Results, seeds, targets


def main():
    libfuzzer, emu_afl = sys.argv[1], sys.argv[2]
    r = Results()
    for target in targets(emu_afl):
        files = seeds(target)    # never empty: libFuzzer would start fuzzing
        p = subprocess.run([libfuzzer, "--fuzz-target=" + target] + files,
                           capture_output=True, text=True, timeout=300)
        ran = p.stderr.count("Executed ")
        r.check(p.returncode == 0 and ran == len(files),
                f"{target}: status {p.returncode}, {ran} of {len(files)} seeds run: "
                f"{p.stderr[-600:]}")
        print(f"{target}: {ran} seeds run", flush=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
