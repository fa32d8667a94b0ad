# SPDX-License-Identifier: MIT
"""The outputs of a run, from its record: table.md, results.json and the
survival curves (tools/bugbench at the end of a run, or --report)."""
import json
import os
import re

from . import stats, svg


def summaries(record):
    return stats.summaries(record["trials"], record["bugs"], record["settings"]["fuzzers"])


def span_s(record):
    lengths = [t["length_s"] for t in record["trials"]]
    return max([record["settings"]["length_s"], *lengths])


def svg_name(bug):
    return "survival-" + re.sub(r"[^A-Za-z0-9_.-]", "_", bug) + ".svg"


def markdown(record, sums):
    s = record["settings"]
    head = [f"# bugbench: {record.get('date', '')}", "",
            f"{s['trials']} trial(s) of {s['length_s'] / 60:g} min per bug and fuzzer, "
            f"{s['jobs']} at a time; git {record.get('git_commit', '?')}"
            + (" (with uncommitted changes)" if record.get("git_dirty") else "")
            + f"; {record.get('nproc', '?')} cores; afl-fuzz {record.get('afl_fuzz_version', '?')}",
            "",
            "n/N: trials that reached, triggered (canaries) or found (a crash or hang "
            "replayed on the ASan build and attributed to the bug) it, of those counted; "
            "medians are Kaplan-Meier, right-censored at the trial's length "
            "(\"> M min\": under half the trials got there).", ""]
    if not record.get("complete", True):
        done = sum(1 for t in record["trials"] if t.get("status") in stats.FINISHED)
        head += [f"**Partial record**: {done} of {record.get('planned', '?')} planned trials "
                 f"finished ({record.get('stopped', 'stopped')}).", ""]
    return "\n".join(head) + "\n" + stats.table(sums)


def write(record, outdir, write_json=True):
    """table.md, the SVGs and (write_json) results.json in outdir; the
    table's text."""
    os.makedirs(outdir, exist_ok=True)
    sums = summaries(record)
    record["summaries"] = sums
    text = markdown(record, sums)
    with open(os.path.join(outdir, "table.md"), "w", encoding="utf-8") as f:
        f.write(text)
    fuzzers, span = record["settings"]["fuzzers"], span_s(record)
    panels = []
    for bug in record["bugs"]:
        curves = {s["fuzzer"]: s["found"] for s in sums if s["bug"] == bug}
        if not curves:
            continue
        panels.append((bug, curves))
        with open(os.path.join(outdir, svg_name(bug)), "w", encoding="utf-8") as f:
            f.write(svg.survival(bug, curves, fuzzers, span))
    with open(os.path.join(outdir, "survival.svg"), "w", encoding="utf-8") as f:
        f.write(svg.grid(panels, fuzzers, span))
    if write_json:
        save(record, os.path.join(outdir, "results.json"))
    return text


def save(record, path):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


class MergeError(Exception):
    pass


def merge(records, paths):
    """One record of several runs' trials: the runs must share the trial
    length; bugs and fuzzers are the union, in first-seen order, and a
    trial keeps its number within its bug and fuzzer."""
    lengths = {r["settings"]["length_s"] for r in records}
    if len(lengths) > 1:
        raise MergeError(f"{', '.join(paths)}: trials of different lengths "
                         f"({', '.join(f'{x:g} s' for x in sorted(lengths))}) do not merge")
    out = json.loads(json.dumps(records[0]))
    out["trials"], out["bugs"], fuzzers = [], {}, []
    for r in records:
        out["bugs"].update(r["bugs"])
        fuzzers += [f for f in r["settings"]["fuzzers"] if f not in fuzzers]
        out["trials"] += r["trials"]
    counts = {}
    for t in out["trials"]:
        key = (t["bug"], t["fuzzer"])
        counts[key] = counts.get(key, 0) + 1
        t["trial"] = counts[key]
    s = out["settings"]
    s["fuzzers"], s["trials"] = fuzzers, max(counts.values(), default=0)
    s["jobs"] = "/".join(sorted({str(r["settings"]["jobs"]) for r in records}))
    s["bugs"] = list(dict.fromkeys(b for r in records for b in r["settings"].get("bugs", [])))
    if isinstance(out.get("fuzzers"), dict):
        for r in records:
            out["fuzzers"].update(r.get("fuzzers", {}))
    dates = sorted({r.get("date", "?") for r in records})
    out["date"] = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    out["git_commit"] = ", ".join(dict.fromkeys(r.get("git_commit", "?") for r in records))
    out["git_dirty"] = any(r.get("git_dirty") for r in records)
    out["complete"] = all(r.get("complete", True) for r in records)
    out.pop("stopped", None)    # the first part's word would speak for all
    stopped = [f"{path}: {r.get('stopped', 'stopped')}" for r, path in zip(records, paths)
               if not r.get("complete", True)]
    if stopped:
        out["stopped"] = "; ".join(stopped)
    out["planned"] = sum(r.get("planned", len(r["trials"])) for r in records)
    # each part's own command and resumptions, not the first part's for all
    out.pop("resumed", None)
    out["command"] = [{"part": path, "command": r.get("command"), "resumed": r.get("resumed", [])}
                      for r, path in zip(records, paths)]
    out["merged_from"] = paths
    return out


def remake(paths, outdir=None):
    """--report: the table and SVGs again from one results.json (into its
    folder unless outdir) or from several merged (into outdir, with the
    merged results.json); the table's text."""
    if isinstance(paths, str):
        paths = [paths]
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            records.append(json.load(f))
    if len(records) == 1:
        return write(records[0], outdir or os.path.dirname(os.path.abspath(paths[0])),
                     write_json=False)
    return write(merge(records, paths), outdir)
