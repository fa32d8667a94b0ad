# SPDX-License-Identifier: MIT
"""tools/bugbench --prove: every plant is real and honest.

For each plant: its patch applies alone to the working tree; on one bench
ASan build with every plant applied (one per set of plants that collide),
its proof of concept, encoded for its target on the default build, fires
its `triggered` canary and ends as its header's Crash says; the same input
runs to the end on the default build; no seed of its target fires any
plant's `triggered` canary or crashes, and none holds the PoC's op
sequence."""
import os
import subprocess
import sys
import time

from . import plants as plantlib
from . import replay, tree

ROOT = plantlib.ROOT


def decode_ops(build, target, inp):
    """The input's ops, one string each (emu-decode's lines)."""
    r = subprocess.run([os.path.join(build, "emu-decode"), "--target", target, inp],
                       capture_output=True, text=True, check=True)
    return [l.strip() for l in r.stdout.splitlines() if l.strip() and l != inp + ":"]


def contains(seq, sub):
    n = len(sub)
    return n > 0 and any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


class Prover:
    def __init__(self, work, default_build, timeout, out=sys.stdout):
        self.work, self.default, self.timeout, self.out = work, default_build, timeout, out
        self.passed = self.failed = 0

    def say(self, ok, pid, what):
        self.passed += ok
        self.failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {pid}: {what}", file=self.out, flush=True)

    def seeds(self, target):
        d = os.path.join(self.default, "seeds", target)
        return sorted(os.path.join(d, f) for f in os.listdir(d)) if os.path.isdir(d) else []

    def prove_plant(self, p, bench, inputs):
        inp = os.path.join(inputs, p.id + ".input")
        try:
            replay.encode(self.default, p.target, p.poc, inp)
        except RuntimeError as e:
            return self.say(False, p.id, str(e))
        clean = replay.replay(self.default, p.target, inp, self.timeout)
        self.say(clean.returncode == 0 and not clean.timed_out, p.id,
                 f"PoC on the default build: {clean.what()}")
        rep = replay.replay(bench, p.target, inp, self.timeout)
        fired = "triggered" if replay.triggered(p, rep) else "did not trigger"
        self.say(replay.attributed(p, rep), p.id,
                 f"PoC on the bench build: canary {fired}, {rep.what()} (header: {p.crash})")
        seeds = self.seeds(p.target)
        if not seeds:
            return self.say(False, p.id, f"{p.target} has no seeds in {self.default}/seeds")
        poc_ops = decode_ops(self.default, p.target, inp)
        holders = [os.path.basename(s) for s in seeds
                   if contains(decode_ops(self.default, p.target, s), poc_ops)]
        self.say(not holders, p.id, f"no seed of {p.target} holds the PoC's {len(poc_ops)} ops"
                 if not holders else f"seeds holding the PoC's ops: {', '.join(holders)}")

    def prove_seeds(self, group, bench):
        """Every seed of the group's targets, on the bench build: no plant's
        triggered canary fires, nothing crashes."""
        for target in sorted({p.target for p in group}):
            seeds = self.seeds(target)
            if not seeds:
                continue
            rep = replay.run(os.path.join(bench, "emu-afl"),
                             ["--fuzz-target=" + target, *seeds], self.timeout * 4)
            fired = sorted(b for b, c in rep.canaries.items() if c.triggered)
            ok = not fired and rep.returncode == 0 and not rep.timed_out
            self.say(ok, target, f"its {len(seeds)} seeds on the bench build: " +
                     (f"triggered {', '.join(fired)}; " if fired else "no canary triggered; ")
                     + rep.what())

    def prove_default_clean(self):
        """The canaries cost nothing outside a bench build: not one call."""
        for name in ("emu-afl", "emu-system"):
            with open(os.path.join(self.default, name), "rb") as f:
                held = b"canary_hit" in f.read()
            self.say(not held, name, "the default build holds no canary code" if not held
                     else "the default build calls canary_hit: EMU_BUGBENCH is defined there")

    def build_group(self, i, group):
        """The bench build of group's plants; a plant that does not stack on
        the others fails alone and the rest go on without it."""
        while group:
            try:
                return tree.build(tree.prepare(self.work, f"prove-{i}", group), "asan")
            except plantlib.PlantError as e:
                if e.plant is None:
                    raise
                self.say(False, e.plant.id, str(e))
                group.remove(e.plant)
            except RuntimeError as e:
                for p in group:
                    self.say(False, p.id, f"the bench build failed: {e}")
                return None
        return None

    def prove(self, plants):
        self.prove_default_clean()
        for p in plants:
            why = tree.applies_alone(p)
            self.say(why is None, p.id, "applies alone to the working tree" if why is None
                     else "does not apply alone: " + why)
        for i, group in enumerate(plantlib.groups(plants)):
            t0 = time.time()
            bench = self.build_group(i, group)
            if not bench:
                continue
            print(f"bench build of {', '.join(p.id for p in group)}: {bench} "
                  f"({time.time() - t0:.0f} s)", file=self.out, flush=True)
            inputs = os.path.join(self.work, f"prove-{i}", "inputs")
            os.makedirs(inputs, exist_ok=True)
            for p in group:
                self.prove_plant(p, bench, inputs)
            self.prove_seeds(group, bench)
        print(f"{self.passed} passed, {self.failed} failed", file=self.out, flush=True)
        return self.failed == 0
