# SPDX-License-Identifier: MIT
"""What every structured target's seed generator shares (harness/*-seeds.py):
the command line tools/seeds calls (--target NAME --out DIR --dict FILE
[--verify BUILD_DIR], and --list), dictionary text, running a seed on
emu-afl with a trace, and the verification loop. A generator gives its
targets, its seeds per target (objects with .name, .doc, .data), its
dictionary per target, and verify_seed(build_dir, seed, tmp) returning a
list of problems."""
import argparse
import os
import subprocess
import sys
import tempfile


def le(value, n):
    return (value & ((1 << (8 * n)) - 1)).to_bytes(n, "little")


def dict_escape(data):
    return "".join(chr(b) if chr(b).isalnum() and b < 0x80 else f"\\x{b:02x}"
                   for b in data)


def dict_text(head, entries):
    """An AFL++ dictionary: the comment lines head, then name="..." for each
    (name, bytes) entry whose bytes did not come before."""
    lines, seen = list(head), set()
    for name, data in entries:
        if data not in seen:
            seen.add(data)
            lines.append(f'{name}="{dict_escape(data)}"')
    return "\n".join(lines) + "\n"


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def run_trace(build_dir, target, data, tmp):
    """The input on BUILD_DIR/emu-afl with a trace: (op lines, the reply
    emu-system must give to each, emu-system's arguments from the trace
    header), or RuntimeError."""
    path, trace, replies = (os.path.join(tmp, n) for n in ("in.bin", "trace", "replies"))
    write_bytes(path, data)
    run = subprocess.run([os.path.join(build_dir, "emu-afl"), f"--fuzz-target={target}",
                          "--trace", trace, "--trace-replies", replies, path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"emu-afl exited {run.returncode}: {run.stderr.strip()}")
    with open(trace) as f:
        lines = [l.rstrip("\n") for l in f]
    with open(replies) as f:
        got = [l.rstrip("\n") for l in f]
    ops = [l for l in lines if l and not l.startswith("#")]
    header = next((l[2:] for l in lines if l.startswith("# emu-system ")), None)
    if not header or len(ops) != len(got):
        raise RuntimeError(f"bad trace: {len(ops)} lines, {len(got)} replies, "
                           f"header {header!r}")
    return ops, got, header.split()[1:]


def verify(prog, build_dir, target, seeds, verify_seed):
    for tool in ("emu-afl", "emu-system"):
        if not os.access(os.path.join(build_dir, tool), os.X_OK):
            print(f"{prog}: no {tool} in {build_dir} (build it first: "
                  f"ninja -C {build_dir})", file=sys.stderr)
            return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for s in seeds:
            problems = verify_seed(build_dir, s, tmp)
            print(f"{'ok' if not problems else 'FAIL':4} {target}/{s.name} "
                  f"({len(s.data)} bytes)")
            for p in problems[:10]:
                print(f"       {p}")
            failed += bool(problems)
    if failed:
        print(f"{prog}: {failed} seed(s) of {target} failed the check", file=sys.stderr)
    return 1 if failed else 0


def main(prog, doc, targets, seeds_of, dictionary, verify_seed):
    """The generator's command line; returns its exit status."""
    ap = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    ap.add_argument("--target", choices=targets, default=targets[0],
                    help="the target (tools/seeds names it; default %(default)s)")
    ap.add_argument("--out", metavar="DIR", help="write DIR/NAME for each seed")
    ap.add_argument("--dict", metavar="FILE", help="write the AFL++ dictionary")
    ap.add_argument("--verify", metavar="BUILD_DIR",
                    help="check every seed on BUILD_DIR/emu-afl and emu-system")
    ap.add_argument("--list", action="store_true", help="list the seeds")
    args = ap.parse_args()
    if not (args.out or args.dict or args.verify or args.list):
        ap.error("nothing to do: give --out, --dict, --verify or --list")
    seeds = seeds_of(args.target)
    names = [s.name for s in seeds]
    if len(set(names)) != len(names):
        raise SystemExit(f"{prog}: two seeds of {args.target} share a name")
    if args.list:
        for s in seeds:
            print(f"{s.name}: {s.doc}")
    if args.out:
        for s in seeds:
            write_bytes(os.path.join(args.out, s.name), s.data)
    if args.dict:
        write_bytes(args.dict, dictionary(args.target).encode())
    if args.verify:
        return verify(prog, args.verify, args.target, seeds, verify_seed)
    return 0
