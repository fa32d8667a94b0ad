#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A short afl-fuzz run (-V SECONDS) per target with seeds (every one, or
the first N of the table): no crash, no hang, new paths found, stability
at least 99% (100% for restore). Restore runs with EMU_SNAPSHOT_VERIFY=1:
a change the snapshot's tracking missed aborts, so it shows as a crash.
Usage: afl-short.py EMU_AFL SECONDS RESET[@@] [N]
RESET is restore, fork or reboot; a trailing @@ gives the input as a file
argument instead of leaving it to shared memory."""
import os
import shutil
import subprocess
import sys
import tempfile

from common import AFL_ENV, ROOT, Results, dict_path, seeds_dir, targets

sys.path.insert(0, os.path.join(ROOT, "tools"))
from crashlib import read_stats  # noqa: E402


def main():
    emu_afl, seconds, reset = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names = targets(emu_afl)
    if len(sys.argv) > 4:
        names = names[:int(sys.argv[4])]
    file_arg = ["@@"] if reset.endswith("@@") else []
    reset = reset.removesuffix("@@")
    want_stability = 100.0 if reset == "restore" else 99.0
    r = Results()
    for target in names:
        tmp = tempfile.mkdtemp(prefix="afl-short-")
        try:
            cmd = ["afl-fuzz", "-V", str(seconds), "-i", seeds_dir(target),
                   "-o", tmp, "-x", dict_path(target),
                   "--", emu_afl, "--fuzz-target=" + target, "--reset=" + reset] + file_arg
            env = dict(AFL_ENV, EMU_SNAPSHOT_VERIFY="1") if reset == "restore" else AFL_ENV
            p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                               timeout=seconds + 120)
            if not r.check(p.returncode == 0, f"{target}: afl-fuzz status {p.returncode}: "
                           f"{p.stdout[-800:]}"):
                continue
            s = read_stats(os.path.join(tmp, "default", "fuzzer_stats"))
            stability = float(s.get("stability", "0%").rstrip("%"))
            print(f"{target} ({reset}): {s.get('execs_done')} execs, "
                  f"{s.get('execs_per_sec')}/s, {s.get('edges_found')} edges, "
                  f"{s.get('corpus_found')} new paths, stability {stability}%", flush=True)
            r.check(int(s.get("saved_crashes", 1)) == 0, f"{target}: crashes saved")
            r.check(int(s.get("saved_hangs", 1)) == 0, f"{target}: hangs saved")
            r.check(int(s.get("corpus_found", 0)) > 0, f"{target}: no new paths")
            r.check(stability >= want_stability,
                    f"{target}: stability {stability}% < {want_stability}%")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
