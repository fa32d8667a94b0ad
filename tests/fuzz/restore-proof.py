#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs restore-proof for one target with its seeds.
Usage: restore-proof.py RESTORE_PROOF TARGET COUNT"""
import subprocess
import sys

from common import seeds

binary, target, count = sys.argv[1:4]
sys.exit(subprocess.run([binary, target, count, "1"] + seeds(target)).returncode)
