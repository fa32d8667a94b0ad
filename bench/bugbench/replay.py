# SPDX-License-Identifier: MIT
"""Running one input on a bench build and saying whether it is the bug."""
import os
import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field

from . import canary

# handle_abort: an assertion gives an ASan report (ERROR: ... ABRT) too.
SAN_ENV = {
    "ASAN_OPTIONS": "handle_abort=1:detect_leaks=0:abort_on_error=0:symbolize=1:"
                    "allocator_may_return_null=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}
ERROR_RE = re.compile(r"(ERROR: \w+Sanitizer: .*|runtime error: .*)")


@dataclass
class Replay:
    returncode: int
    timed_out: bool
    error: str                    # the sanitizer's ERROR line, or ""
    stderr: str
    canaries: dict = field(default_factory=dict)

    @property
    def crashed(self):
        return not self.timed_out and (bool(self.error) or self.returncode < 0)

    def what(self):
        if self.timed_out:
            return "hang"
        if self.error:     # without the addresses: the same bug reads the same
            return re.split(r" on (unknown )?address | at pc ", self.error)[0]
        if self.returncode < 0:
            return "signal " + signal.Signals(-self.returncode).name
        return f"exit {self.returncode}"


def encode(build, target, qtest, out):
    """qtest script → generic-fuzz input for target (emu-seeds of build)."""
    r = subprocess.run([os.path.join(build, "emu-seeds"), "-q", "--fuzz-target=" + target,
                        "-o", out, qtest], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"{qtest}: cannot encode it for {target}: {r.stderr.strip()}")
    return out


def run(binary, args, timeout=10.0, canary_file=None):
    """binary ARGS once (an emu-afl or emu-libfuzzer runs the inputs given),
    killed with its children after timeout seconds."""
    own = canary_file is None
    if own:
        fd, canary_file = tempfile.mkstemp(prefix="canary-")
        os.close(fd)
    canary.fresh(canary_file)
    env = dict(os.environ, EMU_CANARY_FILE=canary_file, **SAN_ENV)
    p = subprocess.Popen([binary, *args], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, errors="replace",
                         start_new_session=True)
    timed_out = False
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(p.pid, signal.SIGKILL)
        _, err = p.communicate()
    except BaseException:      # interrupted: leave nothing running
        os.killpg(p.pid, signal.SIGKILL)
        raise
    m = ERROR_RE.search(err)
    rep = Replay(p.returncode, timed_out, m.group(1).strip() if m else "", err,
                 canary.read(canary_file))
    if own:
        canary.fresh(canary_file)     # removes it
    return rep


def replay(build, target, inp, timeout=10.0, canary_file=None):
    """One input of target on build's emu-afl (emu-libfuzzer when the build
    has only that)."""
    emu_afl = os.path.join(build, "emu-afl")
    if os.path.exists(emu_afl):
        return run(emu_afl, ["--fuzz-target=" + target, inp], timeout, canary_file)
    return run(os.path.join(build, "emu-libfuzzer"), ["--fuzz-target=" + target, inp],
               timeout, canary_file)


def triggered(plant, rep):
    c = rep.canaries.get(plant.id)
    return bool(c and c.triggered)


def attributed(plant, rep):
    """The replay is plant's bug: its triggered canary fired, and the run
    ended as the header's Crash says (a hang, or that phrase in the
    sanitizer's ERROR line, one of them when it lists several)."""
    if not triggered(plant, rep):
        return False
    if plant.hang:
        return rep.timed_out
    what = rep.what().lower()
    return rep.crashed and any(c.lower() in what for c in plant.crashes)
