#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""emu-afl's own fork server (afl/forkserver.h), driven over its two pipes
as afl-fuzz drives it, with the test case in a file (@@):

- the hello carries FS_OPT_ENABLED and the map size;
- each request gets the child's pid, then wait status 0; the same child
  answers input after input (persistent);
- a child killed (SIGKILL, as at afl-fuzz's timeout) gets exactly one
  status: its wait status if it died during the input, or the 0 it sent
  if it had finished; the next request gets a new, live child;
- after the recycling count a new child takes over, with no status
  between;
- the fork server and its child end when the request pipe closes.
Usage: forkserver.py EMU_AFL (the instrumented build-afl/emu-afl)"""
import os
import select
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Results, seeds  # noqa: E402

FS_CTL, FS_ST = 198, 199
FS_OPT_ENABLED, FS_OPT_MAPSIZE = 0x80000001, 0x40000000
TARGET = "generic-fuzz-serial"
RECYCLE = 100000        # EMU_AFL_PERSIST_ITERS


def read4(fd):
    data = b""
    while len(data) < 4:
        if not select.select([fd], [], [], 10)[0]:
            raise EOFError("no answer from the fork server or its child in 10 s")
        chunk = os.read(fd, 4 - len(data))
        if not chunk:
            raise EOFError("fork server closed its status pipe")
        data += chunk
    return struct.unpack("<I", data)[0]


def write4(fd, v):
    os.write(fd, struct.pack("<I", v))


def alive(pid):
    return os.path.exists(f"/proc/{pid}") and \
        open(f"/proc/{pid}/stat").read().split(") ")[1][0] != "Z"


def main():
    emu_afl = sys.argv[1]
    r = Results()
    inputs = seeds(TARGET)
    if not r.check(inputs, f"{TARGET}: no seeds (tools/seeds)"):
        return r.finish()
    ctl_r, ctl_w = os.pipe()
    st_r, st_w = os.pipe()
    # The child's ends at afl-fuzz's numbers, kept open across the exec.
    os.dup2(ctl_r, FS_CTL)
    os.dup2(st_w, FS_ST)
    os.close(ctl_r)
    os.close(st_w)
    # As afl-fuzz sets it for a binary with __AFL_INIT: AFL++'s runtime
    # does not start its own fork server before main.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("__AFL") and k != "EMU_AFL_FORKSERVER"}
    env.update(__AFL_DEFER_FORKSRV="1", __AFL_PERSISTENT="1")
    p = subprocess.Popen([emu_afl, "--fuzz-target=" + TARGET, inputs[0]], env=env,
                         pass_fds=(FS_CTL, FS_ST),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(FS_CTL)
    os.close(FS_ST)
    try:
        hello = read4(st_r)
        r.check(hello & FS_OPT_ENABLED == FS_OPT_ENABLED, f"hello {hello:#x}: no FS_OPT_ENABLED")
        r.check(hello & FS_OPT_MAPSIZE, f"hello {hello:#x}: no map size")
        # Not the reply to the shared-memory offer: the first request.
        write4(ctl_w, 0)
        pid = read4(st_r)
        r.check(pid > 0 and pid != p.pid and alive(pid), f"first pid {pid}")
        r.check(read4(st_r) == 0, "first status not 0")
        same = zero = 0
        for _ in range(200):
            write4(ctl_w, 0)
            same += read4(st_r) == pid
            zero += read4(st_r) == 0
        r.check(same == 200, f"the persistent child answered {same} of 200 requests")
        r.check(zero == 200, f"{zero} of 200 statuses were 0")

        # Kill the child at once, many times: during the input or after it.
        during = after = 0
        for i in range(40):
            write4(ctl_w, 1 if i else 0)
            pid = read4(st_r)
            if not r.check(pid > 0 and pid != 9, f"kill round {i}: pid {pid}"):
                break
            if i % 2:
                time.sleep(0.01)        # let it finish first
            os.kill(pid, signal.SIGKILL)
            status = read4(st_r)
            if status == 0:
                after += 1
            elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
                during += 1
            else:
                r.check(False, f"kill round {i}: status {status:#x}")
            # The next request goes out at once, as afl-fuzz's does: the
            # dying child must not take it.
        r.check(after > 0, "no kill landed after an input (the sent status must stand alone)")
        print(f"kills: {during} during an input, {after} after", flush=True)
        # The next request: a new child, then its status 0 (no stray status).
        write4(ctl_w, 1)
        new = read4(st_r)
        r.check(new > 0 and new != pid and alive(new), f"after the kills: pid {new}")
        r.check(read4(st_r) == 0, "after the kills: status not 0")

        # Recycling: a new child after RECYCLE inputs, no status in between.
        pids = set()
        for _ in range(RECYCLE + 10):
            write4(ctl_w, 0)
            pids.add(read4(st_r))
            if read4(st_r) != 0:
                r.check(False, "status not 0 while recycling")
                break
        r.check(len(pids) == 2 and all(x > 0 for x in pids),
                f"{RECYCLE + 10} inputs: children {sorted(pids)} (two expected)")
    except EOFError as e:
        r.check(False, str(e))
    os.close(ctl_w)
    try:
        p.wait(timeout=30)
        r.check(p.returncode == 0, f"fork server status {p.returncode}: {p.stderr.read()[-400:]}")
    except subprocess.TimeoutExpired:
        p.kill()
        r.check(False, "fork server still running after its request pipe closed")
    os.close(st_r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
