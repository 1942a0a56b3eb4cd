"""The console glyph display's escape-sequence interpreter (drivers/vt.c), on the host.

drivers/vt.c is compiled twice: with the kernel's CFLAGS from mk/config.mk (it must
build warning-free and call nothing but the cell interface of include/vga.h), and
with tests/vt_check.c, a fake 80x25 screen that implements that interface and
dumps it (characters, attribute bytes, cursor), built with AddressSanitizer and
UBSan when the host has them. The fake counts every call outside the screen, every
non-ASCII glyph and every call made without vga_lock as an error; each test checks
there were none. docs/glyph-display.md says what each sequence means.

Run: /usr/bin/python3 -m pytest -q tests/test_vt_hosted.py
"""
import os
import random
import re
import shlex
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VT_C = ROOT / "drivers" / "vt.c"
CHECK_C = ROOT / "tests" / "vt_check.c"
ROWS, COLS = 25, 80
ESC = "\x1b"
CSI = ESC + "["

# VGA colour numbers
BLACK, BLUE, GREEN, CYAN, RED, MAGENTA, BROWN, LGREY = range(8)
DGREY, LBLUE, LGREEN, LCYAN, LRED, LMAGENTA, YELLOW, WHITE = range(8, 16)
# ANSI colour n (0 black 1 red 2 green 3 yellow 4 blue 5 magenta 6 cyan 7 white) in VGA
ANSI = [BLACK, RED, GREEN, BROWN, BLUE, MAGENTA, CYAN, LGREY]
PLAIN = LGREY  # light grey on black: 0x07
CELL_INTERFACE = {"vga_cell", "vga_fill", "vga_text", "vga_move", "vga_where", "vga_goto",
                  "vga_showcursor", "vga_lock", "vga_unlock"}


def kernel_cflags():
    """CFLAGS as mk/config.mk sets them ($(B) -> build), so the test follows it."""
    text = (ROOT / "mk" / "config.mk").read_text().replace("\\\n", " ")
    m = re.search(r"^CFLAGS\s*:?=(.*)$", text, re.M)
    assert m, "no CFLAGS in mk/config.mk"
    return shlex.split(m.group(1).replace("$(B)", "build"))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, cwd=ROOT, **kw)


# ------------------------------------------------------------------ the builds

