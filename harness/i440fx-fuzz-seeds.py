#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""harness/i440fx-fuzz-seeds.py: the seeds and dictionaries of the
structured targets i440fx-qtest-reboot-fuzz and i440fx-qos-noreset-fuzz
(harness/i440fx-fuzz.c).

    i440fx-fuzz-seeds.py --target NAME --out DIR      writes DIR/SEED
    i440fx-fuzz-seeds.py --target NAME --dict FILE    the AFL++ dictionary
    i440fx-fuzz-seeds.py --target NAME --verify BUILD runs each seed on
        BUILD/emu-afl with a trace, checks that the trace holds exactly the
        port accesses the records describe, with the replies the seed
        expects, replays it on BUILD/emu-system, then checks what is left
        after the input (reset values after the reboot target's reboot,
        the seed's writes still there on the noreset one)

Both targets reach the host bridge's configuration mechanism #1. Records
(docs/fuzz-input-format.md):

    i440fx-qtest-reboot-fuzz  8 bytes: op, addr, 2 pad, value32; op % 6:
                              outb outw outl inb inw inl; port 0xcf8 if addr
                              is odd, else 0xcfc
    i440fx-qos-noreset-fuzz   12 bytes: op, offset, 2 pad, devfn32, value32;
                              op % 6: config write 1/2/4, read 1/2/4

The seeds follow SeaBIOS's first minutes on a pc (src/hw/pci.c and
src/fw/pciinit.c, shadow.c, smm.c): the bus walk, BAR sizing, the shadow
RAM (PAM) and SMRAM registers of 00.0, PIIX3's PIRQ routing at 01.0.
Multi-byte values are little-endian.
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedgen  # noqa: E402
from seedgen import le  # noqa: E402


REBOOT = "i440fx-qtest-reboot-fuzz"
QOS = "i440fx-qos-noreset-fuzz"
TARGETS = (REBOOT, QOS)

CONF_ADDR, CONF_DATA, CONF_ENABLE = 0xcf8, 0xcfc, 0x80000000
RCR, RCR_HARD = 0xcf9, 0x06
WIDTHS = (1, 2, 4)

# The pc machine's functions, as a firmware finds them
I440FX, PIIX3, PIIX3_IDE = 0x00, 0x08, 0x09  # 00.0, 01.0 and 01.1
PIIX4_PM = 0x0b                              # 01.3
ID_I440FX, ID_PIIX3, ID_PIIX3_IDE = 0x12378086, 0x70008086, 0x70108086
ID_PIIX4_PM = 0x71138086
CLASSREV_I440FX, CLASSREV_PIIX3 = 0x06000002, 0x06010000
CLASSREV_PIIX3_IDE, CLASSREV_PIIX4_PM = 0x01018000, 0x06800003
PRESENT = {I440FX: 0x00, PIIX3: 0x80, PIIX3_IDE: 0x00, PIIX4_PM: 0x00}  # devfn: header type
# Config registers
PCI_VENDOR_ID, PCI_COMMAND, PCI_CLASS_REVISION = 0x00, 0x04, 0x08
PCI_HEADER_TYPE, PCI_BAR0, PCI_ROM, PCI_INT_PIN = 0x0e, 0x10, 0x30, 0x3d
I440FX_RAM_SIZE, I440FX_PAM0, I440FX_SMRAM = 0x57, 0x59, 0x72
SMRAM_C_BASE_A, SMRAM_G_SMRAME, SMRAM_D_LCK, SMRAM_D_OPEN = 0x02, 0x08, 0x10, 0x40
PIIX3_PIRQRC = 0x60
SEABIOS_PIRQS = (10, 10, 11, 11)             # SeaBIOS's pci_irqs[]


def reply_in(value):
    """emu-system's (and QEMU's) reply to an inX."""
    return f"OK 0x{value:04x}"


def width_char(width):
    return {1: "b", 2: "w", 4: "l"}[width]


# ---------------------------------------------------------------------------
# Records, and the port accesses each one makes (the trace lines)
# ---------------------------------------------------------------------------

def port_record(op, addr, value=0):
    return struct.pack("<BBHI", op, addr, 0, value & 0xffffffff)


def conf_record(op, offset, devfn, value=0):
    return struct.pack("<BBHiI", op, offset, 0, devfn, value & 0xffffffff)


