# SPDX-License-Identifier: MIT
"""Shared by tools/reproduce, minimize, reproducer, triage and coverage:
build folders, the target of an afl-fuzz output, libFuzzer's artifacts,
running a binary on an input or a trace, and reading a crash report
(sanitizer, emu_bug, signal) into a crash site and top frames."""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Sanitizer settings for every re-run: stop at the first error, print a
# symbolized stack, report abort() too (emu_bug), no leak check.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "abort_on_error=1:handle_abort=1:symbolize=1:detect_leaks=0:"
                    "allocator_may_return_null=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:abort_on_error=1:symbolize=1",
}
TRACE_PREFIX = "# emu-system "
TRACE_SUFFIX = " -qtest stdio"


def die(tool, msg):
    print(f"{tool}: {msg}", file=sys.stderr)
    sys.exit(1)


def rel(path):
    """A path as short as it reads well: relative to the tree if inside."""
    a = os.path.abspath(path)
    r = os.path.relpath(a, ROOT)
    return a if r.startswith("..") else r


# -- build folders -------------------------------------------------------------

def is_crashtest(target):
    return target is not None and "crashtest" in target


def build_dirs(target=None):
    """plain, afl, asan, libfuzzer build folders for a target: the
    crashtest target lives in build-crashtest*; EMU_BUILD, EMU_BUILD_AFL,
    EMU_BUILD_ASAN, EMU_BUILD_LIBFUZZER override."""
    if is_crashtest(target):
        d = {"plain": "build-crashtest", "afl": "build-crashtest-afl",
             "asan": "build-crashtest-asan", "libfuzzer": "build-crashtest-libfuzzer"}
    else:
        d = {"plain": "build", "afl": "build-afl", "asan": "build-asan",
             "libfuzzer": "build-libfuzzer"}
    for key, env in (("plain", "EMU_BUILD"), ("afl", "EMU_BUILD_AFL"), ("asan", "EMU_BUILD_ASAN"),
                     ("libfuzzer", "EMU_BUILD_LIBFUZZER")):
        if os.environ.get(env):
            d[key] = os.environ[env]
    return {k: v if os.path.isabs(v) else os.path.join(ROOT, v) for k, v in d.items()}


def bootstrap_flag(build):
    base = os.path.basename(build.rstrip("/"))
    return {"build-cov": "--cov", "build-afl-cmplog": "--cmplog"}.get(
        base, "--crashtest" if "crashtest" in base else None)


def ensure_built(builds, kinds_targets, quiet=True):
    """Configures the folders that are missing (tools/bootstrap, with the
    flag that makes them) and builds the given ninja targets:
    {"plain": ["emu-afl", ...], "asan": [...]}."""
    missing = [builds[k] for k, t in kinds_targets.items() if t and
               not os.path.isfile(os.path.join(builds[k], "build.ninja"))]
    if missing:
        flags = sorted({f for f in map(bootstrap_flag, missing) if f})
        subprocess.run([os.path.join(ROOT, "tools", "bootstrap")] + flags, check=True,
                       stdout=sys.stderr)
    for kind, targets in kinds_targets.items():
        if not targets:
            continue
        if not os.path.isfile(os.path.join(builds[kind], "build.ninja")):
            raise SystemExit(f"{rel(builds[kind])} is not configured (tools/bootstrap "
                             f"{bootstrap_flag(builds[kind]) or ''} makes it)")
        # A regeneration runs meson's compiler checks: in build-cov they
        # would leave default.profraw behind.
        p = subprocess.run([os.path.join(ROOT, "tools", "ninja"), "-C", builds[kind]] + targets,
                           capture_output=quiet, text=True,
                           env=dict(os.environ, LLVM_PROFILE_FILE=os.devnull))
        if p.returncode != 0:
            sys.stderr.write((p.stdout or "")[-3000:])
            raise SystemExit(f"ninja -C {rel(builds[kind])} failed")


# -- afl-fuzz outputs -----------------------------------------------------------

def read_stats(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k.strip()] = v.strip()
    except OSError:
        pass
    return out


def target_from_command_line(cmd):
    """--fuzz-target=NAME, --fuzz-target NAME or an emu-afl-NAME program."""
    words = shlex.split(cmd)
    for i, w in enumerate(words):
        if w.startswith("--fuzz-target="):
            return w.split("=", 1)[1]
        if w == "--fuzz-target" and i + 1 < len(words):
            return words[i + 1]
    for w in words:
        base = os.path.basename(w)
        if base.startswith("emu-afl-"):
            return base[len("emu-afl-"):]
    return None


