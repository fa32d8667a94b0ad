#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/coverage on a target's seeds: the report is written and the
per-file summary covers the target's device file.
Usage: coverage.py [TARGET DEVICE_FILE] (default: generic-fuzz-serial
hw/char/serial.c, a small device whose seeds reach most of its file)"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402


def main():
    target, device = (sys.argv[1:3] if len(sys.argv) > 2 else
                      ("generic-fuzz-serial", "hw/char/serial.c"))
    r = Results()
    with tempfile.TemporaryDirectory(prefix="emu-cov-") as out:
        p = subprocess.run([os.path.join(ROOT, "tools", "coverage"), target, "--out", out],
                           capture_output=True, text=True, timeout=900)
        print(p.stdout + p.stderr[-2000:])
        r.check(p.returncode == 0, f"tools/coverage status {p.returncode}")
        r.check(os.path.isfile(os.path.join(out, "index.html")), "no index.html")
        m = re.search(rf"^  {re.escape(device)}\s+(\d+)/(\d+)", p.stdout, re.M)
        r.check(m and int(m.group(1)) > 0, f"no covered lines for {device}")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