def op_of(is_read, width):
    return (3 if is_read else 0) + WIDTHS.index(width)


class Seed:
    """One input for one target: its records, the trace lines they must
    make (with the reply, or None where any value is fine), and lines to
    run after the input with their replies (--verify)."""

    def __init__(self, target, name, doc):
        self.target = target
        self.name = name
        self.doc = doc
        self.data = b""
        self.lines = []
        self.after = []

    # Raw port accesses: the reboot target's records
    def port_out(self, port, width, value):
        assert self.target == REBOOT and port in (CONF_ADDR, CONF_DATA)
        self.data += port_record(op_of(False, width), port == CONF_ADDR, value)
        self._access(False, port, width, value)

    def port_in(self, port, width, want=None):
        assert self.target == REBOOT and port in (CONF_ADDR, CONF_DATA)
        self.data += port_record(op_of(True, width), port == CONF_ADDR)
        self._access(True, port, width, want=want)

    def _access(self, is_read, port, width, value=0, want=None):
        """The trace line of one port access and its expected reply."""
        if is_read:
            self.lines.append((f"in{width_char(width)} 0x{port:x}",
                               None if want is None else reply_in(want)))
        else:
            value &= (1 << (8 * width)) - 1
            self.lines.append((f"out{width_char(width)} 0x{port:x} 0x{value:x}", "OK"))

    # Config accesses as libqos makes them: the address, with the whole
    # offset (low bits too), to 0xcf8, then the access at 0xcfc. On the
    # reboot target that is two records; on the noreset one a record the
    # harness turns into the same two accesses.
    def _cfg(self, is_read, devfn, offset, width, value=0, want=None):
        select = (CONF_ENABLE | devfn << 8 | offset) & 0xffffffff
        if self.target == REBOOT:
            self.port_out(CONF_ADDR, 4, select)
            if is_read:
                self.port_in(CONF_DATA, width, want)
            else:
                self.port_out(CONF_DATA, width, value)
            return
        self.data += conf_record(op_of(is_read, width), offset, devfn, value)
        self._access(False, CONF_ADDR, 4, select)
        self._access(is_read, CONF_DATA, width, value, want)

    def cfg_write(self, devfn, offset, width, value):
        self._cfg(False, devfn, offset, width, value=value)

    def cfg_read(self, devfn, offset, width, want=None):
        self._cfg(True, devfn, offset, width, want=want)

    def expect_after(self, devfn, offset, width, reboot_value, noreset_value):
        """A config read run after the input: reset values on the reboot
        target, what the input left on the noreset one."""
        want = reboot_value if self.target == REBOOT else noreset_value
        self.after.append((f"outl 0xcf8 0x{CONF_ENABLE | devfn << 8 | offset:x}", "OK"))
        self.after.append((f"in{width_char(width)} 0xcfc", reply_in(want)))

    def finish(self):
        """The reboot target's last op: the reset through PIIX3."""
        if self.target == REBOOT:
            self._access(False, RCR, 1, RCR_HARD)
        return self


SEEDS = []


def seed(name, targets=TARGETS):
    """Registers a seed for the targets: the docstring says what it does."""
    def register(fn):
        SEEDS.append((name, targets, fn))
        return fn
    return register


def seeds_of(target):
    out = []
    for name, targets, fn in SEEDS:
        if target in targets:
            s = Seed(target, name, " ".join((fn.__doc__ or "").split()))
            fn(s)
            out.append(s.finish())
    return out


# ---------------------------------------------------------------------------
# The seeds: SeaBIOS on the pc machine
# ---------------------------------------------------------------------------

IDENT = {I440FX: (ID_I440FX, CLASSREV_I440FX), PIIX3: (ID_PIIX3, CLASSREV_PIIX3),
         PIIX3_IDE: (ID_PIIX3_IDE, CLASSREV_PIIX3_IDE),
         PIIX4_PM: (ID_PIIX4_PM, CLASSREV_PIIX4_PM)}


