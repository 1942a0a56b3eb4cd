"""vga_text's drawing four bytes a step (include/cells.h), on the host.

tests/cells_check.c runs the header's very code (i386 inline assembly included)
against the byte-at-a-time loop it replaced: every byte value at every position
of short texts at every alignment, then 200,000 seeded random texts. Built as the
kernel is (gcc -m32 -march=i386). The booted side: tests/test_vt_booted.py.

Run: /usr/bin/python3 -m pytest -q tests/test_cells_hosted.py
"""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build(tmp_path, *defines):
    exe = tmp_path / "cells_check"
    r = subprocess.run(["gcc", "-m32", "-march=i386", "-O2", "-fno-omit-frame-pointer",
                        "-no-pie", "-fno-pic", "-Wall", "-Werror", *defines,
                        "-I" + str(ROOT / "include"), "-o", str(exe),
                        str(ROOT / "tests" / "cells_check.c")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return exe


def check(exe):
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120)
    m = re.search(r"cases (\d+) mismatches (\d+)", r.stdout)
    assert m, r.stdout + r.stderr
    return r, int(m.group(1)), int(m.group(2))


def test_four_bytes_a_step_draws_what_the_byte_loop_drew(tmp_path):
    r, cases, bad = check(build(tmp_path))
    assert cases == (1 + sum(range(14))) * 256 * 4 + 200000     # every case ran
    assert bad == 0 and r.returncode == 0, r.stderr


@pytest.mark.parametrize("opt", ["-O0", "-Os"])
def test_the_same_at_other_optimisation_levels(tmp_path, opt):
    r, _, bad = check(build(tmp_path, opt))
    assert bad == 0 and r.returncode == 0, r.stderr


def test_the_check_sees_a_difference(tmp_path):
    """A reference that takes DEL as printable must disagree: the comparison works."""
    r, _, bad = check(build(tmp_path, "-DWRONG_REFERENCE"))
    assert bad > 0 and r.returncode == 1
    assert "count" in r.stderr
