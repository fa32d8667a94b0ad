# SPDX-License-Identifier: MIT
"""tools/bugbench's trials: builds, fuzzers, monitoring, the record.

For each bug, a patched tree (WORK/bug-ID) built for the kinds the chosen
fuzzer configurations need plus "asan" (the replay build), all before the
first trial. Then N trials per bug and fuzzer, queued trial-major (every
bug and fuzzer's first trial, then the second...) so a partial run stays
balanced, J at a time, each on its own core, each in its own folder
(RESULTS/trials/BUG/FUZZER-N) with its own $EMU_CANARY_FILE.

Every ~2 s a trial's canary record gives the times to reach and trigger
the bug (first hit minus the trial's start), and each new crash or hang
is replayed on the ASan build with its own canary record: when the replay
is the plant's bug (replay.attributed) the bug is found, at the file's
mtime minus the trial's start, and the trial stops (the rest of its time
does not matter to the survival estimate). Times are all on one clock
(CLOCK_REALTIME from the trial's launch): AFL++'s `time:` field counts
from the end of its start-up and seed calibration instead (kept in the
record as found_afl_s).

Timeouts: afl-fuzz -t 1000 (ms) and libFuzzer -timeout=1 (s). A normal
input of these targets runs in well under a millisecond even on ASan, so
a hang is a loop that does not end: it reaches hangs/ (or a timeout-*
artifact) within a second of its first run, and its replay (--timeout,
5 s by default) times out, which is what a hang plant's header asks.
Only the kind of file the header names is replayed: hangs for a hang
plant, crashes for the others.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from . import canary, replay, report, stats, tree
from .plants import ROOT, PlantError

POLL_S = 2.0
STATUS_EVERY_S = 60.0
REPLAY_CAP = 30          # replays per trial; more crashes are counted, not replayed
GRACE_S = 30             # past the length, a fuzzer that has not ended is killed
AFL_TIMEOUT_MS = 1000
LIBFUZZER_TIMEOUT_S = 1
LIBFUZZER_RESTARTS = 200


@dataclass
class Config:
    name: str
    engine: str          # "afl" or "libfuzzer"
    kind: str            # the build kind fuzzed
    reset: str = "restore"
    cmplog: bool = False
    about: str = ""

    @property
    def kinds(self):
        return [self.kind] + (["afl-cmplog"] if self.cmplog else [])


CONFIGS = {c.name: c for c in [
    Config("restore", "afl", "afl-asan", "restore",
           about="afl-fuzz, ASan build, persistent mode, in-process snapshot restore"),
    Config("fork", "afl", "afl-asan", "fork",
           about="afl-fuzz, ASan build, a fork-server child per input (--reset=fork)"),
    Config("reboot", "afl", "afl-asan", "reboot",
           about="afl-fuzz, ASan build, device reset only (--reset=reboot)"),
    Config("cmplog", "afl", "afl-asan", "restore", cmplog=True,
           about="restore, plus -c the CmpLog build's emu-afl"),
    Config("libfuzzer", "libfuzzer", "libfuzzer-asan",
           about="libFuzzer, ASan build (emu-libfuzzer)"),
]}
DEFAULT_FUZZERS = "restore,fork,reboot"


def parse_fuzzers(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names:
        raise ValueError(f"unknown fuzzer configuration {', '.join(unknown) or '(none)'} "
                         f"(known: {', '.join(CONFIGS)})")
    return list(dict.fromkeys(names))


def list_text(plants):
    lines = ["bugs:"]
    w = max([len(p.id) for p in plants] + [2])
    for p in plants:
        lines.append(f"  {p.id:<{w}}  {p.tier:<6}  {p.klass}; {p.target}; {p.origin}")
    lines.append("fuzzer configurations (default " + DEFAULT_FUZZERS + "):")
    for c in CONFIGS.values():
        lines.append(f"  {c.name:<10} {c.about} [build {', '.join(c.kinds)}]")
    return "\n".join(lines)


class Output:
    """Progress lines, one writer at a time."""

    def __init__(self, stream=sys.stdout):
        self.stream, self.lock = stream, threading.Lock()

    def __call__(self, text):
        with self.lock:
            print("bugbench: " + text, file=self.stream, flush=True)


def fmt_s(s):
    return "-" if s is None else stats.fmt_time(s)


def tail(path, n=8):
    try:
        with open(path, errors="replace") as f:
            lines = [l.rstrip() for l in f.readlines() if l.strip()]
    except OSError:
        return ""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", l) for l in lines]
    abort = [l for l in lines if "PROGRAM ABORT" in l or l.lstrip().startswith("[-]")]
    return " / ".join((abort or lines)[-n:])


class Trial:
    """One fuzzer run on one bug, in its own thread."""

    def __init__(self, bench, plant, config, number):
        self.bench, self.plant, self.config, self.number = bench, plant, config, number
        self.name = f"{plant.id}/{config.name}-{number}"
        self.dir = os.path.join(bench.trials_dir, plant.id, f"{config.name}-{number}")
        self.canary_file = os.path.join(self.dir, "canary")
        self.length = bench.length_s
        self.core = None
        self.t0 = None
        self.proc = None
        self.proc_lock = threading.Lock()
        self.seen = set()
        self.crashes = 0          # files seen in crashes/, hangs/ or artifacts
        self.replays = 0
        self.other = {}           # what a replay said that was not the bug: count
        self.found = None         # (found_s, what, file, afl_s)
        self.execs = 0
        self.restarts = 0
        self.status, self.reason = "ok", ""
        self.record = None
        self.thread = None

    # -- the fuzzer process

    def spawn(self, cmd, env, log):
        with self.proc_lock:
            if self.bench.stopping.is_set():
                return None
            self.proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=self.dir,
                                         start_new_session=True)
            return self.proc

    def kill(self, gentle=True):
        """The fuzzer and its children: SIGINT first (afl-fuzz then writes
        its statistics), SIGKILL after 5 s."""
        with self.proc_lock:
            p = self.proc
        if p is None:
            return
        try:
            if gentle and p.poll() is None:
                os.killpg(p.pid, signal.SIGINT)
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    pass
            # whatever is left of its group too (fork-server children bound
            # to the core would make the next afl-fuzz -b on it refuse)
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()

    def env(self):
        env = dict(os.environ, EMU_CANARY_FILE=self.canary_file,
                   EMU_SNAPSHOT_REPORT=os.path.join(self.dir, "snapshot-leak.txt"))
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "AFL_NO_AFFINITY", "AFL_AUTORESUME"):
            env.pop(k, None)
        return env

    # -- monitoring

    def elapsed(self):
        return time.time() - self.t0 if self.t0 else 0.0

    def crash_dirs(self):
        """Where the fuzzer saves what can be this bug: only hangs for a
        plant whose Crash is a hang, only crashes otherwise (a replay of
        the other kind could not be attributed, and a hang's costs the
        whole replay timeout)."""
        if self.config.engine == "afl":
            base = os.path.join(self.dir, "out", "default")
            return [os.path.join(base, "hangs" if self.plant.hang else "crashes")]
        return [os.path.join(self.dir, "artifacts")]

    def wanted(self, name):
        if name == "README.txt" or name.startswith(".") or name.startswith("slow-unit-"):
            return False
        if self.config.engine == "afl":
            return True
        return name.startswith("timeout-") == self.plant.hang

    def new_files(self):
        out = []
        for d in self.crash_dirs():
            try:
                names = sorted(os.listdir(d))
            except FileNotFoundError:
                continue
            for n in names:
                if not self.wanted(n):
                    continue
                path = os.path.join(d, n)
                if path in self.seen or not os.path.isfile(path):
                    continue
                self.seen.add(path)
                out.append(path)
        return out

    def poll(self):
        """New crashes and hangs replayed; True when the bug is found."""
        for path in self.new_files():
            self.crashes += 1
            if self.found or self.replays >= REPLAY_CAP:
                continue
            self.replays += 1
            own = os.path.join(self.dir, "replay-canary")
            try:
                rep = replay.replay(self.bench.builds[self.plant.id]["asan"], self.plant.target,
                                    path, self.bench.args.timeout, canary_file=own)
            except OSError as e:
                self.other[f"replay failed: {e}"] = self.other.get(f"replay failed: {e}", 0) + 1
                continue
            if replay.attributed(self.plant, rep):
                afl = re.search(r"(?:^|,)time:(\d+)", os.path.basename(path))
                self.found = (max(0.0, os.path.getmtime(path) - self.t0), rep.what(), path,
                              int(afl.group(1)) / 1000.0 if afl else None)
                return True
            w = rep.what()
            self.other[w] = self.other.get(w, 0) + 1
        return bool(self.found)

    def canaries(self):
        try:
            c = canary.read(self.canary_file).get(self.plant.id)
        except (ValueError, OSError):
            c = None
        if not c:
            return None, None

        def rel(ns):
            if not ns:
                return None
            s = max(0.0, ns / 1e9 - self.t0)
            return s if s <= self.length else None
        return rel(c.first_reached_ns), rel(c.first_triggered_ns)

    def watch(self, proc, deadline):
        """Polls until the process ends, the bug is found, the run stops or
        the deadline passes; what ended it."""
        while True:
            if self.poll():
                return "found"
            if self.bench.stopping.is_set():     # (maybe killed already by the stop)
                return "interrupted"
            if proc.poll() is not None:
                return "exited"
            if time.time() > deadline:
                return "overran"
            self.bench.stopping.wait(POLL_S)

    # -- the engines

    def run_afl(self):
        b = self.bench.builds[self.plant.id]
        seeds, dictionary = self.bench.seeds(self.plant.target)
        cmd = ["afl-fuzz", "-b", str(self.core), "-V", str(self.length),
               "-t", str(AFL_TIMEOUT_MS), "-i", seeds, "-o", os.path.join(self.dir, "out")]
        if dictionary:
            cmd += ["-x", dictionary]
        if self.config.cmplog:
            cmd += ["-c", os.path.join(b["afl-cmplog"], "emu-afl")]
        cmd += ["--", os.path.join(b[self.config.kind], "emu-afl"),
                "--fuzz-target=" + self.plant.target]
        if self.config.reset != "restore":
            cmd.append("--reset=" + self.config.reset)
        env = self.env()
        env.update(AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1")
        with open(os.path.join(self.dir, "fuzzer.log"), "w") as log:
            log.write("$ " + " ".join(cmd) + "\n")
            log.flush()
            self.t0 = time.time()
            proc = self.spawn(cmd, env, log)
            if proc is None:
                return "interrupted"
            self.bind_replays()
            how = self.watch(proc, self.t0 + self.length + GRACE_S)
            self.kill(gentle=how != "overran")
        if how == "exited" and proc.returncode != 0:
            self.status = "error"
            self.reason = f"afl-fuzz exited with {proc.returncode}: " + \
                tail(os.path.join(self.dir, "fuzzer.log"), 3)
        self.execs = self.afl_execs()
        return how

    def afl_execs(self):
        try:
            with open(os.path.join(self.dir, "out", "default", "fuzzer_stats")) as f:
                for line in f:
                    k, _, v = line.partition(":")
                    if k.strip() == "execs_done":
                        return int(v.strip())
        except (OSError, ValueError):
            pass
        return None

    def run_libfuzzer(self):
        b = self.bench.builds[self.plant.id]
        seeds, dictionary = self.bench.seeds(self.plant.target)
        corpus, art = os.path.join(self.dir, "corpus"), os.path.join(self.dir, "artifacts")
        shutil.copytree(seeds, corpus)
        os.makedirs(art, exist_ok=True)
        env = self.env()
        env["ASAN_OPTIONS"] = "detect_leaks=0"     # as the replays
        self.t0 = time.time()
        self.bind_replays()
        how, run = "exited", 0
        while True:
            left = int(self.length - self.elapsed())
            if left < 1:
                how = "exited"
                break
            if run:
                self.restarts += 1       # after a crash that is not the bug
            cmd = ["taskset", "-c", str(self.core), os.path.join(b["libfuzzer-asan"], "emu-libfuzzer"),
                   "--fuzz-target=" + self.plant.target, f"-max_total_time={left}",
                   f"-timeout={LIBFUZZER_TIMEOUT_S}", "-artifact_prefix=" + art + "/",
                   "-print_final_stats=1", "-detect_leaks=0"]
            if dictionary:
                cmd.append("-dict=" + dictionary)
            cmd.append(corpus)
            logname = os.path.join(self.dir, f"fuzzer-{run}.log" if run else "fuzzer.log")
            with open(logname, "w") as log:
                log.write("$ " + " ".join(cmd) + "\n")
                log.flush()
                before = len(self.seen)
                proc = self.spawn(cmd, env, log)
                if proc is None:
                    how = "interrupted"
                    break
                how = self.watch(proc, self.t0 + self.length + GRACE_S)
                self.kill(gentle=how != "overran")
            self.execs += libfuzzer_execs(logname)
            if how != "exited":
                break
            if self.poll():
                how = "found"
                break
            if proc.returncode == 0:
                break
            if len(self.seen) == before:     # died without a crash file
                self.status = "error"
                self.reason = f"libFuzzer exited with {proc.returncode}, no artifact: " + \
                    tail(logname, 3)
                break
            if self.restarts >= LIBFUZZER_RESTARTS:
                self.reason = f"stopped after {self.restarts} restarts"
                break
            run += 1                 # a crash that is not the bug: go on
        return how

    def bind_replays(self):
        """Replays run on the trial's core: this thread's affinity, which
        the processes it starts from now on inherit (afl-fuzz was started
        unbound, as it binds itself with -b and counts bound processes as
        cores in use)."""
        try:
            os.sched_setaffinity(0, {self.core})
        except (OSError, AttributeError):
            pass

    def run(self):
        os.makedirs(self.dir, exist_ok=True)
        canary.fresh(self.canary_file)
        try:
            how = self.run_afl() if self.config.engine == "afl" else self.run_libfuzzer()
        except Exception as e:  # noqa: BLE001 - a trial's failure is its record
            how = "error"
            self.status, self.reason = "error", f"{type(e).__name__}: {e}"
            self.kill(gentle=False)
        if not self.found:
            self.poll()            # what the fuzzer wrote last
        if how == "overran" and not self.found:
            self.reason = f"killed {GRACE_S} s past its length"
        elapsed = self.elapsed()
        length = self.length
        if how == "interrupted" and not self.found and self.status != "error":
            self.status = "interrupted"
            length = min(self.length, elapsed)    # censored where it stopped
        reached, triggered = self.canaries() if self.t0 else (None, None)
        found_s = self.found[0] if self.found else None
        if found_s is not None and found_s > self.length:
            found_s = None
        leak = os.path.join(self.dir, "snapshot-leak.txt")
        self.record = {
            "bug": self.plant.id, "fuzzer": self.config.name, "trial": self.number,
            "length_s": round(length, 3),
            "reached_s": _r(reached if reached is None or reached <= length else None),
            "triggered_s": _r(triggered if triggered is None or triggered <= length else None),
            "found_s": _r(found_s),
            "found_afl_s": _r(self.found[3]) if self.found else None,
            "crash": self.found[1] if self.found else None,
            "found_file": os.path.relpath(self.found[2], self.bench.out) if self.found else None,
            "execs": self.execs,
            "crashes": self.crashes, "replays": self.replays,
            "replay_cap_hit": self.crashes > self.replays and not self.found,
            "other": self.other,
            "restarts": self.restarts if self.config.engine == "libfuzzer" else None,
            "status": self.status, "reason": self.reason,
            "core": self.core, "elapsed_s": round(elapsed, 3),
            "snapshot_leak": os.path.isfile(leak) and os.path.getsize(leak) > 0,
            "dir": os.path.relpath(self.dir, self.bench.out),
        }
        return self.record


def _r(v):
    return None if v is None else round(v, 3)


def libfuzzer_execs(log):
    """The run's executions: its final stats, else its last #N line."""
    try:
        with open(log, errors="replace") as f:
            text = f.read()
    except OSError:
        return 0
    m = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    if m:
        return int(m[-1])
    m = re.findall(r"^#(\d+)\s", text, re.M)
    return int(m[-1]) if m else 0