def seabios_next(s, devfn):
    """SeaBIOS's pci_next on bus 0: past a single-function device's
    function 0 to the next slot (its header type says so), else to the next
    function; then the vendor word of each candidate until one answers.
    Returns the devfn found, or None past the bus."""
    if devfn >= 0 and devfn % 8 == 0:
        s.cfg_read(devfn, PCI_HEADER_TYPE, 1, PRESENT[devfn])
    devfn += 8 if devfn >= 0 and devfn % 8 == 0 and not PRESENT[devfn] & 0x80 else 1
    while devfn < 256:
        s.cfg_read(devfn, PCI_VENDOR_ID, 2, IDENT[devfn][0] & 0xffff
                   if devfn in PRESENT else 0xffff)
        if devfn in PRESENT:
            return devfn
        devfn += 8 if devfn % 8 == 0 else 1
    return None


@seed("probe-bus")
def _(s):
    """SeaBIOS's pci_probe_devices on bus 0: the walk of pci_next (the
    vendor word of each candidate, 0xffff where nothing answers; the
    header type of each function 0, PIIX3's 0x80 making 01.1-01.7
    candidates: the IDE function at 01.1, the ACPI function at 01.3), and
    per function found its vendor and device, class and
    revision, and header type."""
    devfn = seabios_next(s, -1)
    while devfn is not None:
        s.cfg_read(devfn, PCI_VENDOR_ID, 4, IDENT[devfn][0])
        s.cfg_read(devfn, PCI_CLASS_REVISION, 4, IDENT[devfn][1])
        s.cfg_read(devfn, PCI_HEADER_TYPE, 1, PRESENT[devfn])
        devfn = seabios_next(s, devfn)


@seed("bar-sizing")
def _(s):
    """pci_bios_get_bar on 00.0 and 01.0: each of the six BARs and the
    expansion ROM BAR read, written with all ones (the ROM BAR without its
    enable bit), read back (0: not implemented, neither bridge decodes
    any) and restored; then the interrupt pin (none) and the command
    register set to I/O and memory decoding, as pci_bios_init_device."""
    for devfn in (I440FX, PIIX3):
        for reg in [PCI_BAR0 + 4 * i for i in range(6)] + [PCI_ROM]:
            s.cfg_read(devfn, reg, 4, 0)
            s.cfg_write(devfn, reg, 4, 0xfffffffe if reg == PCI_ROM else 0xffffffff)
            s.cfg_read(devfn, reg, 4, 0)
            s.cfg_write(devfn, reg, 4, 0)
        s.cfg_read(devfn, PCI_INT_PIN, 1, 0)
        s.cfg_read(devfn, PCI_COMMAND, 2, 0)
        s.cfg_write(devfn, PCI_COMMAND, 2, 0x0103)
        s.cfg_read(devfn, PCI_COMMAND, 2, 0x0103)
    s.expect_after(PIIX3, PCI_COMMAND, 2, 0, 0x0103)