def instance_dir(path):
    """The afl-fuzz instance folder above a crash file (has fuzzer_stats)."""
    d = os.path.dirname(os.path.abspath(path))
    for _ in range(3):
        if os.path.isfile(os.path.join(d, "fuzzer_stats")):
            return d
        d = os.path.dirname(d)
    return None


def target_of_instance(inst):
    return target_from_command_line(read_stats(os.path.join(inst, "fuzzer_stats"))
                                    .get("command_line", ""))


def target_from_path(path):
    inst = instance_dir(path)
    return target_of_instance(inst) if inst else None


# -- libFuzzer artifacts ----------------------------------------------------------

# libFuzzer names the input that stopped it by what happened, then its SHA-1,
# in the current folder or under -artifact_prefix (which may add text in
# front): crash-<sha1>, timeout-, leak-, oom-. Ours: crash, hang, leak, oom.
LIBFUZZER_ARTIFACT_RE = re.compile(r"(?:^|[^A-Za-z0-9])(crash|timeout|leak|oom)-[^./]+$")
LIBFUZZER_KINDS = {"crash": "crash", "timeout": "hang", "leak": "leak", "oom": "oom"}
# What libFuzzer checks that a re-run outside it must check too: leaks
# (LeakSanitizer), and its -rss_limit_mb and -malloc_limit_mb (2048 MB).
LIBFUZZER_ASAN_OPTIONS = {
    "leak": "detect_leaks=1",
    "oom": "hard_rss_limit_mb=2048:max_allocation_size_mb=2048:allocator_may_return_null=0",
}
# How long a re-run of a libFuzzer timeout- input may take before it counts
# as hanging (then SIGABRT makes a sanitizer build say where it was).
HANG_TIMEOUT = 10.0


def libfuzzer_kind(path):
    """'crash', 'hang', 'leak' or 'oom' for a libFuzzer artifact, else None."""
    m = LIBFUZZER_ARTIFACT_RE.search(os.path.basename(path))
    return LIBFUZZER_KINDS[m.group(1)] if m else None


def libfuzzer_artifacts(folder):
    """The libFuzzer artifacts of a folder, sorted (not its subfolders)."""
    names = sorted(f for f in os.listdir(folder) if libfuzzer_kind(f))
    return [os.path.join(folder, f) for f in names if os.path.isfile(os.path.join(folder, f))]


def need_target_message(tool, path):
    """Why --target is needed for an input outside an afl-fuzz output."""
    if libfuzzer_kind(path):
        return (f"{tool}: {path}: a libFuzzer artifact, which does not record the "
                "target: give --target NAME (the --fuzz-target of the emu-libfuzzer "
                "run)")
    return f"{tool}: {path}: give --target NAME (no afl-fuzz fuzzer_stats above it)"


# -- traces ---------------------------------------------------------------------

# Lines a program may have printed before its trace's header when stderr
# was taken whole (QEMU's "QTEST_LOG=1 ... &> FILE"): a -netdev user note.
TRACE_NOTES_MAX = 16


def trace_start(path):
    """The line number of a trace's header (within the first lines), or None."""
    try:
        with open(path, "rb") as f:
            for i, line in enumerate(f):
                if line.startswith(TRACE_PREFIX.encode()):
                    return i
                if i + 1 >= TRACE_NOTES_MAX:
                    break
    except OSError:
        pass
    return None


def is_trace(path):
    return trace_start(path) is not None


def trace_header(path):
    """(machine arguments as a list, target or None) from a trace's header."""
    args, target = None, None
    start = trace_start(path) or 0
    with open(path, errors="replace") as f:
        for i, line in enumerate(f):
            line = line.rstrip("\n")
            if i < start:
                continue
            if i == start and line.startswith(TRACE_PREFIX):
                a = line[len(TRACE_PREFIX):]
                if a.endswith(TRACE_SUFFIX):
                    a = a[: -len(TRACE_SUFFIX)]
                args = shlex.split(a)
            elif line.startswith("# target "):
                target = line[len("# target "):].split(",")[0].strip()
            elif not line.startswith("#"):
                break
    return args, target


