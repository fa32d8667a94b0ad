#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/field-of names the field at an offset: for fields of device
instances (nested structs, arrays, an embedded PCIDevice), gdb computes
the offset of the field's address and field-of must name it back; a
snapshot leak report line gets its field. Ends with "N passed, N failed"."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "field-of")
binary = sys.argv[1]
CASES = [("E1000State", "ctrl", "ctrl"),
         ("E1000State", "tx.ctx.tucso", "tx.ctx.tucso"),
         ("E1000State", "stats[5]", "stats[5]"),
         ("E1000State", "pci.config[64]", "pci.config[64]"),
         ("E1000State", "pci.bars[2].addr", "pci.bars[2].addr"),
         ("VirtIONet", "mac[3]", "mac[3]"),
         ("I8254State", "ch[2]", "ch[2]."),
         ("MC146818State", "cmos[14]", "cmos[14]")]


def offset_of(typ, expr):
    p = subprocess.run(["gdb", "-batch", "-nx", "-ex",
                        f"print (long)&(({typ} *)0)->{expr}", binary],
                       capture_output=True, text=True)
    return int(p.stdout.split()[-1])


passed = failed = 0
for typ, expr, want in CASES:
    off = offset_of(typ, expr)
    got = subprocess.run([TOOL, "--binary", binary, typ, str(off)],
                         capture_output=True, text=True).stdout.strip()
    ok = got == want or (want.endswith(".") and got.startswith(want))
    print(f"{'ok  ' if ok else 'FAIL'} {typ}+{off}: {got} (want {want})")
    passed, failed = passed + ok, failed + (not ok)
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write(f"/machine/peripheral-anon/device[0] (e1000) instance (E1000State) "
            f"bytes {offset_of('E1000State', 'rdt'):#x}..0x0\n")
out = subprocess.run([TOOL, "--binary", binary, "--report", f.name],
                     capture_output=True, text=True).stdout
os.unlink(f.name)
ok = out.rstrip().endswith(": field rdt")
print(f"{'ok  ' if ok else 'FAIL'} report line: {out.strip()}")
passed, failed = passed + ok, failed + (not ok)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
