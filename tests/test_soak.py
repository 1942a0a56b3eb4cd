"""The soak, a short run (issue 9; `make soak` runs it for 10 minutes): the
owner on the VGA console (keyboard in, display out) and four guests on
COM1-COM4 each receive and send at full rate for 20 s (tests/soak.py says what
full rate is for the keyboard and what is checked on the screen). Every byte
the host sent was received or reported lost, with no bad byte; every byte a
guest sent reached the host in order; the owner's screen moved all along and
ends on the pattern's last bytes; no process missed a Cycle (please loading);
please memory's free bytes and processes are the same before the guests log in
and after they leave."""
import soak

SECONDS = 20


def test_soak_short(boot, tmp_path):
    path, nblocks = soak.disk(tmp_path)
    m = boot(drives=[path], timeout=30)
    figures, before, after, table = soak.run(m, SECONDS, nblocks)
    assert soak.check(figures, before, after, table) == []
    for n in soak.GUESTS:                                   # full rate
        f = figures[n]
        assert f["received"] > 10_000 and f["session_sent"] > 10_000, (n, f)
    assert figures[0]["received"] > 8 * SECONDS, figures[0]     # keys: 10 a second
    assert figures[0]["session_sent"] > 100_000, figures[0]     # the display
