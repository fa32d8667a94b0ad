#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every seed of every target, traced by emu-afl and replayed on emu-system:
emu-system must give exactly the replies the fuzzer saw (values read, clock).
Usage: trace-replay.py EMU_AFL EMU_SYSTEM"""
import os
import subprocess
import sys
import tempfile

from common import Results, machine_args, seeds, targets


def main():
    emu_afl, emu_system = sys.argv[1], sys.argv[2]
    r = Results()
    with tempfile.TemporaryDirectory() as tmp:
        trace, replies = os.path.join(tmp, "trace"), os.path.join(tmp, "replies")
        for target in targets(emu_afl):
            args = machine_args(emu_afl, target)
            for seed in seeds(target):
                name = f"{target}/{os.path.basename(seed)}"
                p = subprocess.run([emu_afl, "--fuzz-target=" + target, "--trace", trace,
                                    "--trace-replies", replies, seed],
                                   capture_output=True, text=True, timeout=60)
                if not r.check(p.returncode == 0, f"{name}: emu-afl status {p.returncode}"):
                    continue
                with open(trace) as f:
                    q = subprocess.run([emu_system] + args + ["-qtest", "stdio"], stdin=f,
                                       capture_output=True, text=True, timeout=60)
                want = open(replies).read()
                ok = q.returncode == 0 and q.stdout == want
                if not ok:
                    got, exp = q.stdout.splitlines(), want.splitlines()
                    lines = open(trace).read().splitlines()
                    cmds = [l for l in lines if l.strip() and not l.startswith("#")]
                    first = next((i for i in range(min(len(got), len(exp)))
                                  if got[i] != exp[i]), min(len(got), len(exp)))
                    detail = (f"line {first}: {cmds[first] if first < len(cmds) else '?'}: "
                              f"fuzzer {exp[first] if first < len(exp) else '<none>'}, "
                              f"emu-system {got[first] if first < len(got) else '<none>'}")
                    r.check(False, f"{name}: replay differs at {detail}")
                else:
                    r.check(True, name)
                    print(f"{name}: {len(want.splitlines())} replies match", flush=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
