#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/reproducer --bash on qemu-system-x86_64: for every target in
emu-afl's table whose devices QEMU has, the trace of its first seed (no
crash) goes through tools/reproducer --bash, and the QEMU line it prints
runs in bash: QEMU must take the command line (our netdevs mapped to its
own: loopback to a UDP socket sending to itself on 127.0.0.1, null to a
hub port) and answer every command of the trace with OK (a QEMU without
the qtest accelerator answers clock_step and clock_set FAIL: allowed when
the reproducer's comment says so). QEMU keeps
running at the end of its input, so the test stops it (its own process
group) once every reply is in. A hand-written trace checks the other
mappings: -netdev null with pcap= (a hub port and a filter-dump object,
whose file QEMU creates) and -dma-budget (left out). The values are not compared: the
differential test does that on scripts written for it.
Usage: reproducer-qemu.py EMU_AFL"""
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
import crashlib as cl  # noqa: E402
from common import Results, seeds, targets  # noqa: E402

TIMEOUT = 60


def replies_of(line, want):
    """Runs the one-liner; the qtest replies, up to want of them."""
    proc = subprocess.Popen(["bash", "-c", line], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    replies, buf, err = [], b"", b""
    deadline = time.monotonic() + TIMEOUT
    try:
        while len(replies) < want and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout, proc.stderr], [], [], 1)
            if proc.stderr in ready:
                err += os.read(proc.stderr.fileno(), 65536)
            if proc.stdout not in ready:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            replies += [l.decode(errors="replace") for l in lines
                        if l.startswith((b"OK", b"FAIL", b"ERR"))]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return replies, err.decode(errors="replace")


def check_mappings(r, tmp):
    pcap = os.path.join(tmp, "frames.pcap")
    trace = os.path.join(tmp, "mappings.qtest")
    with open(trace, "w") as f:
        f.write(f"# emu-system -M pc -nodefaults -netdev null,id=n0,pcap={pcap} "
                "-device e1000,netdev=n0 -dma-budget 65536 -qtest stdio\n"
                "outl 0xcf8 0x80001000\ninl 0xcfc\n")
    b = subprocess.run([os.path.join(ROOT, "tools", "reproducer"), "--bash", trace],
                       capture_output=True, text=True, timeout=120)
    lines = b.stdout.splitlines()
    notes = "\n".join(l for l in lines if l.startswith("# for qemu"))
    r.check(all(w in notes for w in ("-netdev null", "pcap=", "-dma-budget")),
            f"reproducer --bash: the mappings are not named: {notes!r}")
    qemu = [l for l in lines if "| qemu-system-x86_64 " in l]
    if not r.check(qemu, f"no QEMU line: {b.stdout}{b.stderr}"):
        return
    got, err = replies_of(qemu[0], 2)
    r.check(got == ["OK", "OK 0x100e8086"] and os.path.isfile(pcap),
            f"null, pcap= and -dma-budget on QEMU: {got}, pcap file "
            f"{os.path.isfile(pcap)}; {err.strip()[-400:]}")


def main():
    emu_afl = sys.argv[1]
    r = Results()
    ran = 0
    with tempfile.TemporaryDirectory(prefix="emu-qemu-repro-") as tmp:
        for target in targets(emu_afl):
            trace = os.path.join(tmp, target + ".qtest")
            p = subprocess.run([emu_afl, "--fuzz-target=" + target, "--trace", trace,
                                seeds(target)[0]], capture_output=True, text=True, timeout=60)
            if not r.check(p.returncode == 0, f"{target}: emu-afl --trace: {p.stderr[-300:]}"):
                continue
            b = subprocess.run([os.path.join(ROOT, "tools", "reproducer"), "--bash", trace],
                               capture_output=True, text=True, timeout=120)
            lines = b.stdout.splitlines()
            qemu = [l for l in lines if "| qemu-system-x86_64 " in l]
            if not qemu:
                print(f"skip {target}: {lines[-1] if lines else b.stderr.strip()}", flush=True)
                continue
            ran += 1
            args, _ = cl.trace_header(trace)
            if "-netdev" in args:
                r.check("-netdev loopback" not in qemu[0] and "-netdev null" not in qemu[0],
                        f"{target}: our netdevs left in the QEMU line")
            want = len(cl.trace_commands(trace))
            if "qtest" not in qemu[0]:
                r.check(not any(c.split()[0] in ("clock_step", "clock_set")
                                for c in cl.trace_commands(trace))
                        or any("clock_step and clock_set need" in l for l in lines),
                        f"{target}: clock commands for a QEMU without qtest, no note")
            got, err = replies_of(qemu[0], want)
            clock_note = any("clock_step and clock_set need" in l for l in lines)
            cmds = cl.trace_commands(trace)
            bad = [x for c, x in zip(cmds, got) if not x.startswith("OK") and not
                   (clock_note and c.split()[0] in ("clock_step", "clock_set"))]
            ok = len(got) == want and not bad
            r.check(ok, f"{target}: QEMU answered {len(got)} of {want} commands, "
                    f"not OK: {bad[:3]}; stderr: {err.strip()[-400:]}")
            if ok:
                print(f"{target}: {want} commands replayed on qemu-system-x86_64", flush=True)
        check_mappings(r, tmp)
    r.check(ran > 0, "no target's devices are all in QEMU")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
