#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every target with a targets/TARGET/reached list: tools/coverage
--reached on its seeds runs each data-path function the list names (a
seed set that stops reaching a device's read or write path fails here).
Usage: coverage-reached.py"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402


def main():
    r = Results()
    targets = sorted(t for t in os.listdir(os.path.join(ROOT, "targets"))
                     if os.path.isfile(os.path.join(ROOT, "targets", t, "reached")))
    r.check(targets, "no target has a reached list")
    for t in targets:
        with tempfile.TemporaryDirectory(prefix="emu-cov-") as out:
            p = subprocess.run([os.path.join(ROOT, "tools", "coverage"), t, "--reached",
                                "--out", out], capture_output=True, text=True, timeout=900)
            text = p.stdout[p.stdout.find("coverage: data paths"):]
            print(f"{t}:\n{text}{p.stderr[-1500:]}", flush=True)
            r.check(p.returncode == 0 and "data-path functions reached" in p.stdout,
                    f"{t}: tools/coverage --reached status {p.returncode}")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
