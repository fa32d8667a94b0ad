# SPDX-License-Identifier: MIT
"""The crashtest device's seeds and dictionary, shared by the end-to-end
tests that fuzz it (crashtest-e2e.py with afl-fuzz, libfuzzer-crashtest.py
with libFuzzer): the device used as intended, but never the buggy sequence
(no COMMIT at all); the dictionary has the register headers and values."""
import os

TARGET = "generic-fuzz-crashtest"


def out_(off, val):
    return bytes([1, 0, 0, off, 0, val, 0, 0, 0])


def in_(off):
    return bytes([0, 0, 0, off, 0])


SEEDS = {
    "store.bin": [out_(0, 0xc0), out_(1, 3), out_(2, 0x77), in_(2), in_(1)],
    "clear.bin": [out_(0, 0xc0), out_(3, 0xa5), in_(0), in_(3)],
}
DICT = """\
separator="FUZZ"
out_key="FUZZ\\x01\\x00\\x00\\x00\\x00"
out_index="FUZZ\\x01\\x00\\x00\\x01\\x00"
out_data="FUZZ\\x01\\x00\\x00\\x02\\x00"
out_cmd="FUZZ\\x01\\x00\\x00\\x03\\x00"
unlock="\\xc0\\x00\\x00\\x00"
commit="\\x5a\\x00\\x00\\x00"
clear="\\xa5\\x00\\x00\\x00"
"""


def write_seeds(tmp):
    """Writes TMP/seeds/ and TMP/crashtest.dict; returns their paths."""
    seeds = os.path.join(tmp, "seeds")
    os.makedirs(seeds)
    for name, cmds in SEEDS.items():
        with open(os.path.join(seeds, name), "wb") as f:
            f.write(b"FUZZ".join(cmds))
    dict_path = os.path.join(tmp, "crashtest.dict")
    with open(dict_path, "w") as f:
        f.write(DICT)
    return seeds, dict_path
