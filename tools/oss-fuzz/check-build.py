#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The CI check of tools/oss-fuzz/build.sh: builds into a temporary $OUT
with the local clang and libFuzzer (LIB_FUZZING_ENGINE=-fsanitize=fuzzer,
ASan), then checks that every predefined target has its fuzzer, seed
corpus zip, dictionary and options file, and that each fuzzer runs every
seed of its zip (libFuzzer's file mode) without a crash.
Usage: check-build.py [EMU_AFL]   (EMU_AFL lists the targets expected)"""
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results, targets  # noqa: E402

CFLAGS = ("-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address "
          "-fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link")


def main():
    r = Results()
    with tempfile.TemporaryDirectory(prefix="oss-fuzz-") as tmp:
        out, work = os.path.join(tmp, "out"), os.path.join(tmp, "work")
        env = dict(os.environ, OUT=out, WORK=work, SRC=os.path.dirname(ROOT), CC="clang",
                   CFLAGS=CFLAGS, LIB_FUZZING_ENGINE="-fsanitize=fuzzer",
                   FUZZING_ENGINE="libfuzzer", SANITIZER="address")
        p = subprocess.run([os.path.join(ROOT, "tools", "oss-fuzz", "build.sh")], env=env,
                           capture_output=True, text=True, timeout=900)
        if not r.check(p.returncode == 0, f"build.sh status {p.returncode}: {p.stderr[-2000:]}"):
            return r.finish()
        expected = targets(sys.argv[1]) if len(sys.argv) > 1 else []
        built = sorted(f[len("emu-libfuzzer-"):] for f in os.listdir(out)
                       if f.startswith("emu-libfuzzer-") and "." not in f and
                       not f.endswith("_seed_corpus.zip"))
        r.check(built and set(expected) <= set(built),
                f"targets built {built}, expected {expected}")
        for t in built:
            fuzzer = os.path.join(out, "emu-libfuzzer-" + t)
            for ext in (".dict", ".options", "_seed_corpus.zip"):
                r.check(os.path.isfile(fuzzer + ext), f"{t}: no {os.path.basename(fuzzer)}{ext}")
            if not os.path.isfile(fuzzer + "_seed_corpus.zip"):
                continue
            seeds = os.path.join(tmp, "seeds-" + t)
            with zipfile.ZipFile(fuzzer + "_seed_corpus.zip") as z:
                z.extractall(seeds)
            files = sorted(os.path.join(seeds, f) for f in os.listdir(seeds))
            q = subprocess.run([fuzzer] + files, capture_output=True, text=True, timeout=300,
                               cwd=tmp, env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
            ran = q.stderr.count("Executed ")
            if r.check(q.returncode == 0 and ran == len(files),
                       f"{t}: status {q.returncode}, {ran} of {len(files)} seeds ran: "
                       f"{q.stderr[-1500:]}"):
                print(f"{t}: {ran} seeds run by {os.path.basename(fuzzer)}", flush=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
