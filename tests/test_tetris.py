"""The game behind `please tetris` (h3sm/tetris.fs) on the booted kernel.

Until the please command starts it in a process of its own, the tests boot with
login=off console=com1: the console's owner H3sm is on COM1, and the VGA screen and
the PS/2 keyboard are still the .display and .keyboard devices the game uses. The
file is typed at COM1 a line at a time (each line must answer just "ok"), TETRIS
runs, QEMU's keyboard (sendkey) plays, and the VGA screen (read through QMP) is
checked square by square: a piece appears and falls, moves and turns, a full row
clears and the LINES counter says so, q or a full well ends the game with GAME
OVER, and TETRIS returns the rows cleared to the prompt.

The screen is read the way a player reads it: the well is the 20 rows between the
walls `<!` and `!>`, two columns a square, `[]` a square, ` .` an empty one.
Run: /usr/bin/python3 -m pytest -q -x tests/test_tetris.py
"""
import re
import time
from pathlib import Path

import pytest

from test_h3sm_kernel import Console

ROOT = Path(__file__).resolve().parent.parent
TETRIS_FS = ROOT / "h3sm" / "tetris.fs"
ROWS, COLS = 20, 10
I, O, T, S, Z, J, L = range(7)     # the game's piece numbers


def pieces(seed, n):
    """The first n pieces TETRIS deals for TETRIS-SEED = seed: xorshift32
    (13, 17, 5), each output mod 7, as RANDOM and RANDOM-PIECE in tetris.fs."""
    x, out = seed & 0xFFFFFFFF, []
    for _ in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out.append(x % 7)
    return out


def seed_for(first):
    """The smallest seed whose game starts with the pieces in first."""
    return next(s for s in range(1, 1 << 20) if pieces(s, len(first)) == list(first))


@pytest.fixture
def game(boot):
    """The console's H3sm on COM1 with tetris.fs compiled in it."""
    m = boot(append="console=com1 login=off")
    c = Console(m.line(1))
    c.machine = m
    before = int(c.type("UNUSED .").split()[0])
    for text in TETRIS_FS.read_text().splitlines():
        if text.strip():
            assert c.type(text) == "", text          # each line: just "ok"
    used = before - int(c.type("UNUSED .").split()[0])
    assert 0 < used < 32 * 1024, used                # the dictionary it takes
    return c


def start(c, seed):
    """TETRIS-SEED ! then TETRIS, left running (its answer comes at the end)."""
    assert c.type("%d TETRIS-SEED !" % seed) == ""
    c.line.send("TETRIS .\r")
    c.line.expect_exact("TETRIS . ", timeout=10)


def finished(c, timeout=15):
    """What TETRIS . printed when the game ended, then the prompt back."""
    c.line.expect(r"(-?\d+) +ok\r\n", timeout=timeout)
    return int(c.line.match.group(1))


def origin(m):
    """The screen row and column (0-based) of the well's top left wall, `<!`."""
    rows = m.screen_text()
    return next((i, r.index("<!")) for i, r in enumerate(rows) if "<!" in r)


def colour(m, r, c):
    """The attribute byte of the square at row r, column c of the well (its `[`)."""
    top, left = origin(m)
    return m.screen_bytes()[(top + r) * 160 + (left + 2 + 2 * c) * 2 + 1]


def well(m, strict=True):
    """The well on the VGA screen: 20 rows of 10 cells, each "[]" (a square),
    " ." (empty) or "::" (the shadow of where the falling piece would land)."""
    rows = [r.ljust(80) for r in m.screen_text()]
    sides = [(i, r.index("<!")) for i, r in enumerate(rows)
             if "<!" in r and "!>" in r and "==" not in r]
    assert len(sides) == ROWS, "no well on the screen:\n" + m.screen()
    top, left = sides[0]
    grid = []
    for i in range(ROWS):
        r = rows[top + i]
        assert r[left:left + 2] == "<!" and r[left + 22:left + 24] == "!>", m.screen()
        cells = [r[left + 2 + 2 * c:left + 4 + 2 * c] for c in range(COLS)]
        if strict:
            assert all(x in ("[]", " .", "::") for x in cells), m.screen()
        grid.append(cells)
    floor = rows[top + ROWS]
    assert floor[left:left + 24] == "<!" + "=" * 20 + "!>", m.screen()
    return grid


def squares(grid):
    return {(r, c) for r in range(ROWS) for c in range(COLS) if grid[r][c] == "[]"}


def shadow(grid):
    """The squares where the falling piece would land (drawn ::)."""
    return {(r, c) for r in range(ROWS) for c in range(COLS) if grid[r][c] == "::"}


def wait_for(m, what, ok, timeout=10):
    """Poll the well until ok(squares) is true; the squares. A screen without a
    whole well (not drawn yet, or the last game's) is waited out too."""
    deadline = time.time() + timeout
    while True:
        try:
            sq = squares(well(m))
        except AssertionError:
            sq = None
        if sq is not None and ok(sq):
            return sq
        if time.time() > deadline:
            raise AssertionError("the well never showed %s; it shows:\n%s"
                                 % (what, m.screen()))
        time.sleep(0.05)


def counter(m, name):
    found = re.search(r"\b%s +(\d+)" % name, m.screen())
    assert found, "no %s on the screen:\n%s" % (name, m.screen())
    return int(found.group(1))


def cols(sq):
    return sorted({c for _, c in sq})


def rows_of(sq):
    return sorted({r for r, _ in sq})


