#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End to end, from a fuzzer's crash to a regression test, on the planted
bug of the test-only crashtest device (hw/misc/crashtest.c; builds with
-Dcrashtest=true only: build-crashtest, -afl, -asan, which this test
configures through tools/bootstrap --crashtest and builds):

1. a short afl-fuzz campaign (two instances, one sync folder) on
   generic-fuzz-crashtest, from seeds that use the device without the
   buggy sequence, finds the crash;
2. tools/triage lists it once, reproducing outside the fuzzer;
3. tools/reproduce turns the example into a trace that crashes
   build-crashtest-asan/emu-system;
4. tools/minimize shrinks the trace, and the result still crashes the
   ASan emu-system at the same place; so does tools/minimize --token with
   the plant's FILE:LINE (QEMU's CRASH_TOKEN; tests/tools/minimize-token.py
   checks the token forms on a hand-written trace);
5. tools/reproducer --bash gives the one-liner (and no QEMU line: QEMU has
   no crashtest); --c writes a regression test, which fails (crashes) when
   built against the planted device and passes against the same device
   built with the bug fixed (EMU_CRASHTEST_FIXED).
Usage: crashtest-e2e.py [SECONDS of fuzzing, default 15]"""
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
from common import AFL_ENV, Results  # noqa: E402
from crashtest_inputs import TARGET, write_seeds  # noqa: E402

TOOLS = os.path.join(ROOT, "tools")


def tool(name, *args):
    p = subprocess.run([os.path.join(TOOLS, name)] + list(args), capture_output=True,
                       text=True, timeout=600)
    print(f"$ tools/{name} {' '.join(args)}\n{p.stdout}{p.stderr[-2000:]}", flush=True)
    return p


def build(builds):
    cl.ensure_built(builds, {"plain": ["emu-afl", "emu-system", "hw/misc/libcrashtest-fixed.a"],
                             "afl": ["emu-afl"],
                             "asan": ["emu-afl", "emu-system", "emu-minimize"]})


def fuzz(builds, tmp, seconds):
    seeds, dict_path = write_seeds(tmp)
    out = os.path.join(tmp, "afl")
    runner = os.path.join(builds["afl"], "emu-afl")
    procs = []
    for role in (["-M", "main"], ["-S", "sec"]):
        cmd = ["afl-fuzz", "-V", str(seconds), "-i", seeds, "-o", out, "-x", dict_path] + \
              role + ["--", runner, "--fuzz-target=" + TARGET]
        procs.append(subprocess.Popen(cmd, env=dict(AFL_ENV, AFL_NO_AFFINITY="1"),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True))
    for p in procs:
        _, err = p.communicate(timeout=seconds + 120)
        if p.returncode != 0:
            print(err[-1500:])
    crashes = [os.path.join(out, i, "crashes", f) for i in ("main", "sec")
               if os.path.isdir(os.path.join(out, i, "crashes"))
               for f in os.listdir(os.path.join(out, i, "crashes")) if f.startswith("id:")]
    return out, crashes


def compile_regression(builds, source, exe, fixed):
    plain = builds["plain"]
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "glib-2.0", "cmocka"],
                           capture_output=True, text=True, check=True).stdout.split()
    fixed_lib = (["-Wl,--whole-archive", os.path.join(plain, "hw/misc/libcrashtest-fixed.a"),
                  "-Wl,--no-whole-archive"] if fixed else [])
    cmd = ["cc", "-std=c11", "-D_GNU_SOURCE", "-DEMU_CRASHTEST", "-I", ROOT, source, "-o", exe] \
        + fixed_lib + [os.path.join(plain, "libhw.a"), os.path.join(plain, "libemu.a")] + flags
    return subprocess.run(cmd, capture_output=True, text=True)


def check_regression(r, builds, reg_dir, name):
    source = os.path.join(reg_dir, name + ".c")
    for fixed in (False, True):
        what = "fixed" if fixed else "planted"
        exe = os.path.join(reg_dir, f"{name}-{what}")
        c = compile_regression(builds, source, exe, fixed)
        if not r.check(c.returncode == 0, f"regression test ({what}) does not build: "
                       f"{c.stderr[-1500:]}"):
            continue
        p = subprocess.run([exe], capture_output=True, text=True, timeout=120)
        if fixed:
            r.check(p.returncode == 0, f"regression test fails with the bug fixed: "
                    f"status {p.returncode}: {p.stdout[-800:]}{p.stderr[-800:]}")
        else:
            r.check(p.returncode != 0 and "planted bug" in p.stderr,
                    f"regression test passes with the bug planted (status {p.returncode})")
        print(f"regression test, bug {what}: status {p.returncode}", flush=True)


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    r = Results()
    builds = cl.build_dirs(TARGET)
    build(builds)
    with tempfile.TemporaryDirectory(prefix="emu-e2e-") as tmp:
        # 1. fuzz
        out, crashes = fuzz(builds, tmp, seconds)
        print(f"afl-fuzz: {len(crashes)} crash input(s) in {seconds} s", flush=True)
        if not r.check(crashes, "afl-fuzz found no crash"):
            return r.finish()
        # 2. triage: one bug, reproduced, at the plant
        t = tool("triage", out)
        bugs = re.findall(r"^  bug \d+: (\d+) input\(s\): (.*); reproduces outside afl-fuzz: (\S+)",
                          t.stdout, re.M)
        r.check(t.returncode == 0 and len(bugs) == 1, f"triage: {len(bugs)} bugs, not 1")
        r.check(bugs and int(bugs[0][0]) == len(crashes), "triage: not every crash counted")
        r.check(bugs and "crashtest_commit hw/misc/crashtest.c" in bugs[0][1]
                and bugs[0][2] == "yes", f"triage: wrong site or not reproduced: {bugs}")
        example = re.search(r"example: (\S+)", t.stdout)
        if not r.check(example, "triage: no example"):
            return r.finish()
        # 3. reproduce
        repro = os.path.join(tmp, "repro")
        p = tool("reproduce", os.path.join(ROOT, example.group(1))
                 if not os.path.isabs(example.group(1)) else example.group(1), "--out", repro)
        r.check(p.returncode == 0, f"reproduce: status {p.returncode}")
        r.check(re.search(r"asan/emu-system: REPRODUCES: heap-buffer-overflow in crashtest_commit",
                          p.stdout), "reproduce: not confirmed on the ASan emu-system")
        trace = os.path.join(repro, "trace.qtest")
        if not r.check(os.path.isfile(trace), "reproduce: no trace"):
            return r.finish()
        # 4. minimize
        small = os.path.join(tmp, "min.qtest")
        m = tool("minimize", trace, "-o", small)
        r.check(m.returncode == 0, f"minimize: status {m.returncode}")
        before, after = len(cl.trace_commands(trace)), len(cl.trace_commands(small)) \
            if os.path.isfile(small) else 999
        print(f"minimize: {before} -> {after} commands", flush=True)
        r.check(after <= min(before, 3), f"minimize: {after} commands left, want at most 3 "
                "(unlock, index, commit)")
        args, _ = cl.trace_header(small)
        asan = cl.run([os.path.join(builds["asan"], "emu-system")] + args +
                      ["-qtest", "stdio"], stdin_path=small)
        r.check(asan.crash and asan.crash.site and "crashtest_commit hw/misc/crashtest.c"
                in asan.crash.site, "the minimized trace does not crash the ASan emu-system "
                "at the plant")
        with open(os.path.join(ROOT, "hw/misc/crashtest.c")) as f:
            plant = next(n for n, l in enumerate(f, 1) if "*slot = s->data;" in l)
        token = f"hw/misc/crashtest.c:{plant}"
        m = tool("minimize", trace, "-o", os.path.join(tmp, "min-token.qtest"), "--token", token)
        r.check(m.returncode == 0 and f"(token '{token}')" in m.stdout
                and "crashes: heap-buffer-overflow in crashtest_commit" in m.stdout,
                f"minimize --token {token}: status {m.returncode} or not the plant")
        # 5. reproducers
        b = tool("reproducer", "--bash", small)
        lines = b.stdout.splitlines()
        r.check(b.returncode == 0 and len(lines) == 2 and "emu-system" in lines[0]
                and "no crashtest" in lines[1], "reproducer --bash: unexpected output")
        one = subprocess.run(["bash", "-c", lines[0] if lines else "false"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        r.check(one.returncode != 0 and "planted bug" in one.stderr,
                "the bash one-liner does not crash emu-system")
        reg_dir = os.path.join(tmp, "regressions")
        c = tool("reproducer", "--c", "crashtest_commit", small, "--dir", reg_dir)
        r.check(c.returncode == 0 and os.path.isfile(os.path.join(reg_dir, "crashtest_commit.c")),
                "reproducer --c wrote no test")
        with open(os.path.join(reg_dir, "list.txt")) as f:
            r.check("crashtest_commit" in f.read().split(), "reproducer --c: not in list.txt")
        check_regression(r, builds, reg_dir, "crashtest_commit")
        shutil.rmtree(out, ignore_errors=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
