#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/bugbench/stats.py, svg.py and report.py on hand-computed examples:
Kaplan-Meier with censoring (ties of events and censorings too), the
median rule (first t with S(t) <= 0.5, else "> M min"), hit rates, which
trials count, the table's text, the SVGs (XML, one curve per fuzzer, a
panel per bug) and --report from a record. No fuzzing, no build.
Usage: test-stats.py"""
import json
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "fuzz"))
from common import Results  # noqa: E402

RESULTS = Results()
check = RESULTS.check
from bench.bugbench import report, stats, svg  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"


def close(a, b):
    return len(a) == len(b) and all(t == u and math.isclose(s, v, abs_tol=1e-9)
                                    for (t, s), (u, v) in zip(a, b))


def trial(bug, fuzzer, n, found=None, length=600, status="ok", reached=None, triggered=None):
    return {"bug": bug, "fuzzer": fuzzer, "trial": n, "length_s": length, "status": status,
            "reached_s": reached, "triggered_s": triggered, "found_s": found}


def test_kaplan_meier():
    # Events at 1, 3, 3, 5; censored at 2 and 4. S(1) = 5/6; at 3 four at
    # risk (3, 3, 4, 5), two events: 5/6 * 2/4; at 5 one at risk: 0.
    obs = [(1, True), (2, False), (3, True), (3, True), (4, False), (5, True)]
    steps = stats.kaplan_meier(obs)
    check(close(steps, [(1, 5 / 6), (3, 5 / 12), (5, 0.0)]), f"KM with censoring: {steps}")
    check(stats.median(steps) == 3, f"median of it: {stats.median(steps)} (3)")
    check(math.isclose(stats.survival_at(steps, 2.5), 5 / 6), "S(2.5) = 5/6")
    check(stats.survival_at(steps, 0.5) == 1.0, "S before the first event is 1")
    # An event and a censoring at the same time: the censored one is at risk.
    steps = stats.kaplan_meier([(2, True), (2, False), (4, True)])
    check(close(steps, [(2, 2 / 3), (4, 0.0)]), f"tie of event and censoring: {steps}")
    check(stats.median(steps) == 4, "median past a 2/3 step")
    # S falls to exactly one half: that time is the median.
    steps = stats.kaplan_meier([(1, True), (2, True), (3, False), (4, False)])
    check(close(steps, [(1, 0.75), (2, 0.5)]), f"exact half: {steps}")
    check(stats.median(steps) == 2, "median where S(t) = 0.5")
    # Never below one half: no median.
    steps = stats.kaplan_meier([(10, True), (600, False), (600, False)])
    check(close(steps, [(10, 2 / 3)]), f"one event of three: {steps}")
    check(stats.median(steps) is None, "no median when S stays above 0.5")
    check(stats.kaplan_meier([]) == [] and stats.median([]) is None, "no trials: no curve")
    check(stats.kaplan_meier([(600, False)] * 3) == [], "all censored: S stays 1")
    # Without censoring KM is the empirical survival function.
    steps = stats.kaplan_meier([(t, True) for t in (4, 1, 3, 2)])
    check(close(steps, [(1, 0.75), (2, 0.5), (3, 0.25), (4, 0.0)]), "no censoring: empirical")


def test_summaries():
    trials = [trial("a", "restore", 1, found=30, reached=1, triggered=20),
              trial("a", "restore", 2, found=None, reached=2, triggered=500),
              trial("a", "restore", 3, found=90, reached=1, triggered=80),
              trial("a", "restore", 4, status="error"),           # not counted
              trial("a", "restore", 5, length=120, status="interrupted"),  # censored at 120
              trial("a", "fork", 1), trial("a", "fork", 2)]
    s = stats.summarize([t for t in trials if t["fuzzer"] == "restore"], "found")
    check(s["n"] == 2 and s["N"] == 4, f"found n/N {s['n']}/{s['N']} (2/4: the error not counted)")
    # Found at 30 (4 at risk: 3/4) and 90 (at risk 90, 120, 600: 3/4 * 2/3 = 1/2).
    check(close([tuple(c) for c in s["curve"]], [(30, 0.75), (90, 0.5)]),
          f"found curve {s['curve']}")
    check(s["median_s"] == 90 and s["censor_s"] == 600, "found median 90 s, censored at 600")
    check(s["censored"] == [120, 600], f"censoring times {s['censored']}")
    bugs = {"a": {"tier": "easy", "class": "heap overflow"}, "b": {"tier": "hard", "class": "x"}}
    sums = stats.summaries(trials, bugs, ["restore", "fork", "reboot"])
    check([(x["bug"], x["fuzzer"]) for x in sums] == [("a", "restore"), ("a", "fork")],
          "one summary per bug and fuzzer with trials, in the given order")
    r = sums[0]
    check(r["errors"] == 1 and r["interrupted"] == 1 and r["trials"] == 5, "error/interrupted counts")
    check(r["reached"]["n"] == 3 and r["reached"]["median_s"] == 1, "reached: 3/4, median 1 s")
    check(r["triggered"]["n"] == 3 and r["triggered"]["median_s"] == 80,
          f"triggered median {r['triggered']['median_s']} (80)")
    check(stats.fmt_median(sums[1]["found"]) == "> 10 min", "no median: > 10 min")
    check(stats.fmt_median({"N": 0, "median_s": None, "censor_s": 0}) == "-", "no trials: -")
    check(stats.fmt_median({"N": 2, "median_s": None, "censor_s": 30}) == "> 0.5 min",
          "half a minute")
    return sums


def test_format(sums):
    check([stats.fmt_time(x) for x in (None, 0.054, 4.25, 42, 150, 9000)] ==
          ["-", "0.05 s", "4.2 s", "42 s", "2.5 min", "2.5 h"], "time formats")
    text = stats.table(sums)
    lines = text.splitlines()
    check(len(lines) == 4, f"header, rule, two rows: {len(lines)} lines")
    check(len({len(l) for l in lines}) == 1, "columns padded to one width")
    cells = [c.strip() for c in lines[2].strip("|").split("|")]
    check(cells[:4] == ["a", "easy", "heap overflow", "restore"], f"row start {cells[:4]}")
    check(cells[4:10] == ["3/4", "1.0 s", "3/4", "80 s", "2/4", "90 s"], f"row {cells[4:10]}")
    check("1 error(s), not counted" in cells[10] and "1 interrupted" in cells[10], "notes")
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    check(head[:4] == ["bug", "tier", "class", "fuzzer"] and "KM median" in head, f"header {head}")
    check(set(lines[1]) <= set("|-"), "markdown rule line")
    plain = stats.table([dict(sums[1], errors=0, interrupted=0)])
    check("notes" not in plain, "no notes column when nothing to note")


def svg_curves(doc):
    root = ET.fromstring(doc)
    return root, [p.get("data-fuzzer") for p in root.iter(SVG_NS + "path")
                  if p.get("class") == "curve"]


def test_svg(sums):
    curves = {s["fuzzer"]: s["found"] for s in sums}
    doc = svg.survival("a", curves, ["restore", "fork", "reboot"], 600)
    root, names = svg_curves(doc)
    check(root.tag == SVG_NS + "svg", "survival SVG is an svg document")
    check(names == ["restore", "fork"], f"one curve per fuzzer with trials: {names}")
    texts = [t.text for t in root.iter(SVG_NS + "text")]
    check("time (min)" in texts and any("not found" in (t or "") for t in texts), "axis labels")
    check("restore" in texts and "fork" in texts, "legend names the fuzzers")
    check(all(str(v) in texts for v in (0, 2, 4, 6, 8, 10)), f"minute ticks: {texts}")
    d = [p.get("d") for p in root.iter(SVG_NS + "path") if p.get("data-fuzzer") == "restore"][0]
    check(d.count("V") == 2, f"restore: two drops (30 s, 90 s): {d}")
    flat = [p.get("d") for p in root.iter(SVG_NS + "path") if p.get("data-fuzzer") == "fork"][0]
    check("V" not in flat, "fork, nothing found: a flat line")
    cens = [l for l in root.iter(SVG_NS + "line") if l.get("class") == "censored"]
    check(len(cens) == 4, f"censoring marks: {len(cens)} (2 restore + 2 fork)")
    grid = svg.grid([("a", curves), ("b", {"reboot": curves["fork"]})],
                    ["restore", "fork", "reboot"], 600)
    root, names = svg_curves(grid)
    panels = [g for g in root.iter(SVG_NS + "g") if g.get("class") == "panel"]
    check(len(panels) == 2 and names == ["restore", "fork", "reboot"],
          f"grid: 2 panels, curves {names}")
    root = ET.fromstring(svg.survival("a&<b>", {}, [], 60))
    check(any(t.text == "a&<b>: time to found" for t in root.iter(SVG_NS + "text")),
          "a title with & and < is escaped")


def test_report():
    trials = [trial("a", "restore", 1, found=3.5, reached=0.1, triggered=3),
              trial("a", "libfuzzer", 1, found=None, length=60)]
    trials[0]["length_s"] = 60
    rec = {"command": ["tools/bugbench"], "date": "2026-01-01T00:00:00", "git_commit": "x",
           "nproc": 2, "afl_fuzz_version": "4.04c",
           "settings": {"fuzzers": ["restore", "libfuzzer"], "trials": 1, "length_s": 60,
                        "jobs": 1},
           "bugs": {"a": {"tier": "easy", "class": "c"}}, "trials": trials}
    with tempfile.TemporaryDirectory() as tmp:
        text = report.write(rec, tmp)
        for f in ("table.md", "results.json", "survival.svg", "survival-a.svg"):
            check(os.path.isfile(os.path.join(tmp, f)), f"report writes {f}")
        check("| a " in text and "3.5 s" in text and "> 1 min" in text, f"table: {text}")
        with open(os.path.join(tmp, "results.json")) as f:
            back = json.load(f)
        check(len(back["summaries"]) == 2, "the record holds the summaries")
        os.unlink(os.path.join(tmp, "table.md"))
        os.unlink(os.path.join(tmp, "survival.svg"))
        out = os.path.join(tmp, "again")
        p = subprocess.run([os.path.join(ROOT, "tools", "bugbench"), "--report",
                            os.path.join(tmp, "results.json"), "--out", out],
                           capture_output=True, text=True)
        check(p.returncode == 0 and "3.5 s" in p.stdout, f"--report: {p.returncode} {p.stderr}")
        check(os.path.isfile(os.path.join(out, "table.md")) and
              os.path.isfile(os.path.join(out, "survival-a.svg")), "--report --out writes there")
        _, names = svg_curves(open(os.path.join(out, "survival.svg")).read())
        check(names == ["restore", "libfuzzer"], f"--report's grid: {names}")


def test_merge():
    """Two runs' records (other bugs, more trials) into one."""
    def rec(bug, fuzzers, found, length=60, commit="c1"):
        trials = [dict(trial(bug, f, 1, found=found), length_s=length) for f in fuzzers]
        return {"date": "2026-01-0" + commit[-1], "git_commit": commit,
                "settings": {"fuzzers": fuzzers, "trials": 1, "length_s": length, "jobs": 2},
                "bugs": {bug: {"tier": "easy", "class": "c"}}, "trials": trials}
    a, b, c = rec("a", ["restore"], 2.0), rec("a", ["restore", "fork"], None, commit="c2"), \
        rec("b", ["fork"], 5.0)
    m = report.merge([a, b, c], ["A", "B", "C"])
    numbers = [(t["bug"], t["fuzzer"], t["trial"]) for t in m["trials"]]
    check(numbers == [("a", "restore", 1), ("a", "restore", 2), ("a", "fork", 1), ("b", "fork", 1)],
          f"merged trials are numbered within their bug and fuzzer: {numbers}")
    check(m["settings"]["fuzzers"] == ["restore", "fork"] and sorted(m["bugs"]) == ["a", "b"]
          and m["settings"]["trials"] == 2, "fuzzers and bugs are the union")
    check(m["git_commit"] == "c1, c2" and m["date"] == "2026-01-01 to 2026-01-02",
          f"commits and dates of every part: {m['git_commit']}; {m['date']}")
    sums = {(x["bug"], x["fuzzer"]): x for x in report.summaries(m)}
    check(sums[("a", "restore")]["found"]["n"] == 1, "a merged bug counts both runs' trials")
    check(m.get("complete", True) and "stopped" not in m, "complete parts merge complete")
    a["complete"], a["stopped"] = True, "never"     # a stale label on a complete part
    b["complete"], b["stopped"] = False, "still running"
    c["complete"], c["stopped"] = False, "interrupted"
    m = report.merge([a, b, c], ["A", "B", "C"])
    check(not m["complete"] and m["stopped"] == "B: still running; C: interrupted",
          f"a partial merge names each unfinished part and its state: {m.get('stopped')}")
    check("B: still running" in report.markdown(m, report.summaries(m)),
          "the table says which parts are unfinished")
    b["trials"][1]["status"] = "interrupted"        # 3 of 4 finished: 1 + 1 + 1 of 1 + 2 + 1 planned
    a["command"], b["command"] = ["tools/bugbench", "--bugs", "a"], ["tools/bugbench", "-b"]
    b["resumed"], b["planned"] = [{"date": "later"}], 2
    m = report.merge([a, b, c], ["A", "B", "C"])
    text = report.markdown(m, report.summaries(m))
    check("3 of 4 planned trials finished" in text,
          f"a partial merge counts finished trials, not interrupted ones: {text[:600]}")
    check("resumed" not in m and [x["part"] for x in m["command"]] == ["A", "B", "C"]
          and m["command"][0]["command"] == a["command"]
          and m["command"][1]["resumed"] == [{"date": "later"}],
          f"every part keeps its own command and resumptions: {m['command']}")
    try:
        report.merge([a, rec("z", ["fork"], 1.0, length=120)], ["A", "Z"])
        check(False, "records of other trial lengths are refused")
    except report.MergeError as e:
        check("60 s" in str(e) and "120 s" in str(e), f"records of other trial lengths: {e}")


def main():
    test_kaplan_meier()
    test_merge()
    sums = test_summaries()
    test_format(sums)
    test_svg(sums)
    test_report()
    return RESULTS.finish()


if __name__ == "__main__":
    sys.exit(main())
