# SPDX-License-Identifier: MIT
"""The planted-bug benchmark's library (tools/bugbench, tests/bench/)."""