@pytest.mark.parametrize("opt", ["config", "-Os", "-O3"])
def test_kernel_build_is_clean_and_uses_only_the_cell_interface(tmp_path, opt):
    flags = kernel_cflags()
    assert "-Werror" in flags and "-ffreestanding" in flags
    if opt != "config":
        flags = [opt if f.startswith("-O") else f for f in flags]
    obj = tmp_path / "vt.o"
    r = run(["gcc", *flags, "-c", str(VT_C), "-o", str(obj)], text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = run(["nm", "-u", str(obj)], text=True)
    undefined = {l.split()[-1] for l in r.stdout.splitlines() if l.strip()}
    # memset/memmove are in kernel/lib.c should gcc ever emit them for a loop
    assert undefined <= CELL_INTERFACE | {"memset", "memmove", "memcpy"}, undefined
    r = run(["size", "-A", str(obj)], text=True)
    assert not re.search(r"^\.data\s+[1-9]", r.stdout, re.M), "vt.c has .data: " + r.stdout


def _sanitizers_work(tmp):
    src = tmp / "probe.c"
    src.write_text("int main(void){return 0;}\n")
    r = run(["gcc", "-fsanitize=address,undefined", str(src), "-o", str(tmp / "probe")])
    return r.returncode == 0 and run([str(tmp / "probe")]).returncode == 0


@pytest.fixture(scope="module")
def vt_check(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vt")
    exe = tmp / "vt_check"
    flags = ["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-Iinclude"]
    if _sanitizers_work(tmp):
        flags += ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                  "-fno-omit-frame-pointer"]
    r = run(["gcc", *flags, "-o", str(exe), str(CHECK_C), str(VT_C)], text=True)
    assert r.returncode == 0, r.stderr
    return str(exe)


# ------------------------------------------------------------------ the fake screen

class Screen:
    def __init__(self, block):
        lines = block.split("\n")
        m = re.fullmatch(r"cursor (\d+) (\d+) (\d)", lines[0])
        assert m, lines[0]
        self.row, self.col, self.shown = int(m.group(1)), int(m.group(2)), m.group(3) == "1"
        self.cells = lines[1:1 + ROWS]
        self.attrs = [[int(l[i:i + 2], 16) for i in range(0, 2 * COLS, 2)]
                      for l in lines[1 + ROWS:1 + 2 * ROWS]]
        m = re.fullmatch(r"errors (\d+) calls (\d+)", lines[1 + 2 * ROWS])
        assert m, lines[1 + 2 * ROWS]
        self.errors = int(m.group(1))
        assert all(len(l) == COLS for l in self.cells)

    @property
    def cursor(self):
        return (self.row, self.col)

    def text(self, row):
        return self.cells[row].rstrip()

    def lines(self):
        return [l.rstrip() for l in self.cells]

    def attr(self, row, col):
        return self.attrs[row][col]

    def key(self):
        return (self.cursor, self.shown, tuple(self.cells), tuple(map(tuple, self.attrs)))

    def __repr__(self):
        return "cursor %s shown %s\n%s" % (self.cursor, self.shown, "\n".join(self.lines()))


def record(op, payload=b""):
    if isinstance(payload, str):
        payload = payload.encode("latin-1")
    return op.encode() + struct.pack("<I", len(payload)) + payload


def session(exe, records, check_errors=True):
    """Run vt_check on the records; the screens it dumped."""
    r = subprocess.run([exe], input=b"".join(records), capture_output=True, timeout=120)
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == 0, "vt_check failed (%d): %s" % (r.returncode, err[-3000:])
    assert err == "", err[-3000:]
    blocks = r.stdout.decode("latin-1").split("\n.\n")
    assert blocks[-1] == ""
    screens = [Screen(b) for b in blocks[:-1]]
    if check_errors:
        for s in screens:
            assert s.errors == 0
    return screens


@pytest.fixture
def vt(vt_check):
    """vt(text, fill=None, chunk=0, log=None): the screen after writing text to vt.

    fill: a character the screen is filled with first (attribute 0x07), so erasing
    shows; chunk: how the text is fed (0 one vt_write, 1 vt_putc, k pieces of k);
    log: text the kernel log writes (vga_putc) before it."""
    def go(text, fill=None, chunk=0, log=None):
        recs = [record("C", struct.pack("<I", chunk))]
        if fill is not None:
            recs.append(record("F", fill + "\x07"))
        if log is not None:
            recs.append(record("K", log))
        recs += [record("V", text), record("D")]
        return session(vt_check, recs)[0]
    return go


def at(row, col):
    """CUP to a 0-based row and column."""
    return "%s%d;%dH" % (CSI, row + 1, col + 1)


def a(fg, bg=BLACK):
    return bg << 4 | fg


# ------------------------------------------------------------------ text and controls

def test_printable_ascii_at_the_cursor(vt):
    s = vt("Hello, world! ~{}")
    assert s.text(0) == "Hello, world! ~{}"
    assert s.cursor == (0, 17)
    assert s.attr(0, 0) == PLAIN and s.shown


def test_every_printable_byte_is_drawn_as_itself(vt):
    printable = "".join(chr(c) for c in range(0x20, 0x7f))
    s = vt(printable)
    assert s.cells[0] + s.cells[1][:15] == printable


def test_non_ascii_and_unused_controls_are_dropped(vt):
    junk = "".join(chr(c) for c in range(0x80, 0x100))
    junk += "".join(chr(c) for c in (0, 1, 2, 3, 4, 5, 6, 7, 0x0e, 0x0f, 0x10, 0x11,
                                     0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x19, 0x1c,
                                     0x1d, 0x1e, 0x1f, 0x7f))
    s = vt("a" + junk + "b" + junk + "c", fill=".")
    assert s.text(0) == "abc" + "." * 77
    assert s.cursor == (0, 3)


def test_cr_and_lf(vt):
    s = vt("abc\rX\nnext\r\nthird")
    assert s.lines()[:3] == ["Xbc", "next", "third"]
    assert s.cursor == (2, 5)


def test_vt_and_ff_are_line_feeds(vt):
    s = vt("a\x0bb\x0cc")
    assert s.lines()[:3] == ["a", "b", "c"]


def test_lnm_reset_makes_lf_a_pure_line_feed(vt):
    s = vt(CSI + "20l" + "ab\ncd\r\n" + CSI + "20h" + "ef\ngh")
    assert s.lines()[:4] == ["ab", "  cd", "ef", "gh"]


def test_backspace_moves_back_without_erasing(vt):
    s = vt("abc\b\bX")
    assert s.text(0) == "aXc" and s.cursor == (0, 2)
    s = vt("abc\b \b")
    assert s.text(0) == "ab" and s.cursor == (0, 2)


def test_backspace_at_column_0_goes_to_the_end_of_the_row_above(vt):
    s = vt("a\r\n\b")
    assert s.cursor == (0, 79)
    s = vt("\b\b\bx")  # at the top left it stays
    assert s.text(0) == "x" and s.cursor == (0, 1)


def test_rubout_across_a_wrapped_line(vt):
    # a line editor's "\b \b" erases the 81st and then the 80th character typed
    s = vt("p" * 81 + "\b \b")
    assert s.text(0) == "p" * 80 and s.text(1) == "" and s.cursor == (1, 0)
    s = vt("p" * 81 + "\b \b" * 2)
    assert s.text(0) == "p" * 79 and s.cursor == (0, 79)
    s = vt("p" * 81 + "\b \b" * 3)
    assert s.text(0) == "p" * 78 and s.cursor == (0, 78)


def test_tab_stops_every_8_columns_and_stops_at_the_last(vt):
    s = vt("a\tb\tc", fill=".")
    assert s.cells[0][:17] == "a.......b.......c"
    s = vt("\t" * 12)
    assert s.cursor == (0, 79)
    s = vt(at(3, 75) + "\tZ")
    assert s.cells[3][79] == "Z"
    s = vt("ab\t\tc")
    assert s.cells[0][16] == "c"


def test_bel_is_ignored(vt):
    s = vt("a\x07b")
    assert s.text(0) == "ab" and s.cursor == (0, 2)


# ------------------------------------------------------------------ wrapping and scrolling

def test_line_wraps_after_the_last_column(vt):
    s = vt("x" * 80)
    assert s.text(0) == "x" * 80 and s.cursor == (0, 79)  # deferred: still on row 0
    s = vt("x" * 80 + "y")
    assert s.text(1) == "y" and s.cursor == (1, 1)


def test_a_full_line_then_crlf_is_one_line(vt):
    s = vt("x" * 80 + "\r\nnext")
    assert s.lines()[:3] == ["x" * 80, "next", ""]
    s = vt("x" * 80 + "\nnext")
    assert s.lines()[:3] == ["x" * 80, "next", ""]


def test_bottom_right_cell_drawn_without_scrolling(vt):
    s = vt("top" + at(24, 79) + "Z")
    assert s.text(0) == "top" and s.cells[24][79] == "Z" and s.cursor == (24, 79)
    s = vt("top" + at(24, 79) + "Z!")  # the next glyph scrolls
    assert s.text(0) == "" and s.cells[23][79] == "Z" and s.text(24) == "!"


def test_autowrap_off_overwrites_the_last_column(vt):
    s = vt(CSI + "?7l" + "a" * 78 + "bcdef" + "\r\nnext")
    assert s.text(0) == "a" * 78 + "bf" and s.text(1) == "next"
    s = vt(CSI + "?7l" + CSI + "?7h" + "a" * 81)
    assert s.text(1) == "a"


def test_scrolls_at_the_bottom(vt):
    text = "\r\n".join("line %d" % i for i in range(30))
    s = vt(text)
    assert s.lines() == ["line %d" % i for i in range(5, 30)]
    assert s.cursor == (24, 7)


def test_scrolled_in_row_has_the_current_background(vt):
    s = vt(at(24, 0) + CSI + "44m" + "\n" + CSI + "0m")
    assert s.attrs[24] == [a(LGREY, BLUE)] * 80
    assert s.attrs[23] == [PLAIN] * 80


def test_line_feed_at_the_bottom_keeps_the_column_with_lnm_reset(vt):
    s = vt(CSI + "20l" + at(24, 10) + "\n")
    assert s.cursor == (24, 10)


# ------------------------------------------------------------------ cursor movement

@pytest.mark.parametrize("final,dr,dc", [("A", -1, 0), ("B", 1, 0), ("C", 0, 1), ("D", 0, -1)])
def test_cursor_moves_default_1_and_by_n(vt, final, dr, dc):
    start = at(10, 40)
    assert vt(start + CSI + final).cursor == (10 + dr, 40 + dc)
    assert vt(start + CSI + "0" + final).cursor == (10 + dr, 40 + dc)  # 0 means 1
    assert vt(start + CSI + "1" + final).cursor == (10 + dr, 40 + dc)
    assert vt(start + CSI + "7" + final).cursor == (10 + 7 * dr, 40 + 7 * dc)


@pytest.mark.parametrize("final,want", [("A", (0, 40)), ("B", (24, 40)), ("C", (10, 79)),
                                        ("D", (10, 0))])
def test_cursor_moves_are_clamped(vt, final, want):
    for n in ("45", "99", "9999", "123456789012345678901234567890"):
        s = vt(at(10, 40) + CSI + n + final + "*")
        assert s.cursor == (want[0], min(want[1] + 1, 79))
        assert s.cells[want[0]][want[1]] == "*"


def test_cursor_moves_never_scroll(vt):
    s = vt("top" + at(24, 0) + CSI + "5B" + at(0, 0) + CSI + "5A")
    assert s.text(0) == "top" and s.cursor == (0, 0)


def test_cursor_back_after_the_last_column_counts_from_just_past_it(vt):
    s = vt("x" * 80 + CSI + "D" + "Y")
    assert s.cells[0][79] == "Y" and s.text(1) == ""
    s = vt("x" * 80 + CSI + "3D" + "Y")
    assert s.cells[0][77] == "Y"
    s = vt("x" * 80 + CSI + "C" + "Y")  # forward: stays, and the wrap is forgotten
    assert s.cells[0][79] == "Y" and s.text(1) == ""


@pytest.mark.parametrize("final", ["H", "f"])
def test_cursor_position(vt, final):
    assert vt("abc" + CSI + final).cursor == (0, 0)
    assert vt(CSI + "5;10" + final).cursor == (4, 9)
    assert vt(CSI + "5" + final).cursor == (4, 0)
    assert vt(CSI + ";10" + final).cursor == (0, 9)
    assert vt(CSI + "0;0" + final).cursor == (0, 0)
    assert vt(CSI + "25;80" + final).cursor == (24, 79)
    assert vt(CSI + "26;81" + final).cursor == (24, 79)
    assert vt(CSI + "9999;99999999999" + final).cursor == (24, 79)
    assert vt(CSI + "3;4;5;6" + final).cursor == (2, 3)  # extra parameters ignored
    s = vt(CSI + "12;34" + final + "#")
    assert s.cells[11][33] == "#"


def test_line_and_column_absolute_and_next_previous_line(vt):
    assert vt(at(5, 5) + CSI + "20G").cursor == (5, 19)
    assert vt(at(5, 5) + CSI + "G").cursor == (5, 0)
    assert vt(at(5, 5) + CSI + "200G").cursor == (5, 79)
    assert vt(at(5, 5) + CSI + "30`").cursor == (5, 29)
    assert vt(at(5, 5) + CSI + "12d").cursor == (11, 5)
    assert vt(at(5, 5) + CSI + "99d").cursor == (24, 5)
    assert vt(at(5, 5) + CSI + "3E").cursor == (8, 0)
    assert vt(at(5, 5) + CSI + "E").cursor == (6, 0)
    assert vt(at(5, 5) + CSI + "99E").cursor == (24, 0)
    assert vt(at(5, 5) + CSI + "3F").cursor == (2, 0)
    assert vt(at(5, 5) + CSI + "99F").cursor == (0, 0)


def test_save_and_restore_cursor(vt):
    s = vt(at(3, 7) + CSI + "s" + at(20, 50) + "far" + CSI + "u" + "back")
    assert s.cells[3][7:11] == "back" and s.cells[20][50:53] == "far"
    s = vt(at(3, 7) + ESC + "7" + at(20, 50) + ESC + "8" + "back")
    assert s.cells[3][7:11] == "back"


def test_save_and_restore_keep_the_colours(vt):
    s = vt(CSI + "31m" + CSI + "s" + CSI + "42m" + "g" + CSI + "u" + "r")
    assert s.attr(0, 0) == a(RED)
    s = vt(CSI + "31m" + ESC + "7" + CSI + "0m" + ESC + "8" + "r")
    assert s.attr(0, 0) == a(RED)


def test_restore_without_save_goes_home_with_plain_colours(vt):
    s = vt(at(9, 9) + CSI + "35m" + CSI + "u" + "h")
    assert s.cells[0][0] == "h" and s.attr(0, 0) == PLAIN


def test_index_next_line_reverse_index(vt):
    assert vt(at(5, 5) + ESC + "D").cursor == (6, 5)
    assert vt(at(5, 5) + ESC + "E").cursor == (6, 0)
    assert vt(at(5, 5) + ESC + "M").cursor == (4, 5)
    s = vt("first\r\nsecond" + at(0, 3) + ESC + "M" + "new")
    assert s.lines()[:3] == ["   new", "first", "second"] and s.cursor == (0, 6)
    s = vt("first" + at(24, 0) + ESC + "D")
    assert s.text(0) == "" and s.cursor == (24, 0)


# ------------------------------------------------------------------ erasing

def test_erase_display_to_end(vt):
    for seq in ("J", "0J"):
        s = vt(at(10, 40) + CSI + seq, fill=".")
        assert s.cursor == (10, 40)
        assert all(l == "." * 80 for l in s.cells[:10])
        assert s.cells[10] == "." * 40 + " " * 40
        assert all(l == " " * 80 for l in s.cells[11:])


def test_erase_display_to_start(vt):
    s = vt(at(10, 40) + CSI + "1J", fill=".")
    assert s.cursor == (10, 40)
    assert all(l == " " * 80 for l in s.cells[:10])
    assert s.cells[10] == " " * 41 + "." * 39
    assert all(l == "." * 80 for l in s.cells[11:])


def test_erase_whole_display_keeps_the_cursor(vt):
    s = vt(at(10, 40) + CSI + "2J", fill=".")
    assert s.cursor == (10, 40)
    assert all(l == " " * 80 for l in s.cells)


def test_erase_display_unknown_mode_does_nothing(vt):
    for mode in ("3", "4", "9999"):
        s = vt(at(10, 40) + CSI + mode + "J", fill=".")
        assert all(l == "." * 80 for l in s.cells)


def test_erase_line(vt):
    for seq, want in (("K", "." * 40 + " " * 40), ("0K", "." * 40 + " " * 40),
                      ("1K", " " * 41 + "." * 39), ("2K", " " * 80), ("5K", "." * 80)):
        s = vt(at(10, 40) + CSI + seq, fill=".")
        assert s.cells[10] == want, seq
        assert s.cells[9] == s.cells[11] == "." * 80
        assert s.cursor == (10, 40)


def test_erase_uses_the_current_background(vt):
    s = vt(CSI + "41m" + CSI + "2J" + CSI + "0m")
    assert all(x == a(LGREY, RED) for row in s.attrs for x in row)
    s = vt(CSI + "7m" + CSI + "2K")
    assert s.attrs[0] == [a(BLACK, LGREY)] * 80


def test_erase_at_the_edges(vt):
    s = vt(at(24, 79) + CSI + "J" + CSI + "K" + CSI + "1K", fill=".")
    assert s.cells[24] == " " * 80 and s.cells[23] == "." * 80
    s = vt(at(0, 0) + CSI + "1J", fill=".")
    assert s.cells[0] == " " + "." * 79


def test_insert_and_delete_characters(vt):
    s = vt("abcdef" + at(0, 2) + CSI + "2@")
    assert s.text(0) == "ab  cdef" and s.cursor == (0, 2)
    s = vt("abcdef" + at(0, 2) + CSI + "P")
    assert s.text(0) == "abdef"
    s = vt("abcdef" + at(0, 2) + CSI + "3X")
    assert s.text(0) == "ab   f"
    s = vt(at(0, 70) + CSI + "99@", fill=".")  # clamped to the end of the row
    assert s.cells[0] == "." * 70 + " " * 10 and s.cells[1] == "." * 80
    s = vt(at(0, 70) + CSI + "99P", fill=".")
    assert s.cells[0] == "." * 70 + " " * 10 and s.cells[1] == "." * 80
    s = vt("x" * 80 + at(0, 0) + CSI + "@")  # the last column falls off
    assert s.cells[0] == " " + "x" * 79 and s.text(1) == ""


def test_insert_and_delete_lines(vt):
    rows = "\r\n".join("r%d" % i for i in range(25))
    s = vt(rows + at(10, 5) + CSI + "2L")
    assert s.lines()[9:13] == ["r9", "", "", "r10"] and s.lines()[24] == "r22"
    assert s.cursor == (10, 0)
    s = vt(rows + at(10, 5) + CSI + "2M")
    assert s.lines()[9:11] == ["r9", "r12"] and s.lines()[22:] == ["r24", "", ""]
    s = vt(rows + at(20, 0) + CSI + "99M")
    assert s.lines()[19] == "r19" and s.lines()[20:] == [""] * 5
    s = vt(rows + at(24, 0) + CSI + "L")
    assert s.lines()[23:] == ["r23", ""]


# ------------------------------------------------------------------ colours

@pytest.mark.parametrize("n", range(8))
def test_foreground_colours(vt, n):
    s = vt(CSI + "%dmX" % (30 + n) + CSI + "%dmY" % (90 + n))
    assert s.attr(0, 0) == a(ANSI[n])
    assert s.attr(0, 1) == a(ANSI[n] | 8)


@pytest.mark.parametrize("n", range(8))
def test_background_colours(vt, n):
    s = vt(CSI + "%dmX" % (40 + n) + CSI + "%dmY" % (100 + n))
    assert s.attr(0, 0) == a(LGREY, ANSI[n])
    assert s.attr(0, 1) == a(LGREY, ANSI[n] | 8)


def test_ansi_colour_numbers_map_to_vga(vt):
    s = vt("".join(CSI + "3%dm#" % n for n in range(8)))
    assert [x & 15 for x in s.attrs[0][:8]] == [0, 4, 2, 6, 1, 5, 3, 7]


def test_bright_reverse_and_reset(vt):
    s = vt(CSI + "1mA" + CSI + "7mB" + CSI + "0mC" + CSI + "1;31;44mD" + CSI + "mE")
    assert s.attrs[0][:5] == [a(WHITE), a(BLACK, WHITE), PLAIN, a(LRED, BLUE), PLAIN]


def test_reverse_swaps_the_colours(vt):
    s = vt(CSI + "33;44;7mX" + CSI + "27mY" + CSI + "1;7;32mZ")
    assert s.attrs[0][:3] == [a(BLUE, BROWN), a(BROWN, BLUE), a(BLUE, LGREEN)]


def test_sgr_turn_offs_and_defaults(vt):
    s = vt(CSI + "1;31;42m" + CSI + "22mA" + CSI + "39mB" + CSI + "49mC")
    assert s.attrs[0][:3] == [a(RED, GREEN), a(LGREY, GREEN), PLAIN]


def test_sgr_unknown_codes_are_skipped_the_rest_applies(vt):
    s = vt(CSI + "4;5;31;53;9999;108;98;48;38;44mX")
    assert s.attr(0, 0) == a(RED, BLUE)


def test_sgr_256_colour_low_16_and_true_colour_skipped(vt):
    s = vt(CSI + "38;5;1mA" + CSI + "38;5;12mB" + CSI + "48;5;3mC" + CSI + "0;38;5;200mD")
    assert s.attrs[0][:4] == [a(RED), a(LBLUE), a(LBLUE, BROWN), PLAIN]
    # the r;g;b after 38;2 are not read as SGR 1 (bright) or 7 (reverse)
    s = vt(CSI + "38;2;1;7;1mE" + CSI + "48;2;7;1;1;32mF")
    assert s.attrs[0][:2] == [PLAIN, a(GREEN)]


def test_sgr_with_many_parameters(vt):
    s = vt(CSI + ";".join(["1"] * 15 + ["31"]) + "mA" + CSI + "0m"
           + CSI + ";".join(["1"] * 16 + ["31"]) + "mB")
    assert s.attr(0, 0) == a(LRED)
    assert s.attr(0, 1) == a(WHITE)  # the 17th parameter is dropped


# ------------------------------------------------------------------ modes and reset

def test_hide_and_show_cursor(vt):
    assert not vt(CSI + "?25l").shown
    assert vt(CSI + "?25l" + CSI + "?25h").shown
    assert not vt(CSI + "?7;25l").shown
    assert vt(CSI + "25l").shown  # without ? it is not DECTCEM


def test_reset_clears_and_restores_defaults(vt):
    s = vt("junk" + CSI + "31;44m" + CSI + "?25l" + CSI + "?7l" + CSI + "20l" + at(9, 9)
           + ESC + "c" + "x" * 81 + "\nZ")
    assert s.shown and s.lines()[:3] == ["x" * 80, "x", "Z"]
    assert all(x == PLAIN for row in s.attrs for x in row)


def test_reset_forgets_the_saved_cursor(vt):
    s = vt(at(5, 5) + CSI + "32m" + ESC + "7" + ESC + "c" + at(9, 9) + ESC + "8" + "o")
    assert s.cells[0][0] == "o" and s.attr(0, 0) == PLAIN


def test_vt_reset_call(vt_check):
    screens = session(vt_check, [record("F", ".\x07"), record("V", CSI + "31m" + at(5, 5)),
                                 record("R"), record("V", "ok"), record("D")])
    s = screens[0]
    assert s.lines()[0] == "ok" and s.lines()[1:] == [""] * 24 and s.attr(0, 0) == PLAIN


# ------------------------------------------------------------------ splitting and sharing

SCRIPT = ("abc\r\n" + CSI + "1;31mred" + CSI + "0m" + at(5, 70) + "wrapping past the end"
          + CSI + "s" + CSI + "2A" + CSI + "10D" + "up" + CSI + "u" + "\tT\b\bB"
          + ESC + "]0;a title\x07" + CSI + "?25l" + at(12, 0) + CSI + "K"
          + CSI + "44m" + CSI + "2@" + CSI + "0m" + ESC + "7" + at(24, 79) + "!"
          + ESC + "8" + "x" * 200 + CSI + "3;4H" + CSI + "1J" + CSI + "7mrev")


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 127, 128, 129])
def test_sequences_split_across_writes(vt, chunk):
    assert vt(SCRIPT, chunk=chunk).key() == vt(SCRIPT).key()


