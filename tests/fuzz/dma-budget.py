#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The DMA budget of an input (emu/dma.h), end to end on the plain runner.

The input of issue 10: 200 OUTs of fw_cfg's DMA address register, each
running an access structure (filled from a DMA pattern) that asks for a
64 MiB read: the signature, then zeros. Without a budget every OUT
zero-filled 64 MiB of guest RAM. Checked here: the input completes, its
trace shows the refusals ("# refused: ..."), a budget that is not the
default is on the trace's command line and the trace replays on emu-system
with the same replies; EMU_DMA_BUDGET overrides the target's budget and a
malformed one is a clear start-up error. No timing is checked (tools/bench
has them).
Usage: dma-budget.py EMU_AFL EMU_SYSTEM
       dma-budget.py --write-input FILE   (the input alone, for benchmarks)"""
import os
import shlex
import struct
import subprocess
import sys
import tempfile

from common import Results

TARGET = "generic-fuzz-fw_cfg"
DESC = 0x1000                   # where the access structure is read from
FILL_AT = 0x100000              # where the 64 MiB read lands
FW_CFG_DMA_CTL_READ = 0x02


def fw_cfg_input(ops=200):
    """ADD_DMA_PATTERN (op 7) with the access structure {BE32 control, BE32
    length, BE64 address}, then `ops` OUTs (op 1): width byte 2 (4 bytes),
    range #1 (fwcfg.dma at 0x514), offset 4 (0x518, the low half, which
    runs the transfer), the big-endian address DESC as a port value."""
    access = struct.pack(">IIQ", FW_CFG_DMA_CTL_READ, 64 << 20, FILL_AT)
    pattern = bytes([7, 0, 0]) + access
    # The register is big-endian: the port value's bytes are DESC's, BE.
    out = bytes([1, 2, 1]) + struct.pack("<H", 4) + struct.pack(">I", DESC)
    return b"FUZZ".join([pattern] + [out] * ops)


def run(emu_afl, tmp, data, env=None):
    inp, trace, replies = (os.path.join(tmp, n) for n in ("in", "trace", "replies"))
    with open(inp, "wb") as f:
        f.write(data)
    p = subprocess.run([emu_afl, "--fuzz-target=" + TARGET, "--trace", trace,
                        "--trace-replies", replies, inp],
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, **(env or {})))
    text = open(trace).read() if p.returncode == 0 else ""
    want = open(replies).read() if p.returncode == 0 else ""
    return p, text, want


def header_args(trace):
    """The machine arguments of the trace's first line."""
    first = trace.splitlines()[0]
    prefix, suffix = "# emu-system ", " -qtest stdio"
    assert first.startswith(prefix) and first.endswith(suffix), first
    return shlex.split(first[len(prefix):-len(suffix)])


def replay(emu_system, args, trace):
    env = {k: v for k, v in os.environ.items() if k != "EMU_DMA_BUDGET"}
    return subprocess.run([emu_system] + args + ["-qtest", "stdio"], input=trace,
                          capture_output=True, text=True, timeout=120, env=env)


def main():
    if sys.argv[1] == "--write-input":
        with open(sys.argv[2], "wb") as f:
            f.write(fw_cfg_input())
        return 0
    emu_afl, emu_system = sys.argv[1], sys.argv[2]
    r = Results()
    data = fw_cfg_input()
    print(f"input: {len(data)} bytes, 200 DMA requests of 64 MiB", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        # The target's own budget (64 KiB), on the trace's command line.
        p, trace, want = run(emu_afl, tmp, data)
        if r.check(p.returncode == 0, f"emu-afl status {p.returncode}: {p.stderr[-600:]}"):
            args = header_args(trace)
            refusals = [l for l in trace.splitlines() if l.startswith("# refused: ")]
            r.check("-dma-budget" in args and args[args.index("-dma-budget") + 1] == "65536",
                    f"header carries the target's budget: {args}")
            r.check(len(refusals) >= 200, f"{len(refusals)} refusals traced, want >= 200")
            r.check(all("DMA budget" in l for l in refusals[:1]),
                    f"refusal names the budget: {refusals[:1]}")
            outs = [l for l in trace.splitlines() if l.startswith("outl 0x518")]
            r.check(len(outs) == 200, f"{len(outs)} OUTs traced, want 200")
            q = replay(emu_system, args, trace)
            r.check(q.returncode == 0 and q.stdout == want,
                    f"replay on emu-system: status {q.returncode}, replies "
                    f"{'match' if q.stdout == want else 'differ'}")

        # EMU_DMA_BUDGET beats the target's; the default is left off the line.
        p, trace, want = run(emu_afl, tmp, data, {"EMU_DMA_BUDGET": "1M"})
        if r.check(p.returncode == 0, f"EMU_DMA_BUDGET=1M: status {p.returncode}"):
            args = header_args(trace)
            r.check("-dma-budget" not in args, f"default budget not on the line: {args}")
            r.check("# refused: " in trace, "1 MiB: refusals traced")
            q = replay(emu_system, args, trace)
            r.check(q.returncode == 0 and q.stdout == want, "1 MiB: replay matches")

        p, trace, want = run(emu_afl, tmp, data, {"EMU_DMA_BUDGET": "3000"})
        if r.check(p.returncode == 0, f"EMU_DMA_BUDGET=3000: status {p.returncode}"):
            args = header_args(trace)
            r.check(args[-2:] == ["-dma-budget", "3000"], f"3000 on the line: {args}")
            q = replay(emu_system, args, trace)
            r.check(q.returncode == 0 and q.stdout == want, "3000: replay matches")

        p, _, _ = run(emu_afl, tmp, data, {"EMU_DMA_BUDGET": "lots"})
        r.check(p.returncode == 1 and "EMU_DMA_BUDGET" in p.stderr,
                f"malformed EMU_DMA_BUDGET: status {p.returncode}, {p.stderr.strip()}")

        # No refusal, no comment: an input within the budget traces none.
        p, trace, _ = run(emu_afl, tmp, fw_cfg_input(0))
        r.check(p.returncode == 0 and "# refused" not in trace, "pattern only: no refusal")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
