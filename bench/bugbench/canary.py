# SPDX-License-Identifier: MIT
"""The canaries' record ($EMU_CANARY_FILE): the layout of emu/canary.h."""
import os
import struct
from dataclasses import dataclass

MAGIC = b"EMUCANRY"
VERSION = 1
HEADER = struct.Struct("<8sII")
SLOT = struct.Struct("<II48sQQQQ")


@dataclass
class Canary:
    first_reached_ns: int = 0     # CLOCK_REALTIME; 0: never
    first_triggered_ns: int = 0
    reached: int = 0
    triggered: int = 0

    def merge(self, other):
        def first(a, b):
            return min(x for x in (a, b) if x) if (a or b) else 0
        self.first_reached_ns = first(self.first_reached_ns, other.first_reached_ns)
        self.first_triggered_ns = first(self.first_triggered_ns, other.first_triggered_ns)
        self.reached += other.reached
        self.triggered += other.triggered


def read(path):
    """{bug id: Canary}; {} when the file is missing or empty. Slots of one
    bug claimed by two racing processes are merged."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return {}
    if len(data) < HEADER.size:
        return {}
    magic, version, nslots = HEADER.unpack_from(data)
    if version == 0:
        return {}
    if magic != MAGIC or version != VERSION:
        raise ValueError(f"{path}: not a canary file of version {VERSION}")
    out = {}
    for i in range(nslots):
        off = HEADER.size + i * SLOT.size
        if off + SLOT.size > len(data):
            break
        state, _, name, fr, ft, r, t = SLOT.unpack_from(data, off)
        if state != 2:
            continue
        bug = name.split(b"\0", 1)[0].decode()
        out.setdefault(bug, Canary()).merge(Canary(fr, ft, r, t))
    return out


def fresh(path):
    """A new, empty record at path (the old one removed)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return path
