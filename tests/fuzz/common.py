# SPDX-License-Identifier: MIT
"""Shared bits of the fuzzing tests: targets, seeds, environment for AFL++."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

AFL_ENV = dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_NO_UI="1",
               AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1", AFL_QUIET="1")


# What tools/seeds makes from targets/ (the plain build's folder).
BUILD = os.path.join(ROOT, "build")


def all_targets(emu_afl):
    """Predefined targets, from the binary's own list."""
    out = subprocess.run([emu_afl], capture_output=True, text=True, check=True).stdout
    names = [l.split()[0] for l in out.splitlines() if l.startswith("  ")]
    return [n for n in names if n != "generic-fuzz"]


def seeds_dir(target):
    return os.path.join(BUILD, "seeds", target)


def dict_path(target):
    return os.path.join(BUILD, "dictionaries", target + ".dict")


def seeds(target):
    d = seeds_dir(target)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if not f.startswith("."))


def targets(emu_afl):
    """The targets with seeds. One without is skipped here, with a line
    saying so: the targets-seeds test is the one that fails for it."""
    out = []
    for t in all_targets(emu_afl):
        if seeds(t):
            out.append(t)
        else:
            print(f"skip {t}: no seeds in {seeds_dir(t)} (see the targets-seeds test)",
                  flush=True)
    return out


def regions(emu_afl, target):
    """The target's machine, ranges and PCI functions (--list-regions --json)."""
    out = subprocess.run([emu_afl, "--fuzz-target=" + target, "--list-regions", "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def machine_args(emu_afl, target):
    return regions(emu_afl, target)["machine"].split()


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL " + what, flush=True)
        return ok

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed or not self.passed else 0