def test_esc_at_the_end_of_a_write_waits_for_the_rest(vt_check):
    s = session(vt_check, [record("F", ".\x07"), record("V", "ab" + ESC),
                           record("D"), record("V", "[2J"), record("D")])
    assert s[0].cells[0] == "ab" + "." * 78
    assert s[1].cells == [" " * 80] * 25


def test_kernel_log_output_moves_the_shared_cursor(vt):
    s = vt("after", log="kernel says\n")
    assert s.lines()[:2] == ["kernel says", "after"]
    # a pending wrap is forgotten when someone else moved the cursor
    s = vt("y", log="k" * 80)
    assert s.text(1) == "y"


def test_kernel_log_between_writes(vt_check):
    s = session(vt_check, [record("V", "x" * 80), record("K", "\n"), record("V", "z"),
                           record("D")])[0]
    assert s.lines()[:3] == ["x" * 80, "z", ""]


# ------------------------------------------------------------------ malformed input

@pytest.mark.parametrize("seq", [
    CSI + "5z",                  # unknown final
    CSI + "?5A",                 # private marker on a movement
    CSI + ">c",                  # device attributes: no answer
    CSI + "1;2:3m",              # colon sub-parameters
    CSI + "1?5A",                # a marker after a digit
    CSI + "??25l",               # two markers
    CSI + "2 q",                 # an intermediate (cursor style)
    CSI + "2 5q",                # a digit after an intermediate
    CSI + "!p",                  # soft reset (intermediate)
    ESC + "(B", ESC + ")0", ESC + "#8",   # charsets, alignment test
    ESC + "=", ESC + ">", ESC + "Z", ESC + "H", ESC + "N", ESC + "~",
    ESC + "]0;window title\x07",
    ESC + "]2;title" + ESC + "\\",
    ESC + "P1$r junk" + ESC + "\\",
    ESC + "_apc\x07", ESC + "^pm\x07", ESC + "Xsos\x07",
    CSI + " " * 300 + "m",           # endless intermediates
    CSI + "1" + "0" * 500 + "z",     # an endless number, unknown final
    CSI + ";" * 1000 + "y",          # endless parameters, unknown final
    ESC + "(" * 50 + "B",
])
def test_malformed_or_unknown_sequences_are_swallowed(vt, seq):
    s = vt("ab" + CSI + "5;5H" + seq + "cd", fill=".")
    assert s.cells[0] == "ab" + "." * 78
    assert s.cells[4] == "." * 4 + "cd" + "." * 74, repr(seq)
    assert s.cursor == (4, 6) and s.shown
    assert s.attr(4, 4) == PLAIN
    rest = [l for i, l in enumerate(s.cells) if i not in (0, 4)]
    assert rest == ["." * 80] * 23


