#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""From a libFuzzer crash to a trace, on the planted bug of the test-only
crashtest device (as crashtest-e2e.py does with afl-fuzz; builds the
build-crashtest* folders through tools/bootstrap --crashtest):

1. libFuzzer (build-crashtest-libfuzzer/emu-libfuzzer, no sanitizer) from
   the seeds that never commit, with the dictionary, finds the crash and
   writes one crash-<sha1> under -artifact_prefix (a few seconds; at most
   SECONDS);
2. the ASan libFuzzer build (build-crashtest-asan/emu-libfuzzer) with
   -runs=0 on a corpus holding that file prints the matched regions,
   reports the heap-buffer-overflow and writes the same crash-<sha1>
   (libFuzzer writes no artifact for a FILE argument, only for a corpus);
3. tools/triage on the artifact folder, without --target: refused with a
   word on --target; with it: one bug at the plant, reproducing;
4. tools/reproduce on the crash-<sha1> with --target: the trace crashes
   build-crashtest-asan/emu-system at the plant; without: refused;
5. tools/minimize on it with --target: the smaller input still crashes
   the ASan runner at the plant.
Usage: libfuzzer-crashtest.py [SECONDS of fuzzing at most, default 60]"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
import crashlib as cl  # noqa: E402
from common import Results  # noqa: E402
from crashtest_inputs import TARGET, write_seeds  # noqa: E402

PLANT = "crashtest_commit hw/misc/crashtest.c"


def tool(name, *args):
    p = subprocess.run([os.path.join(ROOT, "tools", name)] + list(args), capture_output=True,
                       text=True, timeout=600)
    print(f"$ tools/{name} {' '.join(args)}\n{p.stdout}{p.stderr[-2000:]}", flush=True)
    return p


def artifacts(folder):
    return [f for f in os.listdir(folder) if re.fullmatch(r"crash-[0-9a-f]{40}", f)]


def libfuzzer(binary, args, seconds):
    p = subprocess.run([binary, "--fuzz-target=" + TARGET] + args, capture_output=True,
                       text=True, timeout=seconds + 120)
    print(f"$ {cl.rel(binary)} ... {' '.join(args)}: status {p.returncode}\n"
          f"{p.stderr[-1200:]}", flush=True)
    return p


def find_crash(r, builds, tmp, seconds):
    """Step 1: the crash-<sha1> libFuzzer writes, or None."""
    seeds, dict_path = write_seeds(tmp)
    corpus, art = os.path.join(tmp, "corpus"), os.path.join(tmp, "art")
    os.makedirs(corpus)
    os.makedirs(art)
    p = libfuzzer(os.path.join(builds["libfuzzer"], "emu-libfuzzer"),
                  [f"-max_total_time={seconds}", "-seed=1", "-dict=" + dict_path,
                   "-artifact_prefix=" + art + "/", corpus, seeds], seconds)
    found = artifacts(art)
    r.check(p.returncode != 0 and "planted bug" in p.stderr,
            f"libFuzzer: no crash at the plant in {seconds} s (status {p.returncode})")
    if not r.check(len(found) == 1, f"libFuzzer: {len(found)} crash-* files, not 1"):
        return None
    print(f"libFuzzer: {found[0]}", flush=True)
    return os.path.join(art, found[0])


def asan_libfuzzer(r, builds, tmp, crash):
    """Step 2: the ASan libFuzzer build on a corpus of the crash file."""
    art, corpus = os.path.join(tmp, "art-asan"), os.path.join(tmp, "corpus-asan")
    os.makedirs(art)
    os.makedirs(corpus)
    shutil.copy(crash, corpus)
    p = libfuzzer(os.path.join(builds["asan"], "emu-libfuzzer"),
                  ["-runs=0", "-artifact_prefix=" + art + "/", corpus], 60)
    r.check(re.search(r"^matched regions \(1\):\n  \* crashtest ", p.stdout, re.M),
            f"-runs=0: the matched regions are not printed: {p.stdout[-600:]}")
    r.check(p.returncode != 0 and "heap-buffer-overflow" in p.stderr
            and "crashtest_commit" in p.stderr,
            "the ASan emu-libfuzzer does not report the overflow at the plant")
    r.check(artifacts(art) == [os.path.basename(crash)],
            f"the ASan emu-libfuzzer wrote {artifacts(art)}, not {os.path.basename(crash)}")


def triage(r, art):
    """Step 3."""
    t = tool("triage", art)
    r.check(t.returncode == 2 and "--target" in t.stderr,
            f"triage without --target: status {t.returncode}, no word on --target")
    t = tool("triage", art, "--target", TARGET, "--quiet")
    bugs = re.findall(r"^  bug \d+: (\d+) input\(s\): (.*); reproduces outside libFuzzer: "
                      r"(\S+)", t.stdout, re.M)
    r.check(t.returncode == 0 and len(bugs) == 1, f"triage: {len(bugs)} bugs, not 1")
    r.check(bugs and bugs[0][0] == "1" and PLANT in bugs[0][1] and bugs[0][2] == "yes",
            f"triage: wrong count or site, or not reproduced: {bugs}")
    r.check(re.search(r"^\s+next: tools/reproduce \S+crash-[0-9a-f]{40} --target " + TARGET,
                      t.stdout, re.M), "triage: no tools/reproduce line with --target")


def reproduce(r, tmp, crash):
    """Step 4."""
    p = tool("reproduce", crash)
    r.check(p.returncode == 2 and "--target" in p.stderr,
            f"reproduce without --target: status {p.returncode}, no word on --target")
    out = os.path.join(tmp, "repro")
    p = tool("reproduce", crash, "--target", TARGET, "--out", out)
    r.check(p.returncode == 0, f"reproduce: status {p.returncode}")
    r.check(re.search(r"asan/emu-system: REPRODUCES: heap-buffer-overflow in crashtest_commit",
                      p.stdout), "reproduce: not confirmed on the ASan emu-system")
    r.check(os.path.isfile(os.path.join(out, "trace.qtest")), "reproduce: no trace")


def minimize(r, builds, tmp, crash):
    """Step 5."""
    small = os.path.join(tmp, "crash.min")
    m = tool("minimize", crash, "--target", TARGET, "-o", small, "--max-seconds", "30")
    if not r.check(m.returncode == 0 and os.path.isfile(small),
                   f"minimize: status {m.returncode}, no output"):
        return
    r.check(os.path.getsize(small) <= os.path.getsize(crash),
            "minimize: the output is larger than the input")
    run = cl.run([os.path.join(builds["asan"], "emu-afl"), "--fuzz-target=" + TARGET, small])
    r.check(run.crash and run.crash.site and PLANT in run.crash.site,
            "the minimized input does not crash the ASan runner at the plant")


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    r = Results()
    builds = cl.build_dirs(TARGET)
    cl.ensure_built(builds, {"plain": ["emu-afl", "emu-system"],
                             "asan": ["emu-afl", "emu-system", "emu-minimize", "emu-libfuzzer"],
                             "libfuzzer": ["emu-libfuzzer"]})
    with tempfile.TemporaryDirectory(prefix="emu-e2e-libfuzzer-") as tmp:
        crash = find_crash(r, builds, tmp, seconds)
        if not crash:
            return r.finish()
        asan_libfuzzer(r, builds, tmp, crash)
        triage(r, os.path.dirname(crash))
        reproduce(r, tmp, crash)
        minimize(r, builds, tmp, crash)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
