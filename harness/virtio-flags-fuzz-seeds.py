#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""harness/virtio-flags-fuzz-seeds.py: the seeds and dictionaries of the
structured targets virtio-blk-flags-fuzz, virtio-scsi-flags-fuzz and
virtio-scsi-fuzz (harness/virtio-flags-fuzz.c).

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
the features it takes, on split rings and on packed ones; for virtio-scsi,
what Linux's virtio_scsi and sd/sr send when they probe a disk and a CD.
virtio-scsi-fuzz's records are whole requests (queue, LUN, CDB, data-out,
data-in length): the harness lays header, data-out, response and data-in.
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedgen  # noqa: E402

TARGETS = ["virtio-blk-flags-fuzz", "virtio-scsi-flags-fuzz", "virtio-scsi-fuzz"]
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


# virtio_scsi: HOTPLUG, CHANGE; VERSION_1; RING_PACKED when asked.
SCSI_LINUX = 0x30000006 | 1 << 32
SCSI_PACKED = SCSI_LINUX | 1 << 34
LUN0 = bytes([1, 0, 0x40, 0, 0, 0, 0, 0])
INQUIRY = bytes.fromhex("120000002400")
REPORT_LUNS = bytes.fromhex("a0000000000000000100" "0000")
TUR = bytes(6)
READ_CAP10 = bytes.fromhex("25000000000000000000")
READ10 = bytes.fromhex("28000000000000000100")
WRITE10_8 = bytes.fromhex("2a000000000800000100")
MODE_SENSE6 = bytes.fromhex("1a003f00ff00")
REQUEST_SENSE = bytes.fromhex("030000001200")


class ScsiSeed(Seed):
    def scsi(self, cdb, data_in=0, out=b"", lun=LUN0, queue=2, status=0):
        """A virtio-scsi request as one chain: the header (LUN, tag, task
        attribute, the CDB in 32 bytes), data-out, the response (108 bytes),
        data-in in 128-byte buffers; its status byte and response checked."""
        self.tag = getattr(self, "tag", 0) + 1
        hdr = lun + struct.pack("<QBBB", self.tag, 0, 0, 0) + cdb.ljust(32, b"\0")
        self.record(hdr, nxt=True, queue=queue)
        for i in range(0, len(out), 128):
            self.record(out[i:i + 128], nxt=True, queue=queue)
        resp = self.record(b"\xee" * 108, write=True, nxt=bool(data_in), kick=not data_in,
                           queue=queue)
        while data_in:
            n = min(128, data_in)
            data_in -= n
            self.record(bytes(n), write=True, nxt=bool(data_in), kick=not data_in, queue=queue)
        self.ram.append((resp + 10, bytes([status, 0])))


class ReqSeed:
    """A virtio-scsi-fuzz input: records of whole requests."""
    def __init__(self, name, doc):
        self.name, self.doc, self.data, self.ram = name, doc, b"", []
        self.buf, self.n = BUF_BASE, 0

    def alloc(self, n):
        addr = self.buf
        self.buf += (n + 15) & ~15
        return addr

    def req(self, cdb, data_in=0, out=b"", lunsel=0, queue=2, kick=True, status=0):
        self.n += 1
        self.data += bytes([queue, int(kick) | lunsel << 1, len(cdb)]) + \
            struct.pack("<HH", len(out), data_in) + cdb + out
        self.alloc(51)
        if out:
            self.alloc(len(out))
        resp = self.alloc(108)
        if data_in:
            self.alloc(data_in)
        self.ram.append((resp + 10, bytes([status, 0])))


def scsi_flags_seeds():
    out = []
    for ring, mask in (("split", SCSI_LINUX), ("packed", SCSI_PACKED)):
        s = ScsiSeed(f"probe-{ring}", "virtio_scsi and sd probing LUN 0: INQUIRY, REPORT LUNS, "
                     f"TEST UNIT READY (the unit attention), READ CAPACITY(10), {ring} ring", mask)
        s.scsi(INQUIRY, 36)
        s.scsi(REPORT_LUNS, 256)
        s.scsi(TUR, status=2)
        s.scsi(READ_CAP10, 8)
        out.append(s)
        s = ScsiSeed(f"read-write-{ring}", "the partition scan's READ(10) of block 0 and a "
                     f"WRITE(10) of block 8 (after the unit attention), {ring} ring", mask)
        s.scsi(TUR, status=2)
        s.scsi(READ10, 512)
        s.scsi(WRITE10_8, out=pattern(512))
        s.scsi(MODE_SENSE6, 255)
        out.append(s)
    return out