def trace_commands(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


# -- running and reading crashes -------------------------------------------------

class Run:
    def __init__(self, cmd, returncode, stdout, stderr, timed_out):
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out
        self.crash = parse_crash(stderr, returncode, timed_out)


def run(cmd, stdin_path=None, timeout=60, hang_signal=signal.SIGKILL, asan_options=None):
    """Runs cmd with the sanitizer settings (asan_options added, and win);
    on timeout sends hang_signal (SIGABRT makes a sanitizer build print
    where it was)."""
    env = dict(os.environ, **SANITIZER_ENV)
    if asan_options:
        env["ASAN_OPTIONS"] += ":" + asan_options
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env)
        timed_out = False
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            p.send_signal(hang_signal)
            try:
                out, err = p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                out, err = p.communicate()
    finally:
        if stdin_path:
            stdin.close()
    return Run(cmd, p.returncode, out.decode(errors="replace"), err.decode(errors="replace"),
               timed_out)


class Crash:
    """kind: 'heap-buffer-overflow', 'emu_bug', 'SIGSEGV', 'hang', ...;
    frames: ['func file:line', ...] of the program's own code, top first;
    site: the top frame, or emu_bug's file:line without a stack."""

    def __init__(self, kind, frames, site, message):
        self.kind = kind
        self.frames = frames
        self.site = site
        self.message = message

    def key(self, depth=3):
        return (self.kind == "hang",) + tuple(self.frames[:depth] or [self.site or self.kind])

    def describe(self):
        return f"{self.kind} in {self.site}" if self.site else self.kind


SKIP_FUNCS = {"abort", "raise", "gsignal", "pthread_kill", "__pthread_kill_implementation",
              "__pthread_kill_internal", "__GI_raise", "__GI_abort", "emu_bug_at"}
FRAME_RE = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (\S+) (.*)$")


def norm_location(loc):
    """'/x/build-asan/../hw/a.c:12:5' -> 'hw/a.c:12'."""
    loc = loc.split(" (BuildId")[0].strip()
    m = re.match(r"^(.*?):(\d+)(?::\d+)?$", loc)
    if not m:
        return None
    path = m.group(1)
    if os.path.isabs(path) or "../" in path:
        path = rel(os.path.normpath(path)) if os.path.isabs(path) else path.split("../")[-1]
    return f"{path}:{m.group(2)}"


def own_frame(func, loc):
    if func in SKIP_FUNCS or func.startswith(("__sanitizer", "__asan", "__ubsan",
                                              "__interceptor")):
        return None
    where = norm_location(loc)
    if not where or where.startswith("/") or "compiler-rt" in where:
        return None
    return f"{func} {where}"


def first_stack(lines):
    frames, started = [], False
    for line in lines:
        m = FRAME_RE.match(line)
        if not m:
            if started and not line.strip().startswith("#"):
                break
            continue
        started = True
        f = own_frame(m.group(2), m.group(3))
        if f:
            frames.append(f)
    return frames


# ASan reports whose first word does not name them.
ASAN_KINDS = {"requested": "allocation-size-too-big", "out": "out-of-memory",
              "allocator": "out-of-memory"}


def parse_crash(stderr, returncode, timed_out=False):
    """A Crash, or None when the run ended normally."""
    lines = stderr.splitlines()
    kind, message, site = None, None, None
    for line in lines:
        m = re.search(r"ERROR: AddressSanitizer: (\S+)", line)
        if m and not kind:
            kind = ASAN_KINDS.get(m.group(1), m.group(1))
            message = line.split("ERROR: ", 1)[1]
        m = re.search(r"ERROR: LeakSanitizer: detected memory leaks|"
                      r"AddressSanitizer: hard rss limit exhausted", line)
        if m and not kind:
            kind = "memory-leak" if "Leak" in m.group(0) else "out-of-memory"
            message = m.group(0)
        m = re.match(r"^(\S+?:\d+(?::\d+)?): runtime error: (.*)$", line)
        if m and not kind:
            kind, message = "ubsan: " + m.group(2).split(" ")[0], m.group(2)
            site = norm_location(m.group(1))
        m = re.match(r"^emu bug at (\S+?:\d+): (.*)$", line)
        if m:
            kind, message = "emu_bug", m.group(2)
            site = norm_location(m.group(1))
    if kind == "ABRT":
        kind = "abort"
    if timed_out:
        kind = "hang"
    elif kind is None:
        if returncode is not None and returncode < 0:
            kind = signal.Signals(-returncode).name
        elif returncode not in (0, None):
            kind = f"exit status {returncode}"
        else:
            return None
    frames = first_stack(lines)
    if frames:
        site = frames[0]
    return Crash(kind, frames, site, message)


def symbolizer_env():
    if shutil.which("llvm-symbolizer"):
        return {"ASAN_SYMBOLIZER_PATH": shutil.which("llvm-symbolizer")}
    return {}


os.environ.update(symbolizer_env())
