#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU's fuzzing document, its variables and flags, on emu-afl and
emu-system (docs/coming-from-qemu.md): QTEST_LOG=1 and FUZZ_SERIALIZE_QTEST=1
print the trace EMU_TRACE=1 prints, and it replays on emu-system with the
arguments of its first line; QEMU_FUZZ_ARGS/QEMU_FUZZ_OBJECTS with
--fuzz-target=generic-fuzz --list-regions list what a predefined target
with the same machine and objects lists, and the document's own virtio-net
example (-device virtio-net, QEMU's alias) matches with each of its globs;
QEMU_FUZZ_TIMEOUT drops an input that runs longer (status 0, one line), 0
means no limit, a bad value is refused, and under afl-fuzz one line names
-t; objects that match only unmapped regions stop the set-up with one
line naming them; emu-system takes -device virtio-net, lists the alias,
and refuses -device isa-pcspk as QEMU 7.2 does (the board has one).
The predefined target used is the first with seeds in emu-afl's table.
Usage: qemu-names.py EMU_AFL EMU_SYSTEM"""
import json
import os
import subprocess
import sys
import tempfile

from common import Results, regions, seeds, targets

# The document's example machine and its globs.
DOC_ARGS = "-M pc -nodefaults -netdev user,id=user0 -device virtio-net,netdev=user0"
DOC_OBJECTS = ["virtio-net", "virtio*", "virtio* pcspk", "*"]
TRACE_VARS = ["EMU_TRACE", "QTEST_LOG", "FUZZ_SERIALIZE_QTEST"]


def run(cmd, env=None, stdin=None, timeout=120):
    clean = {k: v for k, v in os.environ.items()
             if k not in TRACE_VARS + ["QEMU_FUZZ_TIMEOUT", "__AFL_SHM_ID"]}
    return subprocess.run(cmd, env=dict(clean, **(env or {})), stdin=stdin,
                          capture_output=True, text=True, timeout=timeout)


def one_line(p):
    return len(p.stderr.strip().splitlines()) == 1


def check_trace_vars(r, emu_afl, emu_system, target, seed):
    base = ["--fuzz-target=" + target, seed]
    want = run([emu_afl] + base, {"EMU_TRACE": "1"}).stderr
    r.check(want.startswith("# emu-system ") and len(want.splitlines()) > 2,
            f"EMU_TRACE=1 gives no trace: {want[:200]!r}")
    for var in TRACE_VARS[1:]:
        p = run([emu_afl] + base, {var: "1"})
        r.check(p.returncode == 0 and p.stderr == want,
                f"{var}=1: not the trace EMU_TRACE=1 prints (status {p.returncode})")
        p = run([emu_afl] + base, {var: "0"})
        r.check("# emu-system" not in p.stderr, f"{var}=0 still traces")
    # All three together, as the document's command has them: one trace.
    p = run([emu_afl] + base, {v: "1" for v in TRACE_VARS} | {"QEMU_FUZZ_TIMEOUT": "0"})
    r.check(p.stderr == want, "QEMU_FUZZ_TIMEOUT=0 QTEST_LOG=1 FUZZ_SERIALIZE_QTEST=1: "
            "not the same single trace")
    # The document's reproducer step: its first line's arguments, the trace
    # on stdin of -qtest stdio.
    args = want.splitlines()[0][len("# emu-system "):].rsplit(" -qtest stdio", 1)[0]
    q = subprocess.run([emu_system] + args.split() + ["-qtest", "stdio"], input=want,
                       capture_output=True, text=True, timeout=60)
    bad = [l for l in q.stdout.splitlines() if not l.startswith("OK")]
    r.check(q.returncode == 0 and not bad, f"the QTEST_LOG trace does not replay on "
            f"emu-system: status {q.returncode}, {bad[:3]}")
    # Several inputs: the refusal names the variable, not --trace.
    p = run([emu_afl] + base + [seed], {"QTEST_LOG": "1"})
    r.check(p.returncode == 1 and "QTEST_LOG" in p.stderr and "--trace" not in p.stderr,
            f"QTEST_LOG=1 with two inputs: {p.stderr.strip()!r}")


def check_timeout(r, emu_afl, target, seed, tmp):
    base = [emu_afl, "--fuzz-target=" + target]
    # The longest input: 4096 commands (a port read each, on any target).
    big = os.path.join(tmp, "big")
    with open(big, "wb") as f:
        f.write(b"FUZZ".join([bytes([0, 0, 0, 0, 0])] * 4096))
    p = run(base + [big], {"QEMU_FUZZ_TIMEOUT": "1"})
    r.check(p.returncode == 0 and "stopped after QEMU_FUZZ_TIMEOUT=1 microseconds"
            in p.stderr and one_line(p),
            f"QEMU_FUZZ_TIMEOUT=1: status {p.returncode}, {p.stderr.strip()[-300:]!r}")
    for value in ("0", "10000000"):
        p = run(base + [seed], {"QEMU_FUZZ_TIMEOUT": value, "QTEST_LOG": "1"})
        r.check(p.returncode == 0 and "QEMU_FUZZ_TIMEOUT" not in p.stderr,
                f"QEMU_FUZZ_TIMEOUT={value}: status {p.returncode}, {p.stderr[-300:]!r}")
    p = run(base + [seed], {"QEMU_FUZZ_TIMEOUT": "soon"})
    r.check(p.returncode == 1 and "QEMU_FUZZ_TIMEOUT=soon" in p.stderr and one_line(p),
            f"QEMU_FUZZ_TIMEOUT=soon: status {p.returncode}, {p.stderr.strip()!r}")
    # Under afl-fuzz (its variable set): one line names -t, the input runs.
    p = run(base + [seed], {"QEMU_FUZZ_TIMEOUT": "1", "__AFL_SHM_ID": "0"})
    r.check(p.returncode == 0 and "-t MSEC" in p.stderr and one_line(p),
            f"QEMU_FUZZ_TIMEOUT under afl-fuzz: status {p.returncode}, {p.stderr.strip()!r}")


def list_regions(emu_afl, args, objects):
    return run([emu_afl, "--fuzz-target=generic-fuzz", "--list-regions", "--json"],
               {"QEMU_FUZZ_ARGS": args, "QEMU_FUZZ_OBJECTS": objects})


def check_generic(r, emu_afl, target):
    want = regions(emu_afl, target)
    p = list_regions(emu_afl, want["machine"], want["objects"])
    got = json.loads(p.stdout) if p.returncode == 0 else {}
    r.check(all(got.get(k) == want[k] for k in ("io", "memory", "pci")),
            f"QEMU_FUZZ_ARGS/OBJECTS of {target}: not its regions: {p.stderr.strip()}")
    p = run([emu_afl, "--fuzz-target=generic-fuzz", "--list-regions"],
            {"QEMU_FUZZ_ARGS": want["machine"], "QEMU_FUZZ_OBJECTS": want["objects"]})
    r.check(p.returncode == 0 and "matched regions" in p.stdout,
            "--list-regions (QEMU's -runs=0) prints no matched regions")
    for objects in DOC_OBJECTS:
        p = list_regions(emu_afl, DOC_ARGS, objects)
        got = json.loads(p.stdout) if p.returncode == 0 else {}
        pci = [d["type"] for d in got.get("pci", [])]
        r.check("virtio-net-pci" in pci and got.get("memory"),
                f"the document's example, objects '{objects}': {p.stderr.strip()[-300:]}")
        if "pcspk" in objects:
            r.check(any(x["name"] == "pcspk" for x in got.get("io", [])),
                    f"objects '{objects}': the speaker's port not matched")
    p = run([emu_afl, "--fuzz-target=generic-fuzz", "--list-regions"],
            {"QEMU_FUZZ_ARGS": DOC_ARGS})
    r.check(p.returncode == 1 and "EMU_FUZZ_OBJECTS" in p.stderr and one_line(p),
            f"QEMU_FUZZ_ARGS without objects: {p.stderr.strip()!r}")


def check_unmapped(r, emu_afl):
    # The BAR regions of a PCI function matched by name, without the
    # function: never mapped, so nothing to fuzz.
    p = list_regions(emu_afl, DOC_ARGS, "msix*")
    msg = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
    r.check(p.returncode == 1 and "not mapped" in msg and "msix-table" in msg
            and "msix-pba" in msg, f"objects matching only unmapped regions: {p.stderr!r}")


def check_emu_system(r, emu_system):
    p = run([emu_system] + DOC_ARGS.split() + ["--info-qom-tree"])
    r.check(p.returncode == 0 and "(virtio-net-pci)" in p.stdout,
            f"emu-system -device virtio-net: status {p.returncode}, {p.stderr.strip()!r}")
    p = run([emu_system, "-device", "help"])
    r.check('name "virtio-net-pci", alias "virtio-net"' in p.stdout,
            "-device help does not show the virtio-net alias")
    p = run([emu_system, "-device", "virtio-net,help"])
    r.check(p.returncode == 0 and "netdev=" in p.stdout, "-device virtio-net,help")
    p = run([emu_system, "-M", "pc", "-device", "isa-pcspk", "-qtest", "stdio"])
    r.check(p.returncode == 1 and "pluggable" in p.stderr and one_line(p),
            f"-device isa-pcspk: {p.stderr.strip()!r}")
    p = run([emu_system, "--help"])
    r.check(all(o in p.stdout for o in ("-netdev", "-chardev", "-device", "-drive",
                                        "-qtest")), "emu-system --help misses options")


def main():
    emu_afl, emu_system = sys.argv[1], sys.argv[2]
    r = Results()
    with_seeds = targets(emu_afl)
    if not r.check(with_seeds, "no target has seeds"):
        return r.finish()
    target = with_seeds[0]
    seed = seeds(target)[0]
    print(f"target {target}, seed {os.path.basename(seed)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="emu-qemu-names-") as tmp:
        check_trace_vars(r, emu_afl, emu_system, target, seed)
        check_timeout(r, emu_afl, target, seed, tmp)
    check_generic(r, emu_afl, target)
    check_unmapped(r, emu_afl)
    check_emu_system(r, emu_system)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
