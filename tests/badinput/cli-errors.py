#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Wrong command lines: emu-system prints one clear line and exits 1."""
import subprocess
import sys

CASES = [
    (["-device", "no-such-device", "-qtest", "stdio"], "no-such-device"),
    (["-device", "isa-pcspk", "-qtest", "stdio"], "pluggable"),   # as QEMU 7.2
    (["-device", "isa-serial,nosuchprop=1", "-qtest", "stdio"], "nosuchprop"),
    (["-device", "isa-serial,iobase=banana", "-qtest", "stdio"], "banana"),
    (["-M", "q99", "-qtest", "stdio"], "q99"),
    (["-m", "0", "-qtest", "stdio"], "-m"),
    (["-m", "lots", "-qtest", "stdio"], "lots"),
    (["-dma-budget", "0", "-qtest", "stdio"], "-dma-budget"),
    (["-dma-budget", "1Q", "-qtest", "stdio"], "1Q"),
    (["--bogus"], "--bogus"),
    (["-device"], "-device"),
    (["-qtest", "tcp:1234"], "tcp:1234"),
    (["-chardev", "socket,id=x", "-qtest", "stdio"], "socket"),
    (["-chardev", "null", "-qtest", "stdio"], "id"),
    (["-device", "isa-serial,chardev=missing", "-qtest", "stdio"], "missing"),
    ([], "nothing to do"),
    (["-drive", "file=/nonexistent.img,if=none,id=d0", "-qtest", "stdio"], "/nonexistent.img"),
    (["-drive", "file=null-co://,if=none,id=d0,format=qcow2", "-qtest", "stdio"], "qcow2"),
    (["-drive", "file=null-co://,if=none", "-qtest", "stdio"], "id="),
    (["-drive", "file=null-co://,id=d0,cache=weird", "-qtest", "stdio"], "'cache'"),
    (["-drive", "file=null-co://,id=d0,file.size=1000", "-qtest", "stdio"], "512-byte"),
    (["-drive", "file=/dev/null,if=none,id=d0", "-qtest", "stdio"], "regular file"),
    (["-blockdev", "driver=vvfat,node-name=x", "-qtest", "stdio"], "vvfat"),
    (["-blockdev", "driver=null-co", "-qtest", "stdio"], "node-name="),
    (["-blockdev", "driver=null-co,node-name=a", "-drive", "file=null-co://,id=a",
      "-qtest", "stdio"], "duplicate"),
    # Without bus=, an IDE device goes where QEMU 7.2 puts it (the IDE bus
    # created last) and, that bus full, is refused as QEMU refuses it.
    (["-M", "q35", "-nodefaults"] + ["-drive", "file=null-co://,if=none,id=d0",
      "-device", "ide-hd,drive=d0", "-drive", "file=null-co://,if=none,id=d1",
      "-device", "ide-cd,drive=d1", "-qtest", "stdio"], "no free unit on IDE bus 'ide.5'"),
    (["-M", "pc", "-nodefaults"] + [a for i in range(3) for a in (
      "-drive", f"file=null-co://,if=none,id=d{i}", "-device", f"ide-hd,drive=d{i}")]
     + ["-qtest", "stdio"], "no free unit on IDE bus 'ide.1'"),
    (["-M", "q35", "-nodefaults", "-device", "ide-cd", "-device", "ide-cd", "-qtest", "stdio"],
     "no free unit"),
    (["-M", "q35", "-nodefaults", "-device", "virtio-rng-pci,disable-legacy=maybe",
      "-qtest", "stdio"], "disable-legacy=maybe"),
    (["-M", "q35", "-nodefaults", "-device", "pcie-root-port,id=rp0,chassis=1", "-device",
      "virtio-rng-pci,bus=rp0,disable-modern=on", "-qtest", "stdio"], "neither modern nor legacy"),
]
# The "mac" property of both NICs: what QEMU 7.2 refuses (one pair of hex
# digits missing, one too many, single digits, other separators, a stray
# character, an empty value).
BAD_MACS = ["1:2:3:4:5:6", "52:54:00:12:34", "52:54:00:12:34:56:78", "52:54:00:12:34:5",
            "52.54.00.12.34.56", "525400123456", "52:54:00:12:34:5g", "52:54:00:12:34:56 ",
            "52:54:00:12:34:0x", ""]
for mac in BAD_MACS:
    for dev in ("e1000", "virtio-net-pci"):
        CASES.append((["-M", "pc", "-nodefaults", "-device", f"{dev},mac={mac}",
                       "-qtest", "stdio"], f"mac '{mac}'"))
# ... and what it takes: ':' or '-' (mixed), either case, multicast bits.
GOOD_MACS = ["52:54:00:12:34:56", "52-54-00-12-34-56", "52:54-00:12-34:56",
             "52:54:00:AB:cd:Ef", "ff:ff:ff:ff:ff:ff"]


def main():
    emu = sys.argv[1]
    passed = failed = 0
    for args, needle in CASES:
        p = subprocess.run([emu] + args, input="", capture_output=True,
                           text=True, timeout=30)
        lines = p.stderr.strip().split("\n")
        ok = p.returncode == 1 and len(lines) == 1 and needle in lines[0]
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {args}: status {p.returncode}, stderr {p.stderr!r}")
    for mac in GOOD_MACS:
        for dev in ("e1000", "virtio-net-pci"):
            p = subprocess.run([emu, "-M", "pc", "-nodefaults", "-device", f"{dev},mac={mac}",
                                "-qtest", "stdio"], input="", capture_output=True,
                               text=True, timeout=30)
            if p.returncode == 0 and not p.stderr:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {dev},mac={mac}: status {p.returncode}, stderr {p.stderr!r}")
    for args, needle in [(["--help"], "usage"), (["-device", "help"], "isa-serial"),
                         (["-M", "help"], "pc"), (["-device", "isa-serial,help"], "iobase")]:
        p = subprocess.run([emu] + args, capture_output=True, text=True, timeout=30)
        if p.returncode == 0 and needle in p.stdout:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {args}: status {p.returncode}, stdout {p.stdout[:200]!r}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