@seed("pam-shadow")
def _(s):
    """Shadow RAM on 00.0 as SeaBIOS's make_bios_writable_intel: PAM0 read
    (0: 0xf0000 reads go to PCI, the BIOS ROM), PAM1-PAM6 set to 0x33 (RAM
    read and write for 0xc0000-0xeffff), PAM0 to 0x30; read back as two
    dwords; then make_bios_readonly_intel: PAM1 (the VGA ROM at 0xc0000)
    0x11 and PAM0 0x10, read-only. The RAM size register (0x57) counts
    8 MiB units."""
    ram_mib = 128 if s.target == REBOOT else 64
    s.cfg_read(I440FX, I440FX_RAM_SIZE, 1, ram_mib // 8)
    s.cfg_read(I440FX, I440FX_PAM0, 1, 0)
    for i in range(1, 7):
        s.cfg_write(I440FX, I440FX_PAM0 + i, 1, 0x33)
    s.cfg_write(I440FX, I440FX_PAM0, 1, 0x30)
    s.cfg_read(I440FX, 0x58, 4, 0x33333000)
    s.cfg_read(I440FX, 0x5c, 4, 0x33333333)
    s.cfg_write(I440FX, I440FX_PAM0 + 1, 1, 0x11)
    s.cfg_write(I440FX, I440FX_PAM0, 1, 0x10)
    s.cfg_read(I440FX, I440FX_PAM0, 2, 0x1110)
    s.expect_after(I440FX, 0x58, 4, 0, 0x33111000)


@seed("smram")
def _(s):
    """SMRAM control of 00.0 as SeaBIOS's smm_setup: read (0x02, the A
    segment, closed), opened with G_SMRAME and D_OPEN (0x4a) to copy the
    handler to 0xa8000, closed (0x0a), then locked with D_LCK (0x1a); each
    read back; a word at 0x72 reads the reserved byte above it too (0)."""
    s.cfg_read(I440FX, I440FX_SMRAM, 1, SMRAM_C_BASE_A)
    for val in (SMRAM_C_BASE_A | SMRAM_G_SMRAME | SMRAM_D_OPEN,
                SMRAM_C_BASE_A | SMRAM_G_SMRAME,
                SMRAM_C_BASE_A | SMRAM_G_SMRAME | SMRAM_D_LCK):
        s.cfg_write(I440FX, I440FX_SMRAM, 1, val)
        s.cfg_read(I440FX, I440FX_SMRAM, 1, val)
    s.cfg_read(I440FX, I440FX_SMRAM, 2, 0x001a)
    s.expect_after(I440FX, I440FX_SMRAM, 1, SMRAM_C_BASE_A, 0x1a)


@seed("pirq-routing")
def _(s):
    """PIIX3 (01.0) PIRQ routing as SeaBIOS's piix_isa_bridge_setup: the
    four route registers read (0x80 each: disabled), PIRQA-D sent to IRQs
    10, 10, 11, 11, read back as one dword; then a route disabled again
    (PIRQD 0x80) and the top of memory register (0x69) read."""
    s.cfg_read(PIIX3, PIIX3_PIRQRC, 4, 0x80808080)
    for i, irq in enumerate(SEABIOS_PIRQS):
        s.cfg_write(PIIX3, PIIX3_PIRQRC + i, 1, irq)
    s.cfg_read(PIIX3, PIIX3_PIRQRC, 4, 0x0b0b0a0a)
    s.cfg_write(PIIX3, PIIX3_PIRQRC + 3, 1, 0x80)
    s.cfg_read(PIIX3, PIIX3_PIRQRC + 2, 2, 0x800b)
    s.cfg_read(PIIX3, 0x69, 1, 0x02)
    s.expect_after(PIIX3, PIIX3_PIRQRC, 4, 0x80808080, 0x800b0a0a)


@seed("latch", targets=(REBOOT,))
def _(s):
    """CONFIG_ADDRESS itself: latched by a 32-bit write only (a byte or
    word write to 0xcf8 is ignored), read back by inl 0xcf8; with the
    enable bit clear the data port reads all ones. The reboot clears it."""
    s.port_out(CONF_ADDR, 4, CONF_ENABLE | PIIX3 << 8)
    s.port_in(CONF_ADDR, 4, CONF_ENABLE | PIIX3 << 8)
    s.port_out(CONF_ADDR, 1, 0x59)
    s.port_out(CONF_ADDR, 2, 0x0059)
    s.port_in(CONF_ADDR, 4, CONF_ENABLE | PIIX3 << 8)
    s.port_in(CONF_DATA, 4, ID_PIIX3)
    s.port_out(CONF_ADDR, 4, PIIX3 << 8)
    s.port_in(CONF_DATA, 4, 0xffffffff)
    s.port_in(CONF_DATA, 1, 0xff)


@seed("devfn-range", targets=(QOS,))
def _(s):
    """devfn is a full 32-bit field shifted left by 8: 0x100 lands in the
    bus number (bus 1: nothing answers), -1 sets every bus and reserved
    bit; sub-dword reads at unaligned offsets (the host bridge keeps the
    offset's low bits) and a dword read across the device ID."""
    s.cfg_read(0x100, PCI_VENDOR_ID, 4, 0xffffffff)
    s.cfg_read(-1, PCI_VENDOR_ID, 2, 0xffff)
    s.cfg_write(0x108, PIIX3_PIRQRC, 1, 5)
    s.cfg_read(PIIX3, PIIX3_PIRQRC, 1, 0x80)
    s.cfg_read(PIIX3, PCI_VENDOR_ID + 1, 1, 0x80)
    s.cfg_read(PIIX3, PCI_VENDOR_ID + 3, 1, 0x70)
    s.cfg_read(I440FX, PCI_VENDOR_ID + 2, 4, None)


# ---------------------------------------------------------------------------
# The dictionaries
# ---------------------------------------------------------------------------

REGS = [("id_00", I440FX, PCI_VENDOR_ID), ("id_01", PIIX3, PCI_VENDOR_ID),
        ("cmd_01", PIIX3, PCI_COMMAND), ("class_00", I440FX, PCI_CLASS_REVISION),
        ("hdr_01", PIIX3, PCI_HEADER_TYPE), ("bar0_01", PIIX3, PCI_BAR0),
        ("rom_01", PIIX3, PCI_ROM), ("ram_size", I440FX, I440FX_RAM_SIZE),
        ("pam0", I440FX, I440FX_PAM0), ("pam5", I440FX, I440FX_PAM0 + 5),
        ("smram", I440FX, I440FX_SMRAM), ("pirq", PIIX3, PIIX3_PIRQRC),
        ("tom", PIIX3, 0x69), ("id_01_1", PIIX3 + 1, PCI_VENDOR_ID)]
VALUES = [("ones", 0xffffffff), ("rom_size", 0xfffffffe), ("pam_rw", 0x33),
          ("pam0_rw", 0x30), ("pam_ro", 0x11), ("smram_open", 0x4a),
          ("smram_lock", 0x1a), ("pirqs", 0x0b0b0a0a), ("cmd_io_mem", 0x0103)]


def dictionary(target):
    entries = []
    if target == REBOOT:
        for name, op in (("outb", 0), ("outw", 1), ("outl", 2), ("inb", 3),
                         ("inw", 4), ("inl", 5)):
            entries.append((f"{name}_cfc", port_record(op, 0)))
        entries.append(("inl_cf8", port_record(5, 1)))
        for name, devfn, off in REGS:
            select = CONF_ENABLE | devfn << 8 | off
            entries.append((f"select_{name}", port_record(2, 1, select)))
    else:
        for name, devfn, off in REGS:
            entries.append((f"write1_{name}", conf_record(0, off, devfn)[:8]))
            entries.append((f"read4_{name}", conf_record(5, off, devfn)))
        for name, devfn in (("devfn_00", 0), ("devfn_01", PIIX3),
                            ("devfn_01_1", PIIX3 + 1), ("devfn_bus1", 0x100),
                            ("devfn_all", -1)):
            entries.append((name, struct.pack("<i", devfn)))
    for name, value in VALUES:
        entries.append((f"val_{name}", le(value, 4)))
    lines = [f"# AFL++ dictionary for {target}, written by harness/i440fx-fuzz-seeds.py:",
             "# whole records and record heads for the registers a firmware",
             "# uses, devfns and values. See docs/fuzz-input-format.md."]
    return seedgen.dict_text(lines, entries)


# ---------------------------------------------------------------------------
# Output and verification
# ---------------------------------------------------------------------------

def check_trace(s, ops, got):
    """The trace against the lines the records describe."""
    problems = []
    if len(ops) != len(s.lines):
        problems.append(f"{len(ops)} trace lines, the records describe {len(s.lines)}")
    for i, ((line, want), op, reply) in enumerate(zip(s.lines, ops, got)):
        if op != line:
            problems.append(f"line {i}: traced '{op}', the records describe '{line}'")
        elif want is not None and reply != want:
            problems.append(f"line {i}: {line} -> {reply}, the seed expects {want}")
    return problems


def verify_seed(build_dir, s, tmp):
    try:
        ops, got, args = seedgen.run_trace(build_dir, s.target, s.data, tmp)
    except RuntimeError as e:
        return [str(e)]
    problems = check_trace(s, ops, got)
    script = "".join(l + "\n" for l in ops) + "".join(l + "\n" for l, _ in s.after)
    cmd = [os.path.join(build_dir, "emu-system")] + args + ["-qtest", "stdio"]
    run = subprocess.run(cmd, input=script, capture_output=True, text=True)
    out = run.stdout.splitlines()
    want = got + [r for _, r in s.after]
    if len(out) != len(want):
        return problems + [f"emu-system gave {len(out)} replies for {len(want)} lines "
                           f"(exit {run.returncode}: {run.stderr.strip()[:200]})"]
    lines = ops + [l for l, _ in s.after]
    for i, (line, reply, w) in enumerate(zip(lines, out, want)):
        if reply != w:
            where = "replay" if i < len(ops) else "after the input"
            problems.append(f"{where}: {line} -> {reply}, expected {w}")
    return problems


if __name__ == "__main__":
    sys.exit(seedgen.main("i440fx-fuzz-seeds", __doc__, TARGETS, seeds_of, dictionary,
                          verify_seed))
