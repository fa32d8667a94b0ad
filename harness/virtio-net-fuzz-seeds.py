#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""harness/virtio-net-fuzz-seeds.py: the seeds and dictionary of the
structured target virtio-net-fuzz (harness/virtio-net-fuzz.c).

    virtio-net-fuzz-seeds.py --out DIR      writes DIR/NAME for each seed
    virtio-net-fuzz-seeds.py --dict FILE    writes the AFL++ dictionary
    virtio-net-fuzz-seeds.py --verify BUILD runs each seed on BUILD/emu-afl
                                            with a trace, replays the trace
                                            on BUILD/emu-system and checks
                                            the guest RAM the seed expects

The input is a list of records (docs/fuzz-input-format.md,
"virtio-net-fuzz"): descriptor chains laid into a queue's rings, kicks,
register writes and raw pokes. Queue q's rings are at 0x200000 * (q + 1):
descriptors +0, avail +0x1000, used +0x2000, buffers +0x20000 + 0x1000 *
slot. The set-up negotiates everything offered (mergeable buffers: the
receive header has num_buffers).
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedgen  # noqa: E402
from seedgen import le  # noqa: E402

TARGET = "virtio-net-fuzz"

VNET_MAC = bytes.fromhex("525400123456")
VNET_PEER = bytes.fromhex("525400abcdef")
VDESC_NEXT, VDESC_WRITE, VDESC_INDIRECT = 1, 2, 4
VNF_RXQ, VNF_TXQ, VNF_CTRLQ = 0, 1, 2


# ---------------------------------------------------------------------------
# Virtqueue and virtio-net pieces
# ---------------------------------------------------------------------------

def vdesc(addr, length, flags=0, nxt=0):
    return struct.pack("<QIHH", addr, length, flags, nxt)


def vnet_hdr(flags=0, gso=0, hdr_len=0, gso_size=0, csum_start=0, csum_off=0,
             num_buffers=0):
    return struct.pack("<BBHHHHH", flags, gso, hdr_len, gso_size, csum_start,
                       csum_off, num_buffers)


def vnet_frame(dst=VNET_MAC, payload=None, etype=0x0800):
    if payload is None:
        payload = bytes((i * 5) & 0xff for i in range(46))
    return dst + VNET_PEER + struct.pack(">H", etype) + payload


def vnet_csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def vnet_tcp4(payload, seq=1000, ident=0x1234, flags=0x19):
    """An Ethernet/IPv4/TCP frame to us (IP and TCP checksums left 0)."""
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), ident, 0x4000,
                     64, 6, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    tcp = struct.pack(">HHIIBBHHH", 40000, 80, seq, 0, 5 << 4, flags, 0xffff, 0, 0)
    return vnet_frame(payload=ip + tcp + payload)


def vnet_tso_segments(frame, mss):
    """What a TSO frame from vnet_tcp4 becomes: its segments, every IPv4
    and TCP field fixed (computed here, independently of the device)."""
    ip, tcp, payload = frame[14:34], frame[34:54], frame[54:]
    segs = []
    count = (len(payload) + mss - 1) // mss
    for i in range(count):
        part = payload[mss * i:mss * (i + 1)]
        h = bytearray(ip)
        struct.pack_into(">HH", h, 2, 40 + len(part), struct.unpack(">H", ip[4:6])[0] + i)
        struct.pack_into(">H", h, 10, 0)
        struct.pack_into(">H", h, 10, vnet_csum(bytes(h)))
        t = bytearray(tcp)
        struct.pack_into(">I", t, 4, struct.unpack(">I", tcp[4:8])[0] + mss * i)
        if i + 1 < count:
            t[13] &= ~0x09
        struct.pack_into(">H", t, 16, 0)
        pseudo = bytes(h[12:20]) + struct.pack(">BBH", 0, 6, 20 + len(part))
        struct.pack_into(">H", t, 16, vnet_csum(pseudo + bytes(t) + part))
        segs.append(frame[:14] + bytes(h) + bytes(t) + part)
    return segs


