# SPDX-License-Identifier: MIT
"""Patched trees and their builds, in a scratch folder.

A tree is the working tree's files (tracked and untracked-but-not-ignored,
so a change not yet committed is what gets measured) with plants applied.
Files whose bytes did not change keep their times, so a second run builds
only what changed."""
import filecmp
import os
import shutil
import subprocess

from .plants import ROOT, PlantError

SANITIZE = ["-Db_sanitize=address,undefined", "-Db_lundef=false",
            "-Dc_args=-fno-sanitize-recover=all", "-Dc_link_args=-fno-sanitize-recover=all"]

# Build kinds: (CC relative to the tree or a command, meson options, ninja targets).
KINDS = {
    # the replay build: crashes attributed here; also the PoCs' proof
    "asan": ("clang", SANITIZE, ["emu-afl", "emu-system"]),
    "afl-asan": ("tools/afl-cc", SANITIZE, ["emu-afl"]),
    "afl": ("tools/afl-cc", [], ["emu-afl"]),
    "afl-cmplog": ("tools/afl-cc-cmplog", [], ["emu-afl"]),
    "libfuzzer-asan": ("clang", SANITIZE + ["-Dlibfuzzer=true"], ["emu-libfuzzer"]),
}


def source_files(root=ROOT):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], capture_output=True, check=True).stdout
    names = sorted(set(n for n in out.decode().split("\0") if n))
    return [n for n in names if os.path.isfile(os.path.join(root, n))]


def applies_alone(plant, root=ROOT):
    """None when plant's patch applies to the working tree, else git's words."""
    r = subprocess.run(["git", "-C", root, "apply", "--check", plant.patch],
                       capture_output=True, text=True)
    return None if r.returncode == 0 else (r.stderr.strip() or "does not apply")


def _stage(root, stage, plants):
    shutil.rmtree(stage, ignore_errors=True)
    for name in source_files(root):
        dst = os.path.join(stage, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(root, name), dst)
    for p in plants:
        r = subprocess.run(["patch", "-p1", "--batch", "--forward", "--silent", "-d", stage,
                            "-i", p.patch], capture_output=True, text=True)
        if r.returncode != 0:
            raise PlantError(f"{p.id}: the patch does not apply on top of "
                             f"{', '.join(q.id for q in plants[:plants.index(p)]) or 'main'} "
                             "(a 'Collides:' header line gives it a tree of its own): "
                             + (r.stdout + r.stderr).strip(), p)


def _sync(stage, dest):
    """dest becomes stage's copy; unchanged files are not rewritten."""
    keep = set()
    for dirpath, _, files in os.walk(stage):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), stage)
            keep.add(rel)
            src, dst = os.path.join(stage, rel), os.path.join(dest, rel)
            if os.path.isfile(dst) and filecmp.cmp(src, dst, shallow=False):
                continue
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
            os.utime(dst)      # newer than any object built from the old file
    for dirpath, _, files in os.walk(dest):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), dest)
            if rel not in keep:
                os.unlink(os.path.join(dest, rel))


def prepare(work, name, plants, root=ROOT):
    """WORK/NAME/src: the working tree with plants applied in order."""
    base = os.path.join(work, name)
    stage, src = os.path.join(base, "stage"), os.path.join(base, "src")
    os.makedirs(src, exist_ok=True)
    _stage(root, stage, plants)
    _sync(stage, src)
    shutil.rmtree(stage, ignore_errors=True)
    return src


def build(src, kind, log=None):
    """The build of kind in src/../build-KIND (configured once); its folder.
    Raises RuntimeError with the compiler's last lines on failure."""
    cc, opts, targets = KINDS[kind]
    bdir = os.path.join(os.path.dirname(src), "build-" + kind)
    env = dict(os.environ, AFL_QUIET="1")
    env["CC"] = os.path.join(src, cc) if "/" in cc else cc
    if not os.path.isfile(os.path.join(bdir, "build.ninja")):
        _run(["meson", "setup", bdir, src, "-Dtests=false", "-Dbugbench=true", *opts], env, log)
    _run(["ninja", "-C", bdir, *targets], env, log)
    return bdir


def _run(cmd, env, log):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if log:
        log.write(r.stdout + r.stderr)
    if r.returncode != 0:
        tail = "\n".join((r.stdout + r.stderr).strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd[:3])} failed:\n{tail}")