def scsi_req_seeds():
    out = []
    s = ReqSeed("sd-probe", "sd's probe of the disk (target 0): INQUIRY, REPORT LUNS, TEST UNIT "
                "READY with its unit attention, REQUEST SENSE, READ CAPACITY(10), the VPD pages "
                "list, MODE SENSE(6) of every page")
    s.req(INQUIRY, 36)
    s.req(REPORT_LUNS, 256)
    s.req(TUR, status=2)
    s.req(REQUEST_SENSE, 18)
    s.req(READ_CAP10, 8)
    s.req(bytes.fromhex("120100000400"), 4)                 # VPD 00h
    s.req(MODE_SENSE6, 255)
    out.append(s)
    s = ReqSeed("sd-read-write", "after the unit attention: READ(10) of block 0, WRITE(10) of "
                "two blocks at 8, READ(16) of them, SYNCHRONIZE CACHE(10), on the second "
                "request queue for the last two")
    s.req(TUR, status=2)
    s.req(READ10, 512)
    s.req(bytes.fromhex("2a000000000800000200"), out=pattern(1024))
    s.req(bytes.fromhex("88000000000000000008000000020000"), 1024, queue=3)
    s.req(bytes.fromhex("35000000000000000000"), queue=3)
    out.append(s)
    s = ReqSeed("sr-probe", "sr's probe of the CD (target 1): INQUIRY, TEST UNIT READY with its "
                "unit attention, GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, READ TOC, "
                "READ CAPACITY, READ(10) of one 2048-byte block")
    s.req(INQUIRY, 36, lunsel=1)
    s.req(TUR, lunsel=1, status=2)
    s.req(bytes.fromhex("460000000000000000080000"), 8, lunsel=1)
    s.req(bytes.fromhex("4a01000010000000000800"), 8, lunsel=1)
    s.req(bytes.fromhex("43000000000000000c0000"[:24]), 12, lunsel=1)
    s.req(READ_CAP10, 8, lunsel=1)
    s.req(bytes.fromhex("28000000001000000100"), 2048, lunsel=1)
    out.append(s)
    s = ReqSeed("lun-errors", "requests the driver can get wrong: LUN 1 (no device: INQUIRY "
                "gives the qualifier), a CDB of a reserved group, READ(10) past the medium, "
                "then a task management ABORT TASK on the control queue")
    s.req(INQUIRY, 36, lunsel=2)
    s.req(bytes.fromhex("c0000000000000000000"), status=2)
    s.req(bytes.fromhex("2800ffffff0000000100"), 512, status=2)
    s.data += bytes([0, 1, 0]) + struct.pack("<HH", 0, 0)   # a bare control-queue record
    out.append(s)
    return out


def seeds_of(target):
    if target == "virtio-scsi-flags-fuzz":
        return scsi_flags_seeds()
    if target == "virtio-scsi-fuzz":
        return scsi_req_seeds()
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
    if target != "virtio-blk-flags-fuzz":
        entries = [("mask_linux", struct.pack("<Q", SCSI_LINUX)),
                   ("mask_packed", struct.pack("<Q", SCSI_PACKED)), ("lun0", LUN0),
                   ("lun_t1", bytes([1, 1, 0x40, 0])), ("lun_l1", bytes([1, 0, 0x40, 1]))]
        for name, cdb in (("inquiry", INQUIRY), ("report_luns", REPORT_LUNS), ("tur", TUR),
                          ("read_cap10", READ_CAP10), ("read10", READ10), ("write10", WRITE10_8),
                          ("mode_sense6", MODE_SENSE6), ("request_sense", REQUEST_SENSE)):
            entries.append((f"cdb_{name}", cdb))
            if target == "virtio-scsi-fuzz":
                entries.append((f"rec_{name}", bytes([2, 1, len(cdb)]) + bytes(4)))
        return seedgen.dict_text([f"# {target}: feature masks, LUN fields, CDBs a driver sends"],
                                 entries)
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
