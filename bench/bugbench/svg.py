# SPDX-License-Identifier: MIT
"""Survival curves as SVG, written by hand: S(t) of a measure (found by
default) per fuzzer, as step lines over [0, M] minutes, censored trials
marked with a tick, a legend and labelled axes. One bug per file
(survival-BUG.svg) or every bug in a grid (survival.svg)."""
from xml.sax.saxutils import escape

PALETTE = {"restore": "#1f77b4", "fork": "#ff7f0e", "reboot": "#2ca02c",
           "cmplog": "#d62728", "libfuzzer": "#9467bd"}
EXTRA = ["#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
DASHES = {"fork": "6,3", "reboot": "2,3", "libfuzzer": "8,3,2,3"}

PANEL_W, PANEL_H = 420, 270
MARGIN = {"left": 56, "right": 16, "top": 30, "bottom": 46}
LEGEND_W = 120


def colour(fuzzer, fuzzers):
    if fuzzer in PALETTE:
        return PALETTE[fuzzer]
    others = [f for f in fuzzers if f not in PALETTE]
    return EXTRA[others.index(fuzzer) % len(EXTRA)] if fuzzer in others else "#000000"


def nice_step(span, most=6):
    """A tick step for span (minutes) giving at most `most` intervals."""
    for unit in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480):
        if span / unit <= most:
            return unit
    return span / most


def fmt_tick(v):
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:g}"


def panel(title, curves, fuzzers, span_s, w=PANEL_W, h=PANEL_H):
    """The elements of one plot (origin top-left, size w x h).
    curves: {fuzzer: {"curve": [[t, S], ...], "censored": [t, ...]}}."""
    x0, y0 = MARGIN["left"], MARGIN["top"]
    pw, ph = w - MARGIN["left"] - MARGIN["right"], h - MARGIN["top"] - MARGIN["bottom"]
    span_m = max(span_s / 60.0, 1e-6)

    def X(t_s):
        return x0 + pw * min(max(t_s / 60.0 / span_m, 0.0), 1.0)

    def Y(s):
        return y0 + ph * (1.0 - s)

    out = [f'<text x="{x0 + pw / 2:.1f}" y="{y0 - 10}" text-anchor="middle" '
           f'font-weight="bold">{escape(title)}</text>',
           f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>']
    step = nice_step(span_m)
    k = 0
    while k * step <= span_m + 1e-9:
        v = k * step
        x = X(v * 60)
        out.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + ph}" stroke="#eee"/>')
        out.append(f'<line x1="{x:.1f}" y1="{y0 + ph}" x2="{x:.1f}" y2="{y0 + ph + 4}" '
                   f'stroke="#444"/>')
        out.append(f'<text x="{x:.1f}" y="{y0 + ph + 16}" text-anchor="middle">'
                   f'{fmt_tick(v)}</text>')
        k += 1
    for s in (0, 0.25, 0.5, 0.75, 1):
        y = Y(s)
        grid = "#ccc" if s == 0.5 else "#eee"
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="{grid}"'
                   + (' stroke-dasharray="4,3"' if s == 0.5 else "") + "/>")
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt_tick(s)}</text>')
    out.append(f'<text x="{x0 + pw / 2:.1f}" y="{h - 8}" text-anchor="middle">'
               f'time (min)</text>')
    out.append(f'<text transform="translate(14,{y0 + ph / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">P(not found yet)</text>')
    for fz in fuzzers:
        if fz not in curves:
            continue
        c = curves[fz]
        col = colour(fz, fuzzers)
        d = [f"M{X(0):.1f},{Y(1):.1f}"]
        s = 1.0
        for t, s in c["curve"]:
            d.append(f"H{X(t):.1f}V{Y(s):.1f}")
        d.append(f"H{X(span_s):.1f}")
        dash = f' stroke-dasharray="{DASHES[fz]}"' if fz in DASHES else ""
        out.append(f'<path class="curve" data-fuzzer="{escape(fz)}" d="{"".join(d)}" '
                   f'fill="none" stroke="{col}" stroke-width="2"{dash}/>')
        for t in c.get("censored", []):
            s_t = 1.0
            for u, v in c["curve"]:
                if u <= t:
                    s_t = v
            out.append(f'<line class="censored" x1="{X(t):.1f}" y1="{Y(s_t) - 4:.1f}" '
                       f'x2="{X(t):.1f}" y2="{Y(s_t) + 4:.1f}" stroke="{col}"/>')
    return out


def legend(fuzzers, x, y):
    out = []
    for i, fz in enumerate(fuzzers):
        yy = y + 18 * i
        dash = f' stroke-dasharray="{DASHES[fz]}"' if fz in DASHES else ""
        out.append(f'<line x1="{x}" y1="{yy}" x2="{x + 24}" y2="{yy}" '
                   f'stroke="{colour(fz, fuzzers)}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{x + 30}" y="{yy + 4}">{escape(fz)}</text>')
    return out


def document(w, h, body, title):
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{w}" height="{h}" fill="white"/>',
        *body, "</svg>", ""])


def survival(bug, curves, fuzzers, span_s, measure="found"):
    """One bug's SVG: S(t) of measure per fuzzer, a legend on the right."""
    fz = [f for f in fuzzers if f in curves]
    body = panel(f"{bug}: time to {measure}", curves, fz, span_s)
    body += legend(fz, PANEL_W + 4, MARGIN["top"] + 10)
    return document(PANEL_W + LEGEND_W, PANEL_H, body, f"{bug}: survival ({measure})")


def grid(panels, fuzzers, span_s, measure="found", columns=3):
    """Every bug in one SVG. panels: [(bug, curves)]; one legend at the top."""
    cols = max(1, min(columns, len(panels)))
    rows = (len(panels) + cols - 1) // cols
    top = 28
    w, h = cols * PANEL_W, top + max(rows, 1) * PANEL_H
    body = []
    fz = [f for f in fuzzers if any(f in c for _, c in panels)]
    for i, f in enumerate(fz):           # the legend, in a row
        x = 10 + 110 * i
        dash = f' stroke-dasharray="{DASHES[f]}"' if f in DASHES else ""
        body.append(f'<line x1="{x}" y1="14" x2="{x + 24}" y2="14" '
                    f'stroke="{colour(f, fz)}" stroke-width="2"{dash}/>')
        body.append(f'<text x="{x + 30}" y="18">{escape(f)}</text>')
    for i, (bug, curves) in enumerate(panels):
        x, y = (i % cols) * PANEL_W, top + (i // cols) * PANEL_H
        body.append(f'<g class="panel" transform="translate({x},{y})">')
        body += panel(bug, curves, fz, span_s)
        body.append("</g>")
    return document(w, h, body, f"survival ({measure}) of every bug")
