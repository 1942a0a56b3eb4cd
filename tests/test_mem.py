"""The allocator (kernel/mem.c), hosted: compiled with the kernel's CFLAGS and
driven by tests/mem_check.c over a buffer. please memory's free bytes are
mem_free_bytes(): they must depend only on what processes hold, never on how
the free memory is split into spans (the figure used to leave out each free
span's bookkeeping page, so the same free memory read 4 KiB less per span, and
a span one page larger than asked was handed out whole, holding a page more).
Run: /usr/bin/python3 -m pytest -q tests/test_mem.py
"""
import subprocess

import pytest

from test_pbkdf2 import ROOT, kernel_cflags

PAGE = 4096


@pytest.fixture(scope="module")
def mem(tmp_path_factory):
    d = tmp_path_factory.mktemp("mem")
    subprocess.run(["gcc"] + kernel_cflags() + ["-c", "kernel/mem.c", "-o", str(d / "mem.o")],
                   cwd=ROOT, check=True)
    subprocess.run(["gcc", "-m32", "-O1", "-Wall", "-Werror", "tests/mem_check.c",
                    str(d / "mem.o"), "-o", str(d / "mem_check")], cwd=ROOT, check=True)

    def run(*cmds):
        """Answers to the commands, one line each (ints where they are ints)."""
        out = subprocess.run([str(d / "mem_check")], input="\n".join(cmds) + "\n",
                             capture_output=True, text=True, cwd=ROOT)
        lines = out.stdout.splitlines()
        assert out.returncode == 0 and len(lines) == len(cmds), out
        return [tuple(int(x) for x in l.split()) if l != "ok" else l for l in lines]
    return run


def test_the_same_holdings_read_the_same_free_bytes_however_split(mem):
    # B alone (one free span) and A, B then A given back (a hole before B: two)
    alone = mem("init 100", "alloc 8192", "state")
    split = mem("init 100", "alloc 8192", "alloc 8192", "free 4096", "state")
    assert alone[1] == (4096,) and split[2] == (16384,)
    assert alone[-1][0] == split[-1][0] == 100 * PAGE - 3 * PAGE, (alone, split)
    # what one allocation can get is the largest span less its page
    assert alone[-1][1] == 97 * PAGE - PAGE and split[-1][1] == 94 * PAGE - PAGE


def test_a_span_one_page_too_large_is_split_not_handed_out_whole(mem):
    # a 3-page hole (A's) taking a 2-page request: the page left over stays free
    got = mem("init 100", "alloc 8192", "alloc 4096", "free 4096", "alloc 4096", "state")
    fresh = mem("init 100", "alloc 4096", "alloc 4096", "state")
    assert got[4] == (4096,)                        # it went into the hole
    assert got[-1][0] == fresh[-1][0] == 96 * PAGE, (got, fresh)
    # and everything given back is all of it again, in one span
    back = mem("init 100", "alloc 8192", "alloc 4096", "free 4096", "alloc 4096",
               "free 16384", "free 4096", "state")
    assert back[-1] == (100 * PAGE, 99 * PAGE, 100 * PAGE)


def test_never_more_than_half_of_what_is_free(mem):
    got = mem("init 100", "alloc %d" % (50 * PAGE + 1), "alloc %d" % (50 * PAGE), "state")
    assert got[1] == (0,) and got[2] != (0,)
    assert got[3][0] == 49 * PAGE