def test_overlong_parameters_are_bounded(vt):
    s = vt(at(10, 10) + CSI + "1" + "0" * 500 + "Ax")  # saturates: up to row 0
    assert s.cells[0][10] == "x"
    s = vt(at(10, 10) + CSI + ";" * 1000 + "Hx")  # all absent: home
    assert s.cells[0][0] == "x"
    s = vt(at(10, 10) + CSI + "3" + ";" * 1000 + "7Hx")  # the 7 is dropped
    assert s.cells[2][0] == "x"
    s = vt(CSI + "1;" * 300 + "31mx")  # the 31 is far past the kept ones
    assert s.attr(0, 0) == a(WHITE)
    s = vt(CSI + "9" * 100000 + "C" + "x")
    assert s.cells[0][79] == "x"


@pytest.mark.parametrize("cancel", ["\x18", "\x1a"])
def test_can_and_sub_abandon_a_sequence(vt, cancel):
    for head in (CSI + "12;1", CSI + "?2", ESC, ESC + "(", CSI + "1 ", ESC + "]title",
                 ESC + "]title" + ESC):
        s = vt(head + cancel + "Hi")
        assert s.text(0) == "Hi", repr(head)


def test_esc_inside_a_sequence_starts_a_new_one(vt):
    s = vt(CSI + "12;" + CSI + "3;4H" + "x")
    assert s.cells[2][3] == "x"
    s = vt(ESC + "]unterminated title" + CSI + "2;2H" + "y")
    assert s.cells[1][1] == "y"  # ESC ends the string, then starts ESC [


