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
    options, nblocks, trace = soak.machine(tmp_path)
    m = boot(**options)
    figures, before, after, table = soak.run(m, SECONDS, nblocks, trace)
    assert soak.check(figures, before, after, table) == []
    for n in soak.GUESTS:                                   # full rate
        f = figures[n]
        assert f["received"] > 10_000 and f["session_sent"] > 10_000, (n, f)
    assert figures[0]["received"] > 8 * SECONDS, figures[0]     # keys: 10 a second
    assert figures[0]["session_sent"] > 100_000, figures[0]     # the display


def test_qemu_key_drops_replays_the_ps2_queue(tmp_path):
    # no QEMU: a trace in QEMU's format. 17 presses of 'a' (set 2 0x1c), none
    # read: the 17th finds the queue full; a release (F0 1C) then finds it full
    # too; two reads make room for the next press.
    put = "ps2_put_keycode 0x5 keycode 0x%02x\n"
    lines = [put % 0x1c] * 17 + [put % 0xf0, put % 0x1c]
    lines += ["ps2_read_data 0x5\n"] * 2 + [put % 0x1c]
    trace = tmp_path / "t.log"
    trace.write_text("".join(lines))
    assert soak.qemu_key_drops(str(trace)) == (1, 1)
    trace.write_text("".join(["ps2_read_data 0x5\n"] * 6 + [put % 0x1c, put % 0xf0, put % 0x1c]))
    assert soak.qemu_key_drops(str(trace)) == (0, 0)   # reads of untraced ACKs