def command_output(cmd, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30, **kw)
    except (OSError, subprocess.TimeoutExpired):
        return None


def afl_version():
    r = command_output(["afl-fuzz", "-h"])
    if not r:
        return None
    m = re.search(r"afl-fuzz\S*?(\d+\.\d+\w*)", re.sub(r"\x1b\[[0-9;]*m", "", r.stdout + r.stderr))
    return m.group(1) if m else None


def git_state():
    r = command_output(["git", "-C", ROOT, "rev-parse", "HEAD"])
    d = command_output(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    return (r.stdout.strip() if r and r.returncode == 0 else None,
            bool(d and d.stdout.strip()))


class Bench:
    def __init__(self, args, plants, fuzzers, out=None):
        self.args, self.plants, self.fuzzers = args, plants, fuzzers
        self.say = out or Output()
        self.length_s = max(1, int(round(args.minutes * 60)))
        self.work = os.path.abspath(args.work)
        self.out = os.path.abspath(args.out) if args.out else os.path.join(
            self.work, "results", time.strftime("%Y%m%d-%H%M%S"))
        self.trials_dir = os.path.join(self.out, "trials")
        self.build_dir = os.path.abspath(args.build)
        self.builds = {}
        self.stopping = threading.Event()
        self.cores = sorted(os.sched_getaffinity(0))[:args.jobs]
        self.kept = []            # --resume: the earlier run's finished trials' records
        self.resumed = None       # --resume: the earlier record

    def seeds(self, target):
        d = os.path.join(self.build_dir, "dictionaries", target + ".dict")
        return os.path.join(self.build_dir, "seeds", target), d if os.path.isfile(d) else None

    # -- set-up

    def make_seeds(self):
        targets = sorted({p.target for p in self.plants})
        self.say(f"seeds and dictionaries of {', '.join(targets)} (tools/seeds)")
        r = subprocess.run([os.path.join(ROOT, "tools", "seeds"), "--build", self.build_dir,
                            *targets], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("tools/seeds failed:\n" + (r.stdout + r.stderr).strip()[-2000:])
        for t in targets:
            s, _ = self.seeds(t)
            if not os.path.isdir(s) or not os.listdir(s):
                raise RuntimeError(f"{t}: no seeds in {s}")

    def make_builds(self):
        kinds = ["asan"]
        for f in self.fuzzers:
            kinds += [k for k in CONFIGS[f].kinds if k not in kinds]
        total, n = len(self.plants) * len(kinds), 0
        for p in self.plants:
            src = tree.prepare(self.work, "bug-" + p.id, [p])
            self.builds[p.id] = {}
            for k in kinds:
                n += 1
                t = time.time()
                logpath = os.path.join(self.work, "bug-" + p.id, f"build-{k}.log")
                with open(logpath, "w") as log:
                    self.builds[p.id][k] = tree.build(src, k, log)
                self.say(f"build {n}/{total}: {p.id} {k}: {self.builds[p.id][k]} "
                         f"({time.time() - t:.0f} s)")

    # -- trials

    def queue(self):
        have = {(r["bug"], r["fuzzer"], r["trial"]) for r in self.kept}
        return [(p, CONFIGS[f], i) for i in range(1, self.args.trials + 1)
                for p in self.plants for f in self.fuzzers if (p.id, f, i) not in have]

    def eta(self, queued, running):
        left = len(queued) * self.length_s + sum(max(0.0, self.length_s - t.elapsed())
                                                  for t in running)
        left /= max(1, len(self.cores))
        return time.strftime("%H:%M", time.localtime(time.time() + left)), left

    def trial_end_line(self, t, done, total, queued, running):
        r = t.record
        if r["found_s"] is not None:
            what = f"FOUND at {fmt_s(r['found_s'])} ({r['crash']})"
        elif r["status"] == "error":
            what = "ERROR: " + r["reason"]
        elif r["status"] == "interrupted":
            what = f"interrupted at {fmt_s(r['length_s'])}, not found"
        else:
            what = "not found" + (f" ({r['reason']})" if r["reason"] else "")
        others = f", other: {', '.join(f'{k} x{v}' for k, v in r['other'].items())}" \
            if r["other"] else ""
        at, left = self.eta(queued, running)
        return (f"[{done}/{total}] end {t.name}: {what}; reached {fmt_s(r['reached_s'])}, "
                f"triggered {fmt_s(r['triggered_s'])}; execs {r['execs']}, "
                f"{r['crashes']} crash file(s), {r['replays']} replayed"
                + (f" (the cap, {REPLAY_CAP})" if r["replay_cap_hit"] else "") + f"{others}; "
                f"ETA {at} (at most {left / 60:.0f} min left)")

    def status_line(self, running):
        parts = []
        for t in running:
            reached, triggered = t.canaries() if t.t0 else (None, None)
            parts.append(f"{t.name} {t.elapsed():.0f}/{t.length} s"
                         + (", reached" if reached is not None else "")
                         + (", triggered" if triggered is not None else "")
                         + f", {t.crashes} crash file(s)")
        return "running: " + "; ".join(parts)

    def run_trials(self):
        queued = self.queue()
        total = len(self.kept) + len(queued)
        running, done, free = [], [], list(self.cores)
        last_status = time.time()
        try:
            while queued or running:
                for t in [t for t in running if not t.thread.is_alive()]:
                    running.remove(t)
                    free.append(t.core)
                    done.append(t)
                    self.save_partial(done)
                    self.say(self.trial_end_line(t, len(self.kept) + len(done), total,
                                                 queued, running))
                while queued and free:
                    p, c, i = queued.pop(0)
                    t = Trial(self, p, c, i)
                    t.core = free.pop(0)
                    t.thread = threading.Thread(target=t.run, name=t.name, daemon=True)
                    t.thread.start()
                    running.append(t)
                    self.say(f"start {t.name} on core {t.core} ({t.length} s)")
                if time.time() - last_status >= STATUS_EVERY_S and running:
                    last_status = time.time()
                    self.say(self.status_line(running))
                time.sleep(0.5)
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second Ctrl-C: the record still
            self.stopping.set()
            self.say(f"interrupted: stopping {len(running)} running trial(s)")
            for t in running:
                threading.Thread(target=t.kill, daemon=True).start()
            for t in running:
                t.thread.join(60)
                if t.record:
                    done.append(t)
                    self.say(self.trial_end_line(t, len(self.kept) + len(done), total, [], []))
            return self.kept + [t.record for t in done], "interrupted (Ctrl-C)"
        return self.kept + [t.record for t in done], None

    def save_partial(self, done):
        rec = self.record(self.kept + [t.record for t in done], complete=False,
                          stopped="still running")
        report.save(rec, os.path.join(self.out, "results.json"))

    def record(self, trials, complete=True, stopped=None):
        commit, dirty = self.meta["git"]
        rec = {
            "command": ["tools/bugbench", *self.meta["argv"]],
            "date": self.meta["date"],
            "git_commit": commit, "git_dirty": dirty,
            "nproc": os.cpu_count(), "cores_used": self.cores,
            "afl_fuzz_version": self.meta["afl"],
            "settings": {"bugs": [p.id for p in self.plants], "fuzzers": self.fuzzers,
                         "trials": self.args.trials, "minutes": self.args.minutes,
                         "length_s": self.length_s, "jobs": self.args.jobs,
                         "replay_timeout_s": self.args.timeout,
                         "afl_timeout_ms": AFL_TIMEOUT_MS,
                         "libfuzzer_timeout_s": LIBFUZZER_TIMEOUT_S,
                         "replay_cap": REPLAY_CAP, "build": self.build_dir,
                         "work": self.work},
            "bugs": {p.id: {"tier": p.tier, "class": p.klass, "target": p.target,
                            "origin": p.origin, "crash": p.crash} for p in self.plants},
            "fuzzers": {f: CONFIGS[f].about for f in self.fuzzers},
            "planned": len(self.plants) * len(self.fuzzers) * self.args.trials,
            "complete": complete,
            "trials": trials,
        }
        if stopped:
            rec["stopped"] = stopped
        if self.resumed:
            first = self.resumed
            rec["date"] = first.get("date", rec["date"])
            rec["command"] = first.get("command", rec["command"])
            rec["resumed"] = first.get("resumed", []) + [
                {"date": self.meta["date"], "command": ["tools/bugbench", *self.meta["argv"]],
                 "kept": len(self.kept), "cores_used": self.cores}]
        return rec

    def resume(self):
        """--resume: keep the finished trials of the record in --out (status
        ok or error; an interrupted one runs again, its folder emptied) when
        it was made by this commit with these settings."""
        path = os.path.join(self.out, "results.json")
        try:
            with open(path, encoding="utf-8") as f:
                old = json.load(f)
            s = old["settings"]
            trials = old["trials"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise RuntimeError(f"--resume: {path}: not a bugbench record ({e})") from None
        commit, dirty = self.meta["git"]
        if old.get("git_commit") != commit:
            raise RuntimeError(f"--resume: {path} was made at git {old.get('git_commit')}, "
                               f"this tree is at {commit}: resume from the same commit")
        want = {"bugs": [p.id for p in self.plants], "fuzzers": self.fuzzers,
                "trials": self.args.trials, "length_s": self.length_s}
        for k, v in want.items():
            if s.get(k) != v and not (k == "trials" and isinstance(s.get(k), int)
                                      and v > s[k]):       # more trials: allowed
                raise RuntimeError(f"--resume: {path} has {k} {s.get(k)}, this run {v}")
        if dirty or old.get("git_dirty"):
            self.say("warning: --resume over uncommitted changes: the kept trials and "
                     "the new ones may not have measured the same tree")
        self.kept = [t for t in trials if t.get("status") in stats.FINISHED]
        keep = {t["dir"] for t in self.kept}
        for bug in os.listdir(self.trials_dir) if os.path.isdir(self.trials_dir) else []:
            for d in os.listdir(os.path.join(self.trials_dir, bug)):
                rel = os.path.join("trials", bug, d)
                if rel not in keep:
                    shutil.rmtree(os.path.join(self.out, rel), ignore_errors=True)
        self.resumed = old
        self.say(f"resuming {path}: {len(self.kept)} finished trial(s) kept, "
                 f"{len(trials) - len(self.kept)} interrupted to run again")

    def main(self, argv):
        self.meta = {"argv": argv, "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "git": git_state(), "afl": afl_version()}
        os.makedirs(self.work, exist_ok=True)
        if self.args.resume:
            self.resume()
        elif os.path.isdir(self.trials_dir) and os.listdir(self.trials_dir):
            raise RuntimeError(f"{self.out} already holds trials; choose another --out, "
                               "or --resume it")
        os.makedirs(self.trials_dir, exist_ok=True)
        self.say(f"{len(self.plants)} bug(s) x {len(self.fuzzers)} fuzzer(s) "
                 f"({', '.join(self.fuzzers)}) x {self.args.trials} trial(s) of "
                 f"{self.length_s} s, {len(self.cores)} at a time on core(s) "
                 f"{','.join(map(str, self.cores))}; results in {self.out}")
        self.make_seeds()
        self.make_builds()
        trials, stopped = self.run_trials()
        rec = self.record(trials, complete=stopped is None, stopped=stopped)
        text = report.write(rec, self.out)
        print(text, flush=True)
        self.say(f"results: {self.out}/table.md, results.json, survival.svg")
        return 130 if stopped else 0


def _terminate(signum, frame):
    """SIGTERM (kill, a CI timeout) stops the run as Ctrl-C does: no fuzzer
    or replay is left running, the record is written."""
    raise KeyboardInterrupt


def main(args, plants, argv=None):
    """tools/bugbench's run path; the exit status."""
    say = Output()
    try:
        fuzzers = parse_fuzzers(args.fuzzers)
    except ValueError as e:
        print(f"bugbench: {e}", file=sys.stderr)
        return 2
    if args.trials < 1 or args.minutes <= 0 or args.jobs < 1:
        print("bugbench: --trials and --jobs take a number from 1, --minutes a positive one",
              file=sys.stderr)
        return 2
    cores = len(os.sched_getaffinity(0))
    if args.jobs > cores:
        print(f"bugbench: --jobs {args.jobs}: this process may use {cores} core(s); "
              "each trial needs one of its own", file=sys.stderr)
        return 2
    if any(CONFIGS[f].engine == "afl" for f in fuzzers) and not shutil.which("afl-fuzz"):
        print("bugbench: afl-fuzz is not installed (tools/bootstrap)", file=sys.stderr)
        return 2
    bench = Bench(args, plants, fuzzers, say)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return bench.main(argv if argv is not None else sys.argv[1:])
    except (RuntimeError, PlantError) as e:
        print(f"bugbench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bugbench: interrupted before the first trial", file=sys.stderr)
        return 130
