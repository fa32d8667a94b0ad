#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/qtest-to-input and the encoder behind it (build/emu-seeds):
tests/qtest/e1000-loopback.qtest becomes an input whose trace replays on
emu-system with the replies the fuzzer traced and the script expects; RAM
the device reads becomes DMA patterns; the dictionary holds the seeds'
commands; and bad scripts are refused with the line named. Usage:
qtest-to-input.py BUILD_DIR. Ends with "N passed, N failed"."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402

BUILD = sys.argv[1]
EMU_SEEDS = os.path.join(BUILD, "emu-seeds")
EMU_AFL = os.path.join(BUILD, "emu-afl")
EMU_SYSTEM = os.path.join(BUILD, "emu-system")
TOOL = os.path.join(ROOT, "tools", "qtest-to-input")
r = Results()


def script_replies(path):
    """The "-> REPLY" of every line of a tests/qtest script that has one."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if " -> " in line:
                cmd, reply = line.split(" -> ", 1)
                out.append((cmd.strip(), reply.strip()))
    return out


def encode(tmp, target, text, *extra):
    script = os.path.join(tmp, "s.qtest")
    with open(script, "w") as f:
        f.write(text)
    out = os.path.join(tmp, "s.input")
    if os.path.exists(out):
        os.unlink(out)
    p = subprocess.run([EMU_SEEDS, "--fuzz-target=" + target, "-o", out, *extra, script],
                       capture_output=True, text=True)
    return p, out


with tempfile.TemporaryDirectory() as tmp:
    # 1. The round trip of the issue: the user tool on e1000-loopback.qtest.
    script = os.path.join(ROOT, "tests", "qtest", "e1000-loopback.qtest")
    inp = os.path.join(tmp, "loop.input")
    p = subprocess.run([TOOL, "generic-fuzz-e1000-pc", script, "-o", inp, "--check"],
                       capture_output=True, text=True)
    r.check(p.returncode == 0 and os.path.getsize(inp) > 0,
            f"qtest-to-input e1000-loopback: status {p.returncode}: {p.stderr[-400:]}")
    trace, replies = os.path.join(tmp, "t"), os.path.join(tmp, "r")
    subprocess.run([EMU_AFL, "--fuzz-target=generic-fuzz-e1000-pc", "--trace", trace,
                    "--trace-replies", replies, inp], check=True, capture_output=True)
    with open(trace) as f:
        lines = f.read().splitlines()
    args = lines[0].split("emu-system ", 1)[1].replace(" -qtest stdio", "").split()
    q = subprocess.run([EMU_SYSTEM] + args + ["-qtest", "stdio"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True)
    with open(replies) as f:
        want = f.read().splitlines()
    got = q.stdout.splitlines()
    r.check(got == want and len(got) > 300,
            f"the trace replays on emu-system with its replies ({len(got)} of {len(want)})")
    # Every reply the script expects from a device op is in the trace, in
    # order (RAM reads and the script's own 0xcf8 writes are not ops; a
    # clock_step NS is traced as the steps that make it).
    traced = [(l, rep) for l, rep in zip([x for x in lines if not x.startswith("#")], want)
              if not l.startswith("write ")]
    expected = [(c, e) for c, e in script_replies(script)
                if not c.startswith(("read ", "write ", "outl 0xcf8", "clock_step ")) and
                not (c.startswith("read") and int(c.split()[1], 0) < 0x1000000)]
    it = iter(traced)
    missing = [c for c, e in expected if not any(l == c and rep == e for l, rep in it)]
    r.check(not missing, f"script replies found in the trace in order; missing: {missing[:3]}")
    fills = sum(1 for l in lines if l.startswith("write "))
    r.check(fills > 100, f"descriptors and frames arrive as DMA fills ({fills})")

    # 2. RAM written by the script and read by the device is a pattern; RAM
    # the device never reads costs nothing.
    text = ("outl 0xcf8 0x80001010\n"
            "write 0x5000 0x4 0x11223344\n")
    p, out = encode(tmp, "generic-fuzz-e1000-pc", text)
    r.check(p.returncode == 0 and os.path.getsize(out) == 0,
            f"RAM never read and a lone 0xcf8 write make an empty input: {p.stderr}")

    # 3. Errors name the line; nothing is written.
    for target, text, words in [
            ("generic-fuzz-serial", "outb 0x3f8 0x41\noutb 0x60 0x1\n", "s.qtest:2: port 0x60"),
            ("generic-fuzz-serial", "frobnicate 1\n", "'frobnicate'"),
            ("generic-fuzz-serial", "outb 0x3f8\n", "bad arguments"),
            ("generic-fuzz-serial", "writel 0xfebc0000 0x1\n", "neither in a fuzzable range"),
            ("generic-fuzz-serial", "write 0xfebc0000 0x4 0x01\n", "not all guest RAM"),
            ("generic-fuzz-serial", "outl 0x3f8 0x5a5a5546\n", "split commands"),
            ("generic-fuzz-e1000-pc", "inl 0xcfc\n", "without a config address"),
            ("generic-fuzz-e1000-pc", "outl 0xcf8 0x80001810\ninl 0xcfc\n", "00:03.0")]:
        p, out = encode(tmp, target, text)
        r.check(p.returncode == 1 and words in p.stderr and not os.path.exists(out),
                f"{text.strip()!r} on {target}: want status 1 and {words!r}, "
                f"got {p.returncode}: {p.stderr.strip()}")

    # 4. A wrong expected reply: a warning, an error with --check.
    text = "inb 0x3fd -> OK 0x0000\n"
    p, out = encode(tmp, "generic-fuzz-serial", text)
    r.check(p.returncode == 0 and "expected 'OK 0x0000', got 'OK 0x0060'" in p.stderr,
            f"mismatch warned: {p.returncode} {p.stderr.strip()}")
    p, out = encode(tmp, "generic-fuzz-serial", text, "--check")
    r.check(p.returncode == 1 and not os.path.exists(out),
            f"mismatch refused with --check: {p.returncode} {p.stderr.strip()}")

    # 5. clock_step with a time the op cannot stop at: a warning with the time.
    p, out = encode(tmp, "generic-fuzz-rtc", "outb 0x70 0xa\noutb 0x71 0x26\n"
                    "outb 0x70 0xb\noutb 0x71 0x42\nclock_step 1000000\n")
    r.check(p.returncode == 0 and "steps to timer deadlines only" in p.stderr,
            f"clock_step NS warns: {p.stderr.strip()}")

    # 5b. QEMU's own qtest log (-qtest-log FILE, QTEST_LOG=1): commands with
    # QEMU's replies as their expectations.
    log = ("[I 0.000000] OPENED\n[R +0.03] outb 0x3fb 0x83\n[S +0.03] OK\n"
           "[R +0.04] inb 0x3fb\n[S +0.04] OK 0x0083\n[R +0.05] inb 0x3fd\n"
           "[S +0.05] OK 0x0061\n[I +0.9] CLOSED\n")
    p, out = encode(tmp, "generic-fuzz-serial", log, "--show-replies")
    r.check(p.returncode == 0 and "inb 0x3fb -> OK 0x0083" in p.stdout and
            "expected 'OK 0x0061', got 'OK 0x0060'" in p.stderr and os.path.getsize(out) == 27,
            f"QEMU log read with its replies: {p.stdout} {p.stderr}")

    # 6. The dictionary: the seed's commands and values, small ranges whole.
    d = os.path.join(tmp, "serial.dict")
    p, _ = encode(tmp, "generic-fuzz-serial", "outb 0x3fb 0x83\noutb 0x3f8 0x1\n",
                  "--dict", d)
    with open(d) as f:
        dict_text = f.read()
    r.check(p.returncode == 0 and '"FUZZ\\x01\\x00\\x00\\x03\\x00\\x83\\x00\\x00\\x00"'
            in dict_text and "out1_0x3fd_0" in dict_text,
            f"serial dictionary has the seed's LCR write and every register:\n{dict_text[:300]}")
    bad = os.path.join(tmp, "bad.dict")
    with open(bad, "w") as f:
        f.write('ok="\\x01"\nnot an entry\n')
    p, _ = encode(tmp, "generic-fuzz-serial", "outb 0x3fb 0x83\n", "--dict", d,
                  "--extra-dict", bad)
    r.check(p.returncode == 1 and "bad.dict:2" in p.stderr,
            f"a bad extra dictionary line is named: {p.stderr.strip()}")

sys.exit(r.finish())