# ---------------------------------------------------------------------------
# Records (docs/fuzz-input-format.md, "virtio-net-fuzz") and the guest RAM
# layout the harness uses
# ---------------------------------------------------------------------------

def vnf_base(q):
    return 0x200000 * (q + 1)


def vnf_buf(q, slot):
    return vnf_base(q) + 0x20000 + 0x1000 * slot


def vnf_used(q, i):
    return vnf_base(q) + 0x2000 + 4 + 8 * i


def vnf_chain(q, descs, kick=False, indirect=False):
    """descs: (length, data) for readable, (length, None) for writable."""
    out = bytes([q << 2 | (0x10 if kick else 0) | (0x20 if indirect else 0),
                 len(descs) - 1])
    for length, data in descs:
        if data is None:
            out += bytes([1]) + le(length, 2)
        else:
            assert len(data) == length <= 0x1000
            out += bytes([0]) + le(length, 2) + data
    return out


def vnf_raw_desc(flags, length, nxt=None, data=b""):
    """A descriptor record entry with the harness's flag bits as given."""
    return bytes([flags]) + le(length, 2) + (bytes([nxt]) if nxt is not None else b"") + data


def vnf_kick(q):
    return bytes([1 | q << 2])


def vnf_reg(which, value=0):
    return bytes([2 | which << 2]) + le(value, 4)


def vnf_poke(q, area, off, data):
    return bytes([3 | q << 2 | area << 4]) + le(off, 2) + bytes([len(data)]) + data


def vnf_ctrl(cls, cmd, data=b""):
    return vnf_chain(VNF_CTRLQ, [(2 + len(data), bytes([cls, cmd]) + data), (1, None)])


# ---------------------------------------------------------------------------
# The seeds
# ---------------------------------------------------------------------------

class Seed:
    """One input: its bytes, and the guest RAM it must leave (checked by
    --verify)."""

    def __init__(self, name, doc):
        self.name = name
        self.doc = doc
        self.data = b""
        self.ram = []           # (addr, bytes) guest RAM after the input

    def expect_ram(self, addr, data):
        self.ram.append((addr, bytes(data)))


SEEDS = []


def seed(name):
    """Registers a seed: the function's docstring says what it does."""
    def register(fn):
        SEEDS.append((name, fn))
        return fn
    return register


def build(name, fn):
    s = Seed(name, " ".join((fn.__doc__ or "").split()))
    fn(s)
    return s


@seed("rx-tx-loopback")
def _(s):
    """A 2 KiB receive buffer, then a 60-byte frame to our MAC sent with a
    kick: it comes back with a 12-byte header (num_buffers 1), used length
    72."""
    frame = vnet_frame()
    s.data = (vnf_chain(VNF_RXQ, [(0x800, None)]) +
              vnf_chain(VNF_TXQ, [(12 + len(frame), vnet_hdr() + frame)], kick=True))
    s.expect_ram(vnf_used(VNF_RXQ, 0) - 2, struct.pack("<HII", 1, 0, 72))
    s.expect_ram(vnf_buf(VNF_RXQ, 0), vnet_hdr(num_buffers=1) + frame)


@seed("mergeable")
def _(s):
    """Three 64-byte receive chains take one 150-byte frame (sent as header
    and frame in two descriptors): num_buffers 3, lengths 64 64 34."""
    frame = vnet_frame(payload=bytes(range(136)))
    s.data = (b"".join(vnf_chain(VNF_RXQ, [(64, None)]) for _ in range(3)) +
              vnf_chain(VNF_TXQ, [(12, vnet_hdr()), (len(frame), frame)], kick=True))
    s.expect_ram(vnf_used(VNF_RXQ, 0) - 2, struct.pack("<HIIIIII", 3, 0, 64, 1, 64,
                                                       2, 12 + len(frame) - 128))
    s.expect_ram(vnf_buf(VNF_RXQ, 0), vnet_hdr(num_buffers=3) + frame[:52])
    s.expect_ram(vnf_buf(VNF_RXQ, 2), frame[116:])


