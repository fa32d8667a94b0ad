#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/bugbench end to end, small: one trial of one minute of restore
and libfuzzer on pit-control-read, one at a time, in a scratch work folder
(the patched tree's three builds: about a minute), then the record's
shape: one trial per fuzzer with every field, times within the trial's
length and in order (reached <= triggered <= found), a found trial's
sanitizer line is the header's, table.md, results.json and the SVGs
written (XML, one curve per fuzzer), --report re-making them; also
--list and an unknown fuzzer's error. Nothing is asserted about how fast
the bug is found (a slow machine may not find it in the minute).
Usage: bugbench-smoke.py BUILD_DIR  (the default build: emu-seeds, seeds)"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUGBENCH = os.path.join(ROOT, "tools", "bugbench")
BUG, FUZZERS = "pit-control-read", ["restore", "libfuzzer"]
FIELDS = ["bug", "fuzzer", "trial", "length_s", "reached_s", "triggered_s", "found_s", "crash",
          "execs", "replays", "status", "reason"]
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402

RESULTS = Results()
check = RESULTS.check

SVG_NS = "{http://www.w3.org/2000/svg}"


def bugbench(*args, timeout=600):
    p = subprocess.run([BUGBENCH, *args], capture_output=True, text=True, timeout=timeout)
    print(f"$ tools/bugbench {' '.join(args)}: status {p.returncode}\n{p.stdout[-3000:]}"
          f"{p.stderr[-2000:]}", flush=True)
    return p


def curves(path):
    root = ET.parse(path).getroot()
    return [p.get("data-fuzzer") for p in root.iter(SVG_NS + "path") if p.get("class") == "curve"]


def check_trial(t):
    name = f"{t.get('fuzzer')}-{t.get('trial')}"
    missing = [f for f in FIELDS if f not in t]
    if not check(not missing, f"{name}: fields missing: {missing}"):
        return
    check(t["bug"] == BUG and t["trial"] == 1, f"{name}: bug and trial number")
    check(t["status"] == "ok", f"{name}: status {t['status']} ({t['reason']})")
    check(t["length_s"] == 60, f"{name}: length {t['length_s']} s (60)")
    times = [t[k] for k in ("reached_s", "triggered_s", "found_s")]
    check(all(v is None or 0 <= v <= t["length_s"] for v in times),
          f"{name}: times within the length: {times}")
    known = [v for v in times if v is not None]
    check(known == sorted(known) or max(known) - min(known) < 0.05,
          f"{name}: reached <= triggered <= found: {times}")
    check(t["found_s"] is None or t["triggered_s"] is not None,
          f"{name}: found without the triggered canary")
    if t["found_s"] is not None:
        check("heap-buffer-overflow" in (t["crash"] or ""), f"{name}: crash line {t['crash']}")
        check(t["replays"] >= 1, f"{name}: found with no replay")
    else:
        print(f"note: {name} did not find the bug in its minute", flush=True)
    check(isinstance(t["execs"], int) and t["execs"] > 0, f"{name}: execs {t['execs']}")
    check(0 <= t["replays"] <= 30, f"{name}: replays {t['replays']} (cap 30)")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    build = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="bugbench-smoke-")
    try:
        p = bugbench("--list")
        check(p.returncode == 0 and BUG in p.stdout and "libfuzzer" in p.stdout, "--list")
        p = bugbench("--bugs", BUG, "--fuzzers", "restore,nosuch", "--work", tmp)
        check(p.returncode != 0 and "nosuch" in p.stderr and "reboot" in p.stderr,
              "an unknown fuzzer is an error naming the known ones")
        out = os.path.join(tmp, "out")
        p = bugbench("--bugs", BUG, "--fuzzers", ",".join(FUZZERS), "--trials", "1",
                     "--minutes", "1", "--jobs", "1", "--work", tmp, "--out", out,
                     "--build", build)
        check(p.returncode == 0, f"the run: status {p.returncode}")
        check(p.stdout.count("bugbench: build ") == 3, "a progress line per build (3)")
        check(p.stdout.count("bugbench: start ") == 2 and p.stdout.count("] end ") == 2,
              "a line per trial start and end")
        path = os.path.join(out, "results.json")
        if not check(os.path.isfile(path), "results.json written"):
            return finish()
        with open(path) as f:
            rec = json.load(f)
        for k in ("command", "date", "git_commit", "nproc", "afl_fuzz_version", "trials",
                  "summaries", "settings", "bugs"):
            check(k in rec, f"record field {k}")
        check(rec.get("complete") is True, "the record is complete")
        trials = rec.get("trials", [])
        check(sorted(t.get("fuzzer") for t in trials) == sorted(FUZZERS),
              f"one trial per fuzzer: {[t.get('fuzzer') for t in trials]}")
        for t in trials:
            check_trial(t)
            d = os.path.join(out, t.get("dir", ""))
            check(os.path.isdir(d) and os.path.isfile(os.path.join(d, "canary")),
                  f"{t.get('fuzzer')}: trial folder with its canary record")
        sums = rec.get("summaries", [])
        check([(s["bug"], s["fuzzer"]) for s in sums] == [(BUG, f) for f in FUZZERS],
              "one summary per bug and fuzzer")
        with open(os.path.join(out, "table.md")) as f:
            table = f.read()
        check(all(f"| {f} " in table for f in FUZZERS) and BUG in table, "table.md rows")
        for name in ("survival.svg", f"survival-{BUG}.svg"):
            svg = os.path.join(out, name)
            try:
                names = curves(svg)
            except (OSError, ET.ParseError) as e:
                check(False, f"{name}: {e}")
                continue
            check(sorted(names) == sorted(FUZZERS), f"{name}: one curve per fuzzer: {names}")
        again = os.path.join(tmp, "again")
        p = bugbench("--report", path, "--out", again)
        check(p.returncode == 0 and os.path.isfile(os.path.join(again, "table.md"))
              and os.path.isfile(os.path.join(again, "survival.svg")), "--report re-makes them")
        check_resume(rec, out, tmp, build)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


