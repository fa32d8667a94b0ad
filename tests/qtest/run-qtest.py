#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs qtest scripts against emu-system and, for differential runs, against
qemu-system-x86_64, and compares the replies.

Script format (tests/qtest/*.qtest), one qtest command a line:
    # args: -M pc -nodefaults -device isa-serial
    # image: NAME SIZE [words|bytes|zero]
                          (a file made for the run, @NAME@ in args is its
                           path; words (default): each 32-bit little-endian
                           word holds its byte offset, so every block reads
                           differently; bytes: byte i is (7i + i/512) & 0xff;
                           zero: zeros)
    # output: NAME TEXT   (a file for a chardev's output, @NAME@ in args is
                           its path; after emu-system's run it must hold
                           TEXT exactly, Python escapes allowed: \n, \x00)
    # diff: yes|no        (default no; yes = also compare with QEMU)
    outb 0x3fb 0x80       # a comment after a command is dropped
    inb 0x3fb -> OK 0x0080
    readl 0xfed00000 -> OK 0x0 # nodiff: HPET not implemented
    outb 0x1f7 0x20 -> OK # qemu-settle: READ SECTORS reads the file
"-> REPLY" is the exact reply emu-system must give. In --qemu mode every line
of a "diff: yes" script must get the same reply from both, except lines
marked "# nodiff: REASON" (the reason is required). A command marked
"# qemu-settle: REASON" starts host file I/O in QEMU, which completes in its
thread pool whenever the main loop gets to it: the runner gives QEMU
SETTLE_SECONDS before the next command (emu-system completes through its
virtual clock and needs no wait).

Prints one line per script and ends with "N passed, N failed".
"""
import argparse
import glob
import os
import select
import shlex
import subprocess
import struct
import sys
import tempfile
import time

SETTLE_SECONDS = 0.05
QEMU_BASE = ["-display", "none", "-accel", "tcg", "-S", "-qtest", "stdio",
             "-qtest-log", "/dev/null"]


def parse_size(text):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1].upper() in mult:
        return int(text[:-1]) * mult[text[-1].upper()]
    return int(text, 0)


def image_bytes(size, pattern):
    if pattern == "words":
        return b"".join(struct.pack("<I", off) for off in range(0, size, 4))[:size]
    if pattern == "bytes":
        return bytes((i * 7 + i // 512) & 0xff for i in range(size))
    if pattern == "zero":
        return bytes(size)
    raise ValueError(f"image pattern '{pattern}': words, bytes or zero")


class Script:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.args = ["-M", "pc", "-nodefaults"]
        self.diff = False
        self.lines = []   # (lineno, cmd, expected or None, nodiff reason or None)
        self.settle = set()  # indexes of lines after which QEMU gets time
        self.images = []  # (name, size, pattern)
        self.outputs = []  # (name, expected bytes)
        self.parse()

    def make_images(self, folder):
        """Writes the script's images into folder; @NAME@ in args -> path."""
        for name, size, pattern in self.images:
            path = os.path.join(folder, name)
            with open(path, "wb") as f:
                f.write(image_bytes(size, pattern))
            self.args = [a.replace(f"@{name}@", path) for a in self.args]
        for name, _ in self.outputs:
            path = os.path.join(folder, name)
            self.args = [a.replace(f"@{name}@", path) for a in self.args]

    def check_outputs(self, folder):
        """What emu-system wrote to each output file, against the script."""
        errors = []
        for name, want in self.outputs:
            try:
                with open(os.path.join(folder, name), "rb") as f:
                    got = f.read()
            except OSError:
                got = b""
            if got != want:
                errors.append(f"output {name}: {got!r}, expected {want!r}")
        return errors

    def parse(self):
        with open(self.path) as f:
            for no, raw in enumerate(f, 1):
                line = raw.strip()
                if not line:
                    continue
                if line.startswith("#"):
                    body = line[1:].strip()
                    if body.startswith("args:"):
                        self.args = shlex.split(body[5:])
                    elif body.startswith("image:"):
                        name, size, *pattern = body[6:].split()
                        self.images.append((name, parse_size(size),
                                            pattern[0] if pattern else "words"))
                    elif body.startswith("output:"):
                        name, _, text = body[7:].strip().partition(" ")
                        self.outputs.append((name, text.encode().decode("unicode_escape")
                                             .encode("latin-1")))
                    elif body.startswith("diff:"):
                        self.diff = body[5:].strip() == "yes"
                    continue
                settle = False
                if "# qemu-settle:" in line:
                    line, why = line.split("# qemu-settle:", 1)
                    if not why.strip():
                        raise SystemExit(f"{self.path}:{no}: qemu-settle needs a reason")
                    settle, line = True, line.rstrip()
                nodiff = None
                if "# nodiff:" in line:
                    line, nodiff = line.split("# nodiff:", 1)
                    nodiff = nodiff.strip()
                    if not nodiff:
                        raise SystemExit(f"{self.path}:{no}: nodiff needs a reason")
                    line = line.strip()
                if " #" in line:                    # a trailing comment
                    line = line.split(" #", 1)[0].rstrip()
                expected = None
                if " -> " in line:
                    line, expected = line.split(" -> ", 1)
                    line, expected = line.strip(), expected.strip()
                self.lines.append((no, line, expected, nodiff))
                if settle:
                    self.settle.add(len(self.lines) - 1)


def is_multiline(cmd):
    return cmd.split()[0] == "info"


def run_emu(emu, script, timeout):
    cmds = "".join(c + "\n" for _, c, _, _ in script.lines)
    p = subprocess.run([emu] + script.args + ["-qtest", "stdio"], input=cmds,
                       capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        return None, f"exit status {p.returncode}: {p.stderr.strip()[:300]}"
    out = p.stdout.split("\n")
    replies, i = [], 0
    for _, cmd, _, _ in script.lines:
        if is_multiline(cmd):
            block = []
            while i < len(out) and out[i] != "OK" and not out[i].startswith("ERR"):
                block.append(out[i])
                i += 1
            replies.append(out[i] if i < len(out) else "")
            i += 1
        else:
            replies.append(out[i] if i < len(out) else "<no reply>")
            i += 1
    return replies, None


def read_line(proc, deadline):
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            return "<timeout>"
        ch = os.read(proc.stdout.fileno(), 1)
        if not ch:
            return "<eof>"
        buf += ch
    return buf.decode(errors="replace").rstrip("\n")


def run_qemu(qemu, script, timeout):
    proc = subprocess.Popen([qemu] + script.args + QEMU_BASE,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    replies = []
    try:
        for _, cmd, _, _ in script.lines:
            if is_multiline(cmd):
                replies.append("<skipped>")
                continue
            proc.stdin.write((cmd + "\n").encode())
            proc.stdin.flush()
            reply = read_line(proc, deadline)
            replies.append(reply)
            if reply.startswith("<"):
                break
            if len(replies) - 1 in script.settle:
                time.sleep(SETTLE_SECONDS)
    finally:
        proc.kill()
        proc.wait()
    replies += ["<not run>"] * (len(script.lines) - len(replies))
    return replies


def check(script, emu_replies, qemu_replies):
    errors = []
    for i, (no, cmd, expected, nodiff) in enumerate(script.lines):
        got = emu_replies[i]
        if expected is not None and got != expected:
            errors.append(f"line {no}: {cmd}: expected '{expected}', got '{got}'")
        if qemu_replies is not None and nodiff is None and not is_multiline(cmd):
            if got != qemu_replies[i]:
                errors.append(f"line {no}: {cmd}: emu-system '{got}', "
                              f"qemu '{qemu_replies[i]}'")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--emu", required=True, help="path to emu-system")
    ap.add_argument("--qemu", help="qemu-system-x86_64: compare diff:yes scripts")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("paths", nargs="*", help="scripts or folders "
                    "(default: the folder of this runner)")
    a = ap.parse_args()
    paths = a.paths or [os.path.dirname(os.path.abspath(__file__))]
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, "*.qtest"))) if os.path.isdir(p) else [p]
    passed = failed = skipped = 0
    for path in files:
        script = Script(path)
        if a.qemu and not script.diff:
            skipped += 1
            continue
        tmp = tempfile.TemporaryDirectory(prefix="qtest-")
        script.make_images(tmp.name)
        emu_replies, err = run_emu(a.emu, script, a.timeout)
        errors = [err] if err else check(
            script, emu_replies,
            run_qemu(a.qemu, script, a.timeout) if a.qemu else None)
        if not err and not a.qemu:
            errors += script.check_outputs(tmp.name)
        if errors:
            failed += 1
            print(f"FAIL {script.name}")
            for e in errors[:20]:
                print(f"    {e}")
            if len(errors) > 20:
                print(f"    ... {len(errors) - 20} more")
        else:
            passed += 1
            print(f"PASS {script.name} ({len(script.lines)} commands)")
    if a.qemu:
        # Every nodiff exclusion, so the list stays visible in CI logs.
        for path in files:
            script = Script(path)
            for no, cmd, _, why in script.lines:
                if script.diff and why:
                    print(f"  excluded {script.name}:{no} {cmd}: {why}")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