def test_non_ascii_byte_ends_a_sequence(vt):
    s = vt(CSI + "12\xe9;5Hab")
    assert s.text(0) == ";5Hab"
    s = vt(ESC + "\x9bHab")
    assert s.text(0) == "Hab"


def test_control_string_swallows_until_its_end(vt):
    s = vt(ESC + "]0;" + "x" * 5000 + "\x07" + "after")
    assert s.text(0) == "after"
    s = vt(ESC + "]" + "".join(chr(c) for c in range(1, 0x100) if c not in (7, 0x18, 0x1a, 0x1b))
           + ESC + "\\" + "after")
    assert s.text(0) == "after" and s.cursor == (0, 5)


def test_controls_inside_a_sequence_act(vt):
    s = vt("abcdef" + CSI + "2\rC" + "X")
    assert s.text(0) == "abXdef"
    s = vt("abc" + CSI + "1\n;5HX")  # LF acts, then CUP 1;5
    assert s.cells[0][4] == "X" and s.text(1) == ""
    s = vt(CSI + "3\x7fB" + "X")  # DEL is ignored
    assert s.cells[3][0] == "X"


def test_esc_alone_at_the_end_draws_nothing(vt):
    for tail in (ESC, CSI, CSI + "12;", CSI + "?", ESC + "(", ESC + "]x"):
        s = vt("ok" + tail, fill=".")
        assert s.cells[0] == "ok" + "." * 78 and s.cursor == (0, 2), repr(tail)


