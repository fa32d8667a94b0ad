# SPDX-License-Identifier: MIT
"""Survival statistics of the trials (tools/bugbench): Kaplan-Meier
estimates of the time to reach, trigger and find a bug, right-censored at
each trial's length, their medians and hit rates, and the table.

A trial's time for a measure is an event when it happened (reached_s,
triggered_s, found_s not None), else it is censored at the trial's length
(length_s): the bug was not seen in that much time."""

MEASURES = ["reached", "triggered", "found"]

# Trials that count: a fuzzer that died (status "error") says nothing about
# the time to a bug; an interrupted trial is censored where it stopped.
COUNTED = ("ok", "interrupted")
# Trials that ran to their end (a record's finished ones; --resume keeps
# them, an interrupted one runs again).
FINISHED = ("ok", "error")


def observations(trials, measure):
    """[(time s, event)] of the counted trials for measure."""
    out = []
    for t in trials:
        if t.get("status") not in COUNTED:
            continue
        v = t.get(measure + "_s")
        out.append((float(v), True) if v is not None else (float(t["length_s"]), False))
    return out


def kaplan_meier(obs):
    """The estimate of S(t) = P(time > t) from [(time, event)]: a list of
    (t, S) at each distinct event time, S just after t (S is 1 before the
    first). At a time with both events and censorings the censored trials
    count as still at risk (the usual convention)."""
    steps, s = [], 1.0
    for t in sorted({t for t, e in obs if e}):
        at_risk = sum(1 for u, _ in obs if u >= t)
        events = sum(1 for u, e in obs if e and u == t)
        s *= 1.0 - events / at_risk
        steps.append((t, s))
    return steps


def survival_at(steps, t):
    s = 1.0
    for u, v in steps:
        if u > t:
            break
        s = v
    return s


def median(steps):
    """The first event time where S(t) <= 0.5, or None (more than half the
    trials never saw it: the median is past the longest trial)."""
    for t, s in steps:
        if s <= 0.5 + 1e-12:
            return t
    return None


def summarize(trials, measure):
    """n/N, the Kaplan-Meier curve and median, and the censoring time (the
    longest trial) of one bug and fuzzer's trials."""
    obs = observations(trials, measure)
    steps = kaplan_meier(obs)
    return {
        "n": sum(1 for _, e in obs if e),
        "N": len(obs),
        "median_s": median(steps),
        "censor_s": max((t for t, _ in obs), default=0.0),
        "curve": [[t, s] for t, s in steps],
        "censored": sorted(t for t, e in obs if not e),
    }


def summaries(trials, bugs, fuzzers):
    """One summary per bug (in bugs' order) and fuzzer (in fuzzers' order)
    that has trials. bugs: {id: {tier, class, ...}}."""
    out = []
    for bug in bugs:
        for fz in fuzzers:
            mine = [t for t in trials if t["bug"] == bug and t["fuzzer"] == fz]
            if not mine:
                continue
            s = {"bug": bug, "fuzzer": fz, "tier": bugs[bug].get("tier", ""),
                 "class": bugs[bug].get("class", ""),
                 "trials": len(mine),
                 "errors": sum(1 for t in mine if t.get("status") == "error"),
                 "interrupted": sum(1 for t in mine if t.get("status") == "interrupted")}
            for m in MEASURES:
                s[m] = summarize(mine, m)
            out.append(s)
    return out


def fmt_time(s):
    """Seconds as the table shows them."""
    if s is None:
        return "-"
    if s < 1:
        return f"{s:.2f} s"
    if s < 10:
        return f"{s:.1f} s"
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def fmt_minutes(s):
    m = s / 60
    return f"{m:.0f}" if abs(m - round(m)) < 1e-9 else f"{m:.3g}"


def fmt_median(summary):
    """The median, or "> M min" when S(t) never falls to one half in the
    longest trial's M minutes; "-" with no trial counted."""
    if summary["N"] == 0:
        return "-"
    if summary["median_s"] is None:
        c = summary["censor_s"]
        return f"> {fmt_minutes(c)} min" if c >= 60 or c in (15, 30, 45) else f"> {c:.0f} s"
    return fmt_time(summary["median_s"])


HEADER = ["bug", "tier", "class", "fuzzer", "reached", "median", "triggered", "median",
          "found", "KM median", "notes"]


def rows(sums):
    out = []
    for s in sums:
        notes = []
        if s["errors"]:
            notes.append(f"{s['errors']} error(s), not counted")
        if s["interrupted"]:
            notes.append(f"{s['interrupted']} interrupted")
        row = [s["bug"], s["tier"], s["class"], s["fuzzer"]]
        for m in MEASURES:
            row += [f"{s[m]['n']}/{s[m]['N']}", fmt_median(s[m])]
        out.append(row + ["; ".join(notes)])
    return out


def table(sums):
    """A markdown table, its columns padded so it reads as text too."""
    body = rows(sums)
    if not any(r[-1] for r in body):         # no notes: no column
        head, body = HEADER[:-1], [r[:-1] for r in body]
    else:
        head = HEADER
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in body]
    return "\n".join(out) + "\n"