def check_resume(rec, out, tmp, build):
    """--resume: a record of another commit is refused; an interrupted trial
    runs again and the finished one is kept as it was."""
    other = os.path.join(tmp, "other-commit")
    shutil.copytree(out, other)
    edit = json.loads(json.dumps(rec))
    edit["git_commit"] = "0" * 40
    with open(os.path.join(other, "results.json"), "w") as f:
        json.dump(edit, f)
    p = bugbench("--resume", other, "--work", tmp, "--build", build)
    check(p.returncode == 1 and "same commit" in p.stderr,
          "--resume of another commit's record is refused")
    again = os.path.join(tmp, "resume")
    shutil.copytree(out, again)
    edit = json.loads(json.dumps(rec))
    edit["complete"] = False
    kept, redo = edit["trials"]
    redo["status"] = "interrupted"
    with open(os.path.join(again, "results.json"), "w") as f:
        json.dump(edit, f)
    open(os.path.join(again, redo["dir"], "stale"), "w").close()
    p = bugbench("--resume", again, "--jobs", "1", "--work", tmp, "--build", build)
    check(p.returncode == 0 and "1 finished trial(s) kept" in p.stdout
          and p.stdout.count("bugbench: start ") == 1 and f"start {BUG}/{redo['fuzzer']}-1"
          in p.stdout, "--resume runs only the interrupted trial")
    with open(os.path.join(again, "results.json")) as f:
        new = json.load(f)
    check(new.get("complete") is True and len(new.get("trials", [])) == 2,
          "the resumed record is complete, two trials")
    check(kept in new.get("trials", []), "the finished trial is kept as it was")
    check(not os.path.exists(os.path.join(again, redo["dir"], "stale")),
          "the interrupted trial's folder is emptied")
    check(len(new.get("resumed", [])) == 1 and new.get("date") == rec.get("date"),
          "the record says when it was resumed")


def finish():
    return RESULTS.finish()


if __name__ == "__main__":
    sys.exit(main())
