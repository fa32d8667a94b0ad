#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/minimize --token as QEMU's CRASH_TOKEN, on the planted bug of the
test-only crashtest device (build-crashtest-asan, configured through
tools/bootstrap --crashtest when missing): a hand-written trace that
reaches the plant, minimized with the plant's FILE:LINE, with the
function that crashes and with a caller's name (found in the symbolized
report), each result still crashing the ASan emu-system at the plant;
and tokens that are not in the report (the line before the plant, a
prefix of the plant's line number, a function never called) refused.
Also the trace as QEMU's document gathers it (QTEST_LOG=1 ... &> FILE): a
note the program printed before the header and a stray line inside are
dropped, and the result starts with the header."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
import crashlib as cl  # noqa: E402
from common import Results  # noqa: E402

TARGET = "generic-fuzz-crashtest"
SOURCE = "hw/misc/crashtest.c"
# Unlock, slot 16 (one past the 16-byte table), COMMIT; noise around it.
TRACE = """\
# emu-system -M pc -nodefaults -device crashtest -qtest stdio
# target generic-fuzz-crashtest, objects 'crashtest'
outb 0x2e2 0x11
inb 0x2e0
outb 0x2e0 0xc0
outb 0x2e1 0x7
outb 0x2e1 0x10
inb 0x2e3
outb 0x2e2 0x22
outb 0x2e3 0x5a
"""


def plant_line():
    with open(os.path.join(ROOT, SOURCE)) as f:
        for n, line in enumerate(f, 1):
            if "*slot = s->data;" in line:
                return n
    raise SystemExit(f"{SOURCE}: the plant's store is not where this test looks")


def minimize(trace, out, token):
    p = subprocess.run([os.path.join(ROOT, "tools", "minimize"), trace, "-o", out,
                        "--token", token], capture_output=True, text=True, timeout=600)
    print(f"$ tools/minimize --token {token}\n{p.stdout}{p.stderr[-1500:]}", flush=True)
    return p


def main():
    r = Results()
    builds = cl.build_dirs(TARGET)
    cl.ensure_built(builds, {"asan": ["emu-minimize", "emu-system"]})
    line = plant_line()
    with tempfile.TemporaryDirectory(prefix="emu-token-") as tmp:
        trace = os.path.join(tmp, "trace.qtest")
        with open(trace, "w") as f:
            f.write(TRACE)
        for token in (f"{SOURCE}:{line}", "crashtest_commit", "crashtest_io_write"):
            out = os.path.join(tmp, "min.qtest")
            if os.path.exists(out):
                os.unlink(out)
            p = minimize(trace, out, token)
            r.check(p.returncode == 0 and f"(token '{token}')" in p.stdout,
                    f"--token {token}: status {p.returncode}, the crash not taken")
            r.check(f"crashes: heap-buffer-overflow in crashtest_commit {SOURCE}:{line}"
                    in p.stdout, f"--token {token}: the result does not crash at the plant")
            n = len(cl.trace_commands(out)) if os.path.isfile(out) else 99
            r.check(n <= 3, f"--token {token}: {n} commands left, want at most 3")
        noisy = os.path.join(tmp, "noisy.qtest")
        lines = TRACE.splitlines(keepends=True)
        with open(noisy, "w") as f:
            f.write("-netdev user: no host network here, behaves as null\n" +
                    "".join(lines[:4]) + "emu bug at somewhere: a stray line\n" +
                    "".join(lines[4:]))
        out = os.path.join(tmp, "noisy.min.qtest")
        p = subprocess.run([os.path.join(ROOT, "tools", "minimize"), noisy, "-o", out],
                           capture_output=True, text=True, timeout=600)
        print(f"$ tools/minimize (notes before the header)\n{p.stdout}{p.stderr[-1500:]}")
        head = open(out).readline() if os.path.isfile(out) else ""
        r.check(p.returncode == 0 and head.startswith("# emu-system ")
                and len(cl.trace_commands(out)) <= 3,
                f"a trace with notes before its header: status {p.returncode}, {head!r}")
        for token in (f"{SOURCE}:{line - 1}", f"{SOURCE}:{line // 10}", "no_such_function"):
            p = minimize(trace, os.path.join(tmp, "none.qtest"), token)
            r.check(p.returncode == 1 and "does not crash with the token" in p.stdout + p.stderr,
                    f"--token {token}: not refused (status {p.returncode})")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