@seed("ctrl-filters")
def _(s):
    """Control queue: RX_PROMISC off, MAC_TABLE_SET (one unicast
    02:00:00:00:00:01, no multicast), VLAN_ADD 5, NOBCAST on: four OK acks.
    Then frames to another MAC and a broadcast are dropped, one to the
    table's address and one tagged VLAN 5 to our MAC arrive."""
    table = le(1, 4) + bytes.fromhex("020000000001") + le(0, 4)
    data = (vnf_ctrl(0, 0, b"\0") + vnf_ctrl(1, 0, table) +
            vnf_ctrl(2, 0, le(5, 2)) + vnf_ctrl(0, 5, b"\1") + vnf_kick(VNF_CTRLQ))
    data += vnf_chain(VNF_RXQ, [(0x800, None)]) + vnf_chain(VNF_RXQ, [(0x800, None)])
    tagged = VNET_MAC + VNET_PEER + bytes.fromhex("810000050800") + bytes(46)
    for dst in (bytes.fromhex("020000000099"), b"\xff" * 6,
                bytes.fromhex("020000000001")):
        f = vnet_frame(dst)
        data += vnf_chain(VNF_TXQ, [(12 + len(f), vnet_hdr() + f)])
    data += vnf_chain(VNF_TXQ, [(12 + len(tagged), vnet_hdr() + tagged)], kick=True)
    s.data = data
    for i in range(4):
        s.expect_ram(vnf_buf(VNF_CTRLQ, 2 * i + 1), b"\0")
    s.expect_ram(vnf_used(VNF_CTRLQ, 0) - 2, le(4, 2))
    s.expect_ram(vnf_used(VNF_RXQ, 0) - 2, le(2, 2))
    s.expect_ram(vnf_buf(VNF_RXQ, 0) + 12, vnet_frame(bytes.fromhex("020000000001")))
    s.expect_ram(vnf_buf(VNF_RXQ, 1) + 12, tagged)


@seed("tso-indirect")
def _(s):
    """A TCPv4 TSO frame (NEEDS_CSUM, gso 1, MSS 1000, 2500 payload bytes)
    sent through an indirect table (header, frame): three segments come
    back into three receive buffers, with IP lengths, IDs and checksums,
    sequence numbers, FIN/PSH only on the last and TCP checksums fixed."""
    frame = vnet_tcp4(bytes((i * 7) & 0xff for i in range(2500)))
    hdr = vnet_hdr(1, 1, 54, 1000, 34, 16)
    data = b"".join(vnf_chain(VNF_RXQ, [(0x800, None)]) for _ in range(3))
    data += vnf_chain(VNF_TXQ, [(12, hdr), (len(frame), frame)], kick=True,
                      indirect=True)
    s.data = data
    for i, seg in enumerate(vnet_tso_segments(frame, 1000)):
        s.expect_ram(vnf_used(VNF_RXQ, i), struct.pack("<II", i, 12 + len(seg)))
        s.expect_ram(vnf_buf(VNF_RXQ, i) + 12, seg[:64])
        s.expect_ram(vnf_buf(VNF_RXQ, i) + 12 + len(seg) - 16, seg[-16:])