# ------------------------------------------------------------------ random input

FRAGMENTS = [ESC, CSI, CSI + "?", ESC + "]", ESC + "\\", ESC + "(", ESC + "c", ESC + "7",
             ESC + "8", ESC + "M", ESC + "D", ";", ":", "?", "\x07", "\x18", "\x1a",
             "\r", "\n", "\b", "\t", "\x7f", "999999999999", "25", "7", "0", "1;31",
             "A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "P", "X", "@",
             "d", "f", "h", "l", "m", "s", "u", "`", "38;5;", "48;2;", " ", "$",
             "hello", "x" * 90]


def random_input(rng):
    n = rng.randrange(1, 400)
    if rng.random() < 0.3:
        return bytes(rng.randrange(256) for _ in range(n))
    parts = []
    while sum(map(len, parts)) < n:
        if rng.random() < 0.15:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8))))
        else:
            parts.append(rng.choice(FRAGMENTS).encode("latin-1"))
    return b"".join(parts)


def test_random_input_stays_on_the_screen_and_recovers(vt_check):
    rng = random.Random(4242)
    recs = [record("C", struct.pack("<I", 0))]
    for i in range(4000):
        if i % 500 == 0:
            recs.append(record("C", struct.pack("<I", rng.choice([0, 1, 3, 17]))))
        recs.append(record("V", random_input(rng)))
        if i % 40 == 0:
            recs.append(record("K", "log line\n"))
        if i % 100 == 99:
            recs.append(record("D"))
    # whatever state it was left in, CAN and ESC c bring it back
    recs += [record("V", "\x18" + ESC + "c" + "recovered" + CSI + "2;3H" + CSI + "1;32mok"),
             record("D")]
    screens = session(vt_check, recs)
    assert len(screens) == 41
    s = screens[-1]
    assert s.lines()[:2] == ["recovered", "  ok"] and s.lines()[2:] == [""] * 23
    assert s.cursor == (1, 4) and s.shown and s.attr(1, 2) == a(LGREEN)
    assert s.attr(0, 0) == PLAIN


def test_random_input_does_not_depend_on_how_it_is_split(vt_check):
    rng = random.Random(77)
    inputs = [random_input(rng) for _ in range(300)]
    dumps = {}
    for chunk in (0, 1, 5):
        recs = [record("C", struct.pack("<I", chunk))]
        for data in inputs:
            recs += [record("V", data), record("D")]
        dumps[chunk] = [s.key() for s in session(vt_check, recs)]
    assert dumps[0] == dumps[1] == dumps[5]


def test_random_text_without_escapes_appears_in_order(vt):
    rng = random.Random(5)
    text = "".join(rng.choice("abcdefghij KLMNOP 0123456789.,;") for _ in range(1500))
    s = vt(text)
    assert "".join(s.cells)[:1500] == text[:1500]
    assert s.cursor == divmod(1500, 80)
