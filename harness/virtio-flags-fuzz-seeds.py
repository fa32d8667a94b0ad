#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""harness/virtio-flags-fuzz-seeds.py: the seeds and dictionary of the
structured target virtio-blk-flags-fuzz (harness/virtio-flags-fuzz.c).

    virtio-flags-fuzz-seeds.py --out DIR      writes DIR/NAME for each seed
    virtio-flags-fuzz-seeds.py --dict FILE    writes the AFL++ dictionary
    virtio-flags-fuzz-seeds.py --verify BUILD runs each seed on BUILD/emu-afl
                                              with a trace, replays it on
                                              BUILD/emu-system and checks
                                              each request's status byte

An input is an 8-byte feature mask, then 5-byte records {queue, length,
write, next, kick} each followed by `length` bytes (docs/fuzz-input-format.md,
"virtio-*-flags-fuzz"). The harness puts record i's buffer at the next
16-byte boundary from 0x1000000. The seeds are the requests Linux's
virtio_blk makes (the header, the data, the status byte as one chain), with
the features it takes, on split rings and on packed ones.
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedgen  # noqa: E402

TARGETS = ["virtio-blk-flags-fuzz"]
BUF_BASE = 0x1000000
# What virtio_blk and the virtio core of Linux take of what is offered:
# SEG_MAX, GEOMETRY, BLK_SIZE, FLUSH, TOPOLOGY, CONFIG_WCE, DISCARD,
# WRITE_ZEROES, INDIRECT_DESC, EVENT_IDX; VERSION_1; RING_PACKED when asked.
LINUX = 0x30006e54 | 1 << 32
PACKED = LINUX | 1 << 34
T_IN, T_OUT, T_FLUSH, T_GET_ID, T_DISCARD, T_WRITE_ZEROES = 0, 1, 4, 8, 11, 13


class Seed:
    def __init__(self, name, doc, mask):
        self.name, self.doc = name, doc
        self.data = struct.pack("<Q", mask)
        self.buf = BUF_BASE
        self.ram = []           # (addr, bytes) guest RAM after the input

    def record(self, data, write=False, nxt=False, kick=False, queue=0):
        """A descriptor of len(data) bytes (at most 255); its buffer address."""
        assert len(data) < 256
        self.data += bytes([queue, len(data), int(write), int(nxt), int(kick)]) + data
        addr = self.buf
        self.buf += (len(data) + 15) & ~15
        return addr

    def request(self, typ, sector=0, out=b"", data_in=0, chunk=128):
        """A virtio_blk request as one chain, kicked: the header, device-
        readable data, device-writable room (in chunks of at most 255
        bytes), the status byte, which must read 0 (OK) afterwards."""
        self.record(struct.pack("<IIQ", typ, 0, sector), nxt=True)
        for i in range(0, len(out), chunk):
            self.record(out[i:i + chunk], nxt=True)
        while data_in:
            n = min(chunk, data_in)
            self.record(bytes(n), write=True, nxt=True)
            data_in -= n
        status = self.record(b"\xee", write=True, kick=True)
        self.ram.append((status, b"\x00"))


def pattern(n, k=7):
    return bytes((i * k + 3) & 0xff for i in range(n))


def seeds_of(target):
    out = []
    for ring, mask in (("split", LINUX), ("packed", PACKED)):
        s = Seed(f"read-{ring}", f"the partition scan's read (IN, sector 0, 512 bytes in "
                 f"four 128-byte buffers), {ring} ring", mask)
        s.request(T_IN, 0, data_in=512)
        out.append(s)
        s = Seed(f"write-flush-{ring}", f"a write (OUT, sector 8, 512 bytes), FLUSH, GET_ID "
                 f"(20 bytes), {ring} ring", mask)
        s.request(T_OUT, 8, out=pattern(512))
        s.request(T_FLUSH)
        s.request(T_GET_ID, data_in=20)
        out.append(s)
    s = Seed("discard-zeroes-split", "DISCARD of 8 sectors at 64, WRITE_ZEROES of 8 at 128 "
             "with UNMAP, then a read of one of them, split ring", LINUX)
    s.request(T_DISCARD, out=struct.pack("<QII", 64, 8, 0))
    s.request(T_WRITE_ZEROES, out=struct.pack("<QII", 128, 8, 1))
    s.request(T_IN, 128, data_in=512)
    out.append(s)
    return out


def dictionary(target):
    entries = [("mask_linux", struct.pack("<Q", LINUX)), ("mask_packed", struct.pack("<Q", PACKED)),
               ("mask_all", b"\xff" * 8)]
    for name, t in (("in", T_IN), ("out", T_OUT), ("flush", T_FLUSH), ("get_id", T_GET_ID),
                    ("discard", T_DISCARD), ("write_zeroes", T_WRITE_ZEROES)):
        entries.append((f"rec_hdr_{name}", bytes([0, 16, 0, 1, 0]) + struct.pack("<IIQ", t, 0, 0)))
    entries += [("rec_data_in", bytes([0, 128, 1, 1, 0])), ("rec_status", bytes([0, 1, 1, 0, 1])),
                ("rec_next", bytes([0, 16, 0, 1, 0])), ("rec_kick", bytes([0, 0, 0, 0, 1]))]
    return seedgen.dict_text(["# virtio-blk-flags-fuzz: feature masks, records (queue, length,",
                              "# write, next, kick) with request headers"], entries)


def verify_seed(build_dir, s, tmp):
    """Replays the seed's trace on emu-system, then reads each status byte."""
    try:
        ops, replies, args = seedgen.run_trace(build_dir, s.target, s.data, tmp)
    except RuntimeError as e:
        return [str(e)]
    script = "".join(l + "\n" for l in ops)
    script += "".join(f"read 0x{a:x} 0x{len(d):x}\n" for a, d in s.ram)
    run = subprocess.run([os.path.join(build_dir, "emu-system")] + args,
                         input=script, capture_output=True, text=True)
    out = [l for l in run.stdout.splitlines() if l.startswith(("OK", "ERR", "FAIL"))]
    if len(out) != len(ops) + len(s.ram):
        return [f"emu-system gave {len(out)} replies for {len(ops) + len(s.ram)} lines "
                f"(exit {run.returncode}: {run.stderr.strip()[:200]})"]
    problems = [f"replay: {line} -> {reply}, emu-afl traced {want}"
                for line, want, reply in zip(ops, replies, out) if reply != want]
    for (addr, data), reply in zip(s.ram, out[len(ops):]):
        parts = reply.split()
        ram = bytes.fromhex(parts[1][2:]) if len(parts) > 1 else b""
        if ram != data:
            problems.append(f"status at 0x{addr:x}: {ram.hex()}, expected {data.hex()}")
    return problems


def all_seeds(target):
    seeds = seeds_of(target)
    for s in seeds:
        s.target = target
    return seeds


if __name__ == "__main__":
    sys.exit(seedgen.main("virtio-flags-fuzz-seeds", __doc__, TARGETS, all_seeds, dictionary,
                          verify_seed))