@seed("csum-event-idx")
def _(s):
    """A UDP frame with NEEDS_CSUM (start 34, offset 6): the checksum is
    completed on the way out. EVENT_IDX is negotiated: after the first
    round trip (always interrupted) the driver pokes used_event to 5 in
    both avail rings, so the second round trip raises nothing; avail_event
    in the transmit used ring follows the avail index (2)."""
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 32, 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack(">H", vnet_csum(ip)) + ip[12:]
    pseudo = ip[12:20] + struct.pack(">BBH", 0, 17, 12)
    udp = struct.pack(">HHHH", 1234, 5678, 12, ~vnet_csum(pseudo) & 0xffff) + b"ping"
    frame = vnet_frame(payload=ip + udp)
    full = vnet_csum(pseudo + udp[:6] + b"\0\0" + udp[8:])
    done = frame[:40] + struct.pack(">H", full) + frame[42:]
    tx = vnf_chain(VNF_TXQ, [(12 + len(frame), vnet_hdr(1, 0, 0, 0, 34, 6) + frame)],
                   kick=True)
    data = vnf_chain(VNF_RXQ, [(0x800, None)]) + tx
    data += vnf_poke(VNF_RXQ, 1, 4 + 2 * 256, le(5, 2))
    data += vnf_poke(VNF_TXQ, 1, 4 + 2 * 256, le(5, 2))
    data += vnf_chain(VNF_RXQ, [(0x800, None)]) + tx
    s.data = data
    s.expect_ram(vnf_buf(VNF_RXQ, 0) + 12, done)
    s.expect_ram(vnf_buf(VNF_RXQ, 1) + 12, done)
    s.expect_ram(vnf_used(VNF_RXQ, 0) - 2, le(2, 2))
    s.expect_ram(vnf_base(VNF_TXQ) + 0x2000 + 4 + 8 * 256, le(2, 2))


@seed("bad-chain-reinit")
def _(s):
    """A transmit chain whose second descriptor points back at the first
    (a loop): NEEDS_RESET, the queue stops. The bring-up record then
    resets the device and sets it up again; a round trip works."""
    loop = (bytes([VNF_TXQ << 2 | 0x10, 1]) + vnf_raw_desc(0, 12, None, vnet_hdr()) +
            vnf_raw_desc(2, 4, 0, b"abcd"))
    frame = vnet_frame()
    s.data = (loop + vnf_reg(12) +
              vnf_chain(VNF_RXQ, [(0x800, None)]) +
              vnf_chain(VNF_TXQ, [(12 + len(frame), vnet_hdr() + frame)], kick=True))
    s.expect_ram(vnf_used(VNF_RXQ, 0) - 2, struct.pack("<HII", 1, 0, 72))
    s.expect_ram(vnf_buf(VNF_RXQ, 0) + 12, frame)


# ---------------------------------------------------------------------------
# The dictionary
# ---------------------------------------------------------------------------

