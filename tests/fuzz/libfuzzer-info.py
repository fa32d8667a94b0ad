#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""emu-libfuzzer's own options, on an ad-hoc generic-fuzz target (QEMU's
check of a configuration, EMU_FUZZ_* and QEMU_FUZZ_* alike):
- `-runs=0` prints the matched regions at set-up, as emu-afl
  --list-regions does, and libFuzzer runs nothing more;
- --list-regions (--json), --info-mtree, --info-qom-tree print what
  emu-afl prints and exit before libFuzzer starts; with objects that match
  nothing the trees still print (the error message suggests them) and
  --list-regions fails;
- --help lists them, -help=1 is libFuzzer's, an unknown "--" option is
  refused;
- AFL++'s driver build (build-afl/emu-libfuzzer) runs the FILE it is given
  (it used to read stdin while --fuzz-target was in its argv), and
  afl-fuzz runs it for 5 s (it used to fail the driver's N > 0 assertion).
Usage: libfuzzer-info.py LIBFUZZER AFL_DRIVER_LIBFUZZER EMU_AFL
(build-asan/emu-libfuzzer, build-afl/emu-libfuzzer, build/emu-afl)"""
import os
import shutil
import subprocess
import sys
import tempfile

from common import AFL_ENV, ROOT, Results

sys.path.insert(0, os.path.join(ROOT, "tools"))
from crashlib import read_stats  # noqa: E402

ARGS = "-M pc -nodefaults -device isa-serial,chardev=c0 -chardev null,id=c0"
OBJECTS = "serial*"
TARGET = "--fuzz-target=generic-fuzz"


def env_of(prefix="EMU", objects=OBJECTS):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EMU_FUZZ_", "QEMU_FUZZ_", "EMU_TRACE"))}
    env.update({prefix + "_FUZZ_ARGS": ARGS, prefix + "_FUZZ_OBJECTS": objects})
    return env


def run(cmd, env=None, **kw):
    return subprocess.run(cmd, env=env or env_of(), capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, **kw)


def check_runs0(r, lf, expected):
    for prefix in ("EMU", "QEMU"):
        p = run([lf, TARGET, "-runs=0"], env_of(prefix))
        r.check(p.returncode == 0 and p.stdout == expected,
                f"-runs=0 with {prefix}_FUZZ_*: status {p.returncode}, printed "
                f"{p.stdout[-600:]!r}, not emu-afl's list")
        r.check("* serial (size 0x8)" in p.stdout and "0x00000000000003f8" in p.stdout,
                f"-runs=0 with {prefix}_FUZZ_*: the serial region is not listed")
        r.check("Done " in p.stderr, f"-runs=0: libFuzzer did not run: {p.stderr[-400:]}")
    p = run([lf, TARGET, "-runs=2"])
    r.check(p.returncode == 0 and "matched regions" not in p.stdout,
            "without -runs=0 the regions print anyway")


def check_info(r, lf, emu_afl):
    for flags in (["--list-regions"], ["--list-regions", "--json"], ["--info-mtree"],
                  ["--info-qom-tree"], ["--info-mtree", "--info-qom-tree"]):
        want = run([emu_afl, TARGET] + flags)
        got = run([lf, TARGET] + flags)
        r.check(want.returncode == 0 and want.stdout, f"emu-afl {flags}: status "
                f"{want.returncode}: {want.stderr[-300:]}")
        r.check(got.returncode == 0 and got.stdout == want.stdout,
                f"emu-libfuzzer {flags}: status {got.returncode}, output differs from "
                f"emu-afl's: {got.stdout[:300]!r} {got.stderr[-300:]}")
        r.check("INFO:" not in got.stderr, f"emu-libfuzzer {flags}: libFuzzer started")


def check_no_match(r, lf, emu_afl):
    env = env_of(objects="no-such-object")
    for binary in (lf, emu_afl):
        name = os.path.basename(binary)
        p = run([binary, TARGET, "--info-qom-tree"], env)
        r.check(p.returncode == 0 and "(isa-serial)" in p.stdout,
                f"{name} --info-qom-tree, nothing matched: status {p.returncode}, no tree")
        r.check("--info-qom-tree" in p.stderr, f"{name}: the no-match error is not printed")
        p = run([binary, TARGET, "--list-regions"], env)
        r.check(p.returncode == 1, f"{name} --list-regions, nothing matched: status "
                f"{p.returncode}, not 1")
    p = run([lf, TARGET, "-runs=0"], env)
    r.check(p.returncode == 1 and "match no region" in p.stderr,
            f"-runs=0, nothing matched: status {p.returncode}")


def check_flags(r, lf):
    p = run([lf, "--help"])
    r.check(p.returncode == 0 and "--list-regions" in p.stdout and "-runs=0" in p.stdout
            and "generic-fuzz " in p.stdout, f"--help: status {p.returncode}")
    p = run([lf, "-help=1"])
    r.check(p.returncode == 0 and "Usage:" in p.stderr and "-runs" in p.stderr,
            f"-help=1: status {p.returncode}, not libFuzzer's help")
    p = run([lf, TARGET, "--no-such-option"])
    r.check(p.returncode == 1 and "--no-such-option: unknown option" in p.stderr,
            f"an unknown -- option: status {p.returncode}")
    p = run([lf])
    r.check(p.returncode == 1 and "--fuzz-target" in p.stderr, "no target: not refused")


def check_afl_driver(r, afl_lf, emu_afl):
    with tempfile.NamedTemporaryFile(suffix=".input") as f:
        f.write(bytes([0, 0, 0, 0, 0]))        # in, width 1, range 0, offset 0
        f.flush()
        env = dict(env_of(), EMU_TRACE="1")
        p = run([afl_lf, TARGET, f.name], env)
        r.check(p.returncode == 0 and "\ninb 0x3f8\n" in p.stderr,
                f"AFL++'s driver build does not run FILE: status {p.returncode}: "
                f"{p.stderr[-500:]}")
    want = run([emu_afl, TARGET, "--list-regions"])
    p = run([afl_lf, TARGET, "--list-regions"])
    r.check(p.returncode == 0 and p.stdout == want.stdout,
            f"AFL++'s driver build --list-regions: status {p.returncode}")


def check_afl_fuzz(r, afl_lf):
    tmp = tempfile.mkdtemp(prefix="libfuzzer-info-")
    try:
        seeds = os.path.join(tmp, "in")
        os.makedirs(seeds)
        with open(os.path.join(seeds, "in"), "wb") as f:
            f.write(bytes([0, 0, 0, 0, 0]))
        env = dict(AFL_ENV, **{k: v for k, v in env_of().items() if "FUZZ_" in k})
        p = subprocess.run(["afl-fuzz", "-V", "5", "-i", seeds, "-o", os.path.join(tmp, "out"),
                            "--", afl_lf, TARGET], env=env, capture_output=True, text=True,
                           timeout=120)
        s = read_stats(os.path.join(tmp, "out", "default", "fuzzer_stats"))
        print(f"afl-fuzz on AFL++'s driver build: status {p.returncode}, "
              f"{s.get('execs_done')} execs", flush=True)
        r.check(p.returncode == 0 and int(s.get("execs_done", 0)) > 100,
                f"afl-fuzz on AFL++'s driver build: status {p.returncode}: {p.stdout[-600:]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    lf, afl_lf, emu_afl = sys.argv[1:4]
    r = Results()
    expected = run([emu_afl, TARGET, "--list-regions"]).stdout
    print(expected, end="", flush=True)
    check_runs0(r, lf, expected)
    check_info(r, lf, emu_afl)
    check_no_match(r, lf, emu_afl)
    check_flags(r, lf)
    check_afl_driver(r, afl_lf, emu_afl)
    check_afl_fuzz(r, afl_lf)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
