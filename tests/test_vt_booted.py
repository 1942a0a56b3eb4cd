"""The console glyph display on the booted kernel: H3sm typed on the PS/2 keyboard
writes escape sequences to the console device, and the VGA screen (read from
0xb8000 through QMP) shows what docs/glyph-display.md says.

Skipped while the console's output does not go through vt_write/vt_putc (no kernel
or devices source calls them). Run: /usr/bin/python3 -m pytest -q tests/test_vt_booted.py
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def console_uses_vt():
    for folder in ("kernel", "devices"):
        for src in (ROOT / folder).glob("*.c"):
            if re.search(r"\bvt_(write|putc)\s*\(", src.read_text(errors="replace")):
                return True
    return False


pytestmark = pytest.mark.skipif(not console_uses_vt(),
                                reason="the console's output does not go through vt_write yet")

# words typed first: csi sends ESC [
WORDS = ": csi 27 emit 91 emit ;"


@pytest.fixture
def vga(boot):
    m = boot(append="console=vga login=off")   # the console's H3sm, no login
    m.wait_screen(r"H3sm .* bytes free", 30)
    m.sendkeys("1 2 + .\n")
    m.wait_screen(r"1 2 \+ \. 3 .*ok", 30)
    m.sendkeys(WORDS + "\n")
    m.wait_screen(re.escape(WORDS) + r" .*ok", 30)
    return m


def attrs(m):
    b = m.screen_bytes()
    return [list(b[r * 160 + 1:r * 160 + 160:2]) for r in range(25)]


def test_clear_screen_and_cursor_position(vga):
    vga.sendkeys('csi ." 2J" csi ." 5;10H" ." hello"\n')
    vga.wait_screen(r"^ {9}hello", 20)
    rows = vga.screen_text()
    assert rows[:4] == [""] * 4, rows
    assert rows[4].startswith(" " * 9 + "hello")
    screen = "\n".join(rows)
    assert "2J" not in screen and "Ha3sm" not in screen and "\x1b" not in screen


def test_colours_in_the_attribute_bytes(vga):
    vga.sendkeys('csi ." 2J" csi ." H" csi ." 1;31;44m" ." RED" csi ." 0;30;47m" '
                 '." ink" csi ." m" ." X"\n')
    vga.wait_screen(r"^REDinkX", 20)
    a = attrs(vga)[0]
    assert a[:3] == [0x1c] * 3      # bright red on blue
    assert a[3:6] == [0x70] * 3     # black on light grey
    assert a[6] == 0x07             # default again
    assert "[" not in vga.screen_text()[0]


def test_cursor_movement_and_erase_in_line(vga):
    vga.sendkeys('csi ." 2J" csi ." H" ." abcdef" csi ." 3D" csi ." K" ." Z" '
                 'csi ." 2B" csi ." 2C" ." down"\n')
    vga.wait_screen(r"^abcZ$", 20)
    rows = vga.screen_text()
    assert rows[0] == "abcZ" and rows[1] == ""
    assert rows[2].startswith(" " * 6 + "down")


def test_typing_and_backspace_still_edit_the_line(vga):
    vga.sendkeys("12\b3 4 + .\n")
    vga.wait_screen(r"^13 4 \+ \. 17 ", 20)
    vga.sendkeys(": lines 40 0 do cr i . loop ; lines\n")
    vga.wait_screen(r"^39 ", 20)
    rows = vga.screen_text()
    nums = [int(r.split()[0]) for r in rows if re.match(r"^\d+ *( ok)?$", r)]
    assert nums == list(range(nums[0], 40)) and len(nums) >= 20


def test_many_scrolls_keep_the_screen_whole(vga):
    # 400 lines scroll the screen hundreds of times: it still shows the last
    # ones in order, in the default colours
    vga.sendkeys(": many 400 0 do cr i . loop ; many\n")
    vga.wait_screen(r"^399 ", 30)
    rows = vga.screen_text()
    nums = [int(r.split()[0]) for r in rows if re.match(r"^\d+ *( ok)?$", r)]
    assert nums == list(range(400 - len(nums), 400)) and len(nums) >= 23, rows
    assert all(a == 0x07 for row in attrs(vga) for a in row), "attributes"


def test_runs_of_every_length_between_unprintable_bytes(vga):
    # runs of 1..13 letters (91: the last wraps), each ended by DEL (dropped) and 200 (not ASCII:
    # dropped), start at every alignment of text and cells: vga_text draws them
    # four bytes a step (include/cells.h) and each byte after a run by itself
    vga.sendkeys(": runs 14 1 do i 0 do 96 j + emit loop 127 emit 200 emit loop ;\n")
    vga.sendkeys('csi ." 2J" csi ." 3;2H" csi ." 1;33m" runs csi ." 0m" ." |"\n')
    want = "".join(chr(96 + j) * j for j in range(1, 14))
    vga.wait_screen(r"^ " + want[:20], 20)
    row = vga.screen_text()[2]
    assert row.startswith(" " + want[:79]), row
    rest = want[79:] + "|"
    assert vga.screen_text()[3].startswith(rest), vga.screen_text()[2:5]
    cells = attrs(vga)
    assert cells[2][1:80] == [0x0e] * 79 and cells[3][:len(rest) - 1] == [0x0e] * (len(rest) - 1)
    assert cells[3][len(rest) - 1] == 0x07 and cells[2][0] == 0x07