def dictionary():
    """The AFL++ dictionary: record headers and the values chains carry."""
    entries = [("chain_rx", vnf_chain(VNF_RXQ, [(0x800, None)])),
               ("chain_rx_small", vnf_chain(VNF_RXQ, [(64, None)])),
               ("chain_tx_kick", bytes([VNF_TXQ << 2 | 0x10, 0])),
               ("chain_tx_2", bytes([VNF_TXQ << 2 | 0x10, 1])),
               ("chain_tx_indirect", bytes([VNF_TXQ << 2 | 0x30, 1])),
               ("chain_ctrl", bytes([VNF_CTRLQ << 2 | 0x10, 1])),
               ("desc_hdr12", vnf_raw_desc(0, 12)), ("desc_w2k", vnf_raw_desc(1, 0x800)),
               ("desc_loop", vnf_raw_desc(2, 4, 0)), ("desc_nested", vnf_raw_desc(8, 16)),
               ("kick_rx", vnf_kick(VNF_RXQ)), ("kick_tx", vnf_kick(VNF_TXQ)),
               ("kick_ctrl", vnf_kick(VNF_CTRLQ)),
               ("reg_status_0", vnf_reg(0, 0)), ("reg_status_ok", vnf_reg(0, 0xf)),
               ("reg_q_reset", vnf_reg(5, 1)), ("reg_q_enable_0", vnf_reg(4, 0)),
               ("reg_isr", vnf_reg(11)), ("reg_bring_up", vnf_reg(12)),
               ("poke_avail_idx", vnf_poke(VNF_TXQ, 1, 2, le(0x100, 2))),
               ("poke_used_event", vnf_poke(VNF_RXQ, 1, 4 + 512, le(0, 2))),
               ("poke_desc", vnf_poke(VNF_TXQ, 0, 0, vdesc(0, 0x10000, VDESC_NEXT, 300))),
               ("hdr_plain", vnet_hdr()), ("hdr_csum", vnet_hdr(1, 0, 0, 0, 34, 6)),
               ("hdr_tso4", vnet_hdr(1, 1, 54, 1000, 34, 16)),
               ("hdr_tso6", vnet_hdr(1, 4, 74, 1000, 54, 16)),
               ("hdr_ufo", vnet_hdr(1, 3, 42, 1000, 34, 6)),
               ("hdr_ecn", vnet_hdr(1, 0x81, 54, 100, 34, 16)),
               ("ctrl_promisc_off", b"\x00\x00\x00"), ("ctrl_nobcast", b"\x00\x05\x01"),
               ("ctrl_mac_addr", b"\x01\x01" + VNET_MAC),
               ("ctrl_mac_table", b"\x01\x00" + le(1, 4) + VNET_PEER + le(0, 4)),
               ("ctrl_vlan_add", b"\x02\x00\x05\x00"), ("ctrl_offloads", b"\x05\x00"),
               ("eth_to_us", VNET_MAC + VNET_PEER + b"\x08\x00"),
               ("eth_bcast", b"\xff" * 6), ("eth_mcast", bytes.fromhex("01005e000001")),
               ("eth_vlan", b"\x81\x00\x00\x05"), ("eth_ipv6", b"\x86\xdd"),
               ("ipv4_tcp", bytes.fromhex("450005dc00004000400600")),
               ("ipv6_tcp", bytes.fromhex("6000000005a80640"))]
    lines = ["# AFL++ dictionary for virtio-net-fuzz, written by "
             "harness/virtio-net-fuzz-seeds.py:",
             "# record headers (chains, kicks, registers, pokes), descriptor",
             "# entries, virtio-net headers, control commands and frame",
             "# pieces. See docs/fuzz-input-format.md, \"virtio-net-fuzz\"."]
    return seedgen.dict_text(lines, entries)


# ---------------------------------------------------------------------------
# Output and verification
# ---------------------------------------------------------------------------

def all_seeds():
    return [build(name, fn) for name, fn in SEEDS]


def verify_seed(build_dir, s, tmp):
    """Replays the seed's trace on emu-system with a read of each RAM range
    the seed expects; returns a list of problems."""
    try:
        ops, replies, args = seedgen.run_trace(build_dir, TARGET, s.data, tmp)
        got = list(zip(ops, replies))
    except RuntimeError as e:
        return [str(e)]
    script = "".join(l + "\n" for l, _ in got)
    script += "".join(f"read 0x{a:x} 0x{len(d):x}\n" for a, d in s.ram)
    run = subprocess.run([os.path.join(build_dir, "emu-system")] + args,
                         input=script, capture_output=True, text=True)
    out = [l for l in run.stdout.splitlines() if l.startswith(("OK", "ERR", "FAIL"))]
    if len(out) != len(got) + len(s.ram):
        return [f"emu-system gave {len(out)} replies for {len(got) + len(s.ram)} "
                f"lines (exit {run.returncode}: {run.stderr.strip()[:200]})"]
    problems = []
    for (line, want), reply in zip(got, out):
        if reply != want:
            problems.append(f"replay: {line} -> {reply}, emu-afl traced {want}")
    for (addr, data), reply in zip(s.ram, out[len(got):]):
        parts = reply.split()
        ram = bytes.fromhex(parts[1][2:]) if len(parts) > 1 else b""
        if ram != data:
            problems.append(f"RAM 0x{addr:x}: {ram.hex()}, expected {data.hex()}")
    return problems


if __name__ == "__main__":
    sys.exit(seedgen.main("virtio-net-fuzz-seeds", __doc__, [TARGET],
                          lambda target: all_seeds(), lambda target: dictionary(),
                          verify_seed))
