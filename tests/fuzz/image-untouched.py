#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A user's disk image is never written: for every target with a null-co
drive, the same machine on a raw image file instead (an ad-hoc generic-fuzz
target, EMU_FUZZ_ARGS), then an afl-fuzz campaign of SECONDS from the
target's seeds (written as a driver's first minutes with the device, each
target's set with writes to the disk; the data-path scripts in tests/qtest
show such writes reaching the overlay and reading back). The image must be
what it was, byte for byte, with the same modification time and mode.
Usage: image-untouched.py EMU_AFL SECONDS"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

from common import AFL_ENV, Results, dict_path, regions, seeds_dir, targets

NULL_DRIVE = re.compile(r"file=null-co://(,file\.read-zeroes=on)?")
NULL_SIZE = re.compile(r",file\.size=[0-9]+[KMG]?")     # null-co's own option
IMAGE_SIZE = 4 << 20        # whole 512- and 2048-byte sectors


def make_image(path):
    with open(path, "wb") as f:
        for off in range(0, IMAGE_SIZE, 4096):
            f.write(hashlib.sha256(off.to_bytes(8, "little")).digest() * 128)
    os.chmod(path, 0o644)


def fingerprint(path):
    st = os.stat(path)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), st.st_size, st.st_mtime_ns, st.st_mode


def main():
    emu_afl, seconds = sys.argv[1], int(sys.argv[2])
    r = Results()
    tried = 0
    for target in targets(emu_afl):
        info = regions(emu_afl, target)
        if not NULL_DRIVE.search(info["machine"]):
            continue
        tried += 1
        tmp = tempfile.mkdtemp(prefix="image-untouched-")
        try:
            img = os.path.join(tmp, "user.img")
            make_image(img)
            before = fingerprint(img)
            args = NULL_SIZE.sub("", NULL_DRIVE.sub(f"file={img}", info["machine"]))
            env = dict(AFL_ENV, EMU_FUZZ_ARGS=args, EMU_FUZZ_OBJECTS=info["objects"])
            out = os.path.join(tmp, "out")
            cmd = ["afl-fuzz", "-V", str(seconds), "-i", seeds_dir(target), "-o", out,
                   "-x", dict_path(target), "--", emu_afl, "--fuzz-target=generic-fuzz"]
            p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                               timeout=seconds + 120)
            r.check(p.returncode == 0, f"{target}: afl-fuzz on an image: status "
                    f"{p.returncode}: {p.stdout[-600:]}")
            after = fingerprint(img)
            r.check(after == before, f"{target}: the image changed: {before} -> {after}")
            print(f"{target}: {seconds} s of afl-fuzz on a {IMAGE_SIZE >> 20} MiB image: "
                  f"{'unchanged' if after == before else 'CHANGED'}", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    r.check(tried > 0, "no target has a null-co drive to put an image in")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