def test_pieces_fall_move_turn_and_a_row_clears(game):
    m = game.machine
    seed = seed_for([I, I, O])
    start(game, seed)

    # the first I comes in flat on the top row, columns 3-6; NEXT shows the next
    sq = wait_for(m, "an I on the top row", lambda s: len(s) == 4)
    assert sq == {(0, 3), (0, 4), (0, 5), (0, 6)}, m.screen()
    assert "NEXT" in m.screen() and counter(m, "LINES") == 0
    assert shadow(well(m)) == {(19, 3), (19, 4), (19, 5), (19, 6)}, m.screen()
    assert colour(m, 10, 4) == 0x08                 # an empty square: dark grey
    # it falls by itself, a row at a time, keeping its shape
    sq = wait_for(m, "the I a row lower", lambda s: s and min(rows_of(s)) >= 1, 5)
    assert len(sq) == 4 and len(rows_of(sq)) == 1 and cols(sq) == [3, 4, 5, 6], m.screen()

    # left arrow, a, left arrow: three columns left, to the wall
    m.sendkey("left")
    wait_for(m, "the I one column left", lambda s: cols(s) == [2, 3, 4, 5])
    m.sendkey("a")
    m.sendkey("left")
    sq = wait_for(m, "the I against the left wall", lambda s: cols(s) == [0, 1, 2, 3])
    # one more left: the wall stops it
    m.sendkey("left")
    time.sleep(0.3)
    assert cols(squares(well(m))) == [0, 1, 2, 3], m.screen()
    # up turns it upright (one column, four rows); w three times turns it back flat
    m.sendkey("up")
    sq = wait_for(m, "the I upright", lambda s: len(cols(s)) == 1 and len(rows_of(s)) == 4)
    for _ in range(3):
        m.sendkey("w")
    sq = wait_for(m, "the I flat again", lambda s: cols(s) == [0, 1, 2, 3] and len(rows_of(s)) == 1)
    # down and s: a row each, faster than it falls
    y = rows_of(sq)[0]
    m.sendkey("down")
    m.sendkey("s")
    sq = wait_for(m, "the I two rows lower", lambda s: rows_of(s)[0] >= y + 2)

    # space drops it onto the floor; the second I comes in at once
    m.sendkey("spc")
    bottom = {(19, c) for c in range(4)}
    sq = wait_for(m, "the I on the floor and the next I on top",
                  lambda s: bottom <= s and len(s) == 8 and min(rows_of(s)) == 0)
    assert sq - bottom == {(0, 3), (0, 4), (0, 5), (0, 6)}, m.screen()
    assert colour(m, 19, 0) == 0xB0                 # an I: black [] on bright cyan
    # right arrow once, then down to the floor beside the first
    m.sendkey("right")
    wait_for(m, "the second I moved right", lambda s: cols(s - bottom) == [4, 5, 6, 7])
    m.sendkey("spc")
    bottom |= {(19, c) for c in range(4, 8)}
    # the O comes in at columns 4-5; d and the right arrow take it to the right wall
    sq = wait_for(m, "the O on top", lambda s: bottom <= s and len(s) == 12)
    assert sq - bottom == {(0, 4), (0, 5), (1, 4), (1, 5)}, m.screen()
    for key in ("d", "right", "d", "right"):
        m.sendkey(key)
    wait_for(m, "the O against the right wall", lambda s: cols(s - bottom) == [8, 9])
    score = counter(m, "SCORE")
    m.sendkey("spc")
    # the bottom row is full and goes; the O's top half comes down onto the floor
    wait_for(m, "the full row cleared", lambda s: {(19, 8), (19, 9)} <= s
             and not any(r == 19 and c < 8 for r, c in s) and (18, 8) not in s)
    sq = squares(well(m))
    assert {(r, c) for r, c in sq if r >= 10} == {(19, 8), (19, 9)}, m.screen()
    assert counter(m, "LINES") == 1
    assert colour(m, 19, 8) == 0xE0                 # the O's half: on bright yellow
    assert counter(m, "SCORE") >= score + 100      # 100 for the row, 2 a row dropped

    # q ends the game: GAME OVER on the well, and TETRIS returns the rows cleared
    m.sendkey("q")
    m.wait_screen(r"<!.*GAME OVER.*!>", 10)
    assert finished(game) == 1
    assert counter(m, "LINES") == 1                 # the screen is left as it was
    # the prompt is back and the stack is clean
    assert game.type("DEPTH . 1 2 + .") == "0 3 "


def test_a_full_well_ends_the_game(game):
    m = game.machine
    start(game, 7)
    wait_for(m, "a first piece", lambda s: len(s) == 4)
    # drop every piece where it comes in: they pile up in the middle columns,
    # never fill a row, and soon one cannot come in
    deadline = time.time() + 60
    while "GAME OVER" not in m.screen():
        assert time.time() < deadline, "the well never filled:\n" + m.screen()
        m.sendkey("spc")
        time.sleep(0.15)
    sq = squares(well(m, strict=False))
    assert min(rows_of(sq)) == 0, m.screen()            # the pile reaches the top
    assert len(sq) >= 40 and set(cols(sq)) <= set(range(2, 8)), m.screen()
    assert counter(m, "LINES") == 0
    assert finished(game) == 0
    # and a second game starts afresh in the same instance
    start(game, 7)
    wait_for(m, "a new game's first piece", lambda s: len(s) == 4)
    assert counter(m, "LINES") == 0 and counter(m, "SCORE") == 0
    m.sendkey("q")
    m.wait_screen(r"GAME OVER", 10)
    assert finished(game) == 0
