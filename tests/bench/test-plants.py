#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The benchmark library's plant headers, collision sets and canary record:
every plant of bench/bugs/ loads, and each malformed header is refused with
a message naming the file and the fault."""
import os
import struct
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402

RESULTS = Results()
check = RESULTS.check
from bench.bugbench import canary, plants  # noqa: E402



GOOD = """Bug: demo-bug
Origin: CVE-0000-0000
Source: https://example.invalid/demo
Device: demo
Target: generic-fuzz-pit
Class: heap overflow
Tier: easy
Crash: heap-buffer-overflow
Cause: the original
  went wrong here.
Plant: a bound removed.

diff --git a/x b/x
"""


def refused(text, words, poc=True, name="demo-bug"):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name + ".patch")
        with open(path, "w") as f:
            f.write(text)
        if poc:
            open(path[:-6] + ".qtest", "w").close()
        try:
            plants.load(path)
        except plants.PlantError as e:
            return path in str(e) and all(w in str(e) for w in words), str(e)
        return False, "accepted"


def test_headers():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "demo-bug.patch")
        with open(path, "w") as f:
            f.write(GOOD)
        open(os.path.join(d, "demo-bug.qtest"), "w").close()
        p = plants.load(path)
        check(p.cause == "the original went wrong here." and p.tier == "easy"
              and not p.hang and p.poc.endswith("demo-bug.qtest")
              and p.crashes == ["heap-buffer-overflow"],
              "a good header loads, a value goes on over indented lines")
    p.crash = "heap-buffer-overflow, SEGV"
    check(p.crashes == ["heap-buffer-overflow", "SEGV"], "Crash may list several phrases")
    for text, words, what in [
            (GOOD.replace("Tier: easy\n", ""), ["lacks Tier"], "a missing key"),
            (GOOD.replace("Tier: easy", "Tier: trivial"), ["Tier", "trivial"], "an unknown tier"),
            (GOOD.replace("Bug: demo-bug", "Bug: other"), ["not the file's name"], "Bug is not the name"),
            (GOOD.replace("Device: demo", "Devise: demo"), ["not a header line"], "an unknown key"),
            (GOOD.replace("Tier: easy", "Tier: easy\nTier: hard"), ["twice"], "a key twice"),
            (GOOD.replace("diff --git a/x b/x\n", ""), ["no diff"], "no diff")]:
        ok, msg = refused(text, words)
        check(ok, f"refused: {what} ({msg})")
    ok, msg = refused(GOOD, ["proof of concept"], poc=False)
    check(ok, f"refused: no PoC ({msg})")


def test_groups():
    def mk(i, col=()):
        return plants.Plant(i, "", "", "", "", "", "easy", "hang", "", "", "", "", list(col))
    a, b, c = mk("a"), mk("b", ["a"]), mk("c")
    g = plants.groups([a, b, c])
    check([[p.id for p in s] for s in g] == [["a", "c"], ["b"]],
          "a plant that collides goes into a tree of its own")


def test_canary_record():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "c")
        data = bytearray(canary.HEADER.size + 64 * canary.SLOT.size)
        canary.HEADER.pack_into(data, 0, canary.MAGIC, canary.VERSION, 64)
        # two racing processes claimed two slots for x; y only reached
        canary.SLOT.pack_into(data, canary.HEADER.size, 2, 0, b"x", 50, 0, 3, 0)
        canary.SLOT.pack_into(data, canary.HEADER.size + canary.SLOT.size, 2, 0, b"x",
                              40, 90, 1, 2)
        canary.SLOT.pack_into(data, canary.HEADER.size + 2 * canary.SLOT.size, 2, 0, b"y",
                              70, 0, 1, 0)
        canary.SLOT.pack_into(data, canary.HEADER.size + 3 * canary.SLOT.size, 1, 0, b"z",
                              1, 1, 1, 1)   # being claimed: not read
        with open(path, "wb") as f:
            f.write(data)
        r = canary.read(path)
        check(sorted(r) == ["x", "y"], "slots in use are read, one being claimed is not")
        x = r["x"]
        check((x.first_reached_ns, x.first_triggered_ns, x.reached, x.triggered)
              == (40, 90, 4, 2), "two slots of one bug merge: earliest times, summed counts")
        check(canary.read(os.path.join(d, "none")) == {}, "no file: no canary fired")
        with open(path, "wb") as f:
            f.write(struct.pack("<8sII", b"NOTCANRY", 7, 64))
        try:
            canary.read(path)
            check(False, "a foreign file is refused")
        except ValueError:
            check(True, "a foreign file is refused")


def test_real_plants():
    ps = plants.load_all()
    check(len(ps) >= 1, f"bench/bugs/ holds {len(ps)} plants, each loads")
    try:
        plants.load_all(["no-such-bug"])
        check(False, "an unknown bug id is refused")
    except plants.PlantError as e:
        check("no-such-bug" in str(e) and ps[0].id in str(e),
              "an unknown bug id is refused, naming the known ones")


test_headers()
test_groups()
test_canary_record()
test_real_plants()
sys.exit(RESULTS.finish())
