#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/fuzz --jobs 3 for a few seconds: the main, CmpLog and ASan
instances all run and find paths in one sync folder, the summary has a
line per instance and a total, and the plot is written.
Usage: fuzz-jobs.py SECONDS [TARGET] (default: generic-fuzz-serial, the
cheapest machine)"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402
from crashlib import read_stats  # noqa: E402


def main():
    seconds = sys.argv[1]
    target = sys.argv[2] if len(sys.argv) > 2 else "generic-fuzz-serial"
    r = Results()
    with tempfile.TemporaryDirectory(prefix="emu-jobs-") as tmp:
        out = os.path.join(tmp, "out")
        p = subprocess.run([os.path.join(ROOT, "tools", "fuzz"), target, "--jobs", "3",
                            "--seconds", seconds, "--out", out],
                           capture_output=True, text=True, timeout=1200)
        print(p.stdout[-3000:] + p.stderr[-2000:])
        r.check(p.returncode == 0, f"tools/fuzz status {p.returncode}")
        for name in ("main", "cmplog", "asan"):
            path = os.path.join(out, name, "fuzzer_stats")
            if not r.check(os.path.isfile(path), f"{name}: no fuzzer_stats"):
                continue
            s = read_stats(path)
            r.check(int(s.get("execs_done", 0)) > 0, f"{name}: no execs")
            r.check(int(s.get("saved_crashes", 1)) == 0, f"{name}: crashes saved")
            r.check(re.search(rf"^{name}\s+\d+", p.stdout, re.M), f"{name}: not in the summary")
        r.check(re.search(r"^total\s+\d+", p.stdout, re.M), "no total line")
        r.check(os.path.isfile(os.path.join(out, "plot.svg")), "no plot.svg")
        # The instances share their finds: the secondaries import from main.
        synced = [n for n in ("cmplog", "asan")
                  if any("sync:" in f for f in os.listdir(os.path.join(out, n, "queue")))]
        r.check(synced, "no secondary imported a test case from another instance")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
