"""soak.py: the soak (issue 9), shared by tests/test_soak.py (a short run in
make test) and tools/soak.py (make soak, 10 minutes).

The owner on the VGA console (keyboard in, display out) and four guests on
COM1-COM4, all at once. Each session runs tests/soak.fs's SOAK on its own
terminal (the guests have it typed, the owner LOADs it from an IDE disk that
holds it as blocks: typing it on the keyboard would take longer than the short
soak). The host sends each terminal the pattern 'a' + i mod 26 as fast as it
takes it for the duration, then '!'; the session checks every byte it receives
against its position (bytes lost to lapping, as receive reports them, advance
the position) and sends the same pattern back as fast as it can.

Figures per guest: bytes the host sent = bytes received + bytes reported lost
(exactly), bad bytes 0, bytes the session sent = bytes the host got with the
right pattern (exactly). The owner: its input is the keyboard, typed through
QMP send-key at 10 keys a second (a fast typist). QEMU's PS/2 queue holds 16
bytes and drops the next ones on the host, unseen by Ha3sm, when the guest
does not read them in time (on this loaded, shared host: 12 keys in 6,000
during one 10-minute soak), so QEMU traces its queue (ps2_put_keycode,
ps2_read_data) and qemu_key_drops replays it: keys typed - presses QEMU
dropped = received + lost, exactly, and bad bytes 0 unless QEMU dropped a key
(each later byte is then one off the pattern). Its
output is the display at full rate: the host reads only the screen, so it
checks that the screen changed between every two snapshots (one every SNAP_S
seconds; GIVE sends 511 bytes at a time, so an unchanged screen cannot be the
pattern's 1,040-byte period of 26 letters on 80 columns coming round) and that
the last screen rows above the report (at least 4: the line editor's echo of
the keys typed after SOAK began scrolls some away) are exactly the pattern's
bytes up to the count the session sent. Then please loading (from a guest):
every process's MISSED Cycles must be 0 (kernel/sched.c); its longest wait for
the CPU is reported.
please memory (the owner, before the guests log in and after they all log out):
free bytes and processes the same.
"""
import os
import re
import threading
import time

from test_h3sm_kernel import script_lines
from test_login import bye, login, wait_prompt

SOURCE = __file__.replace("soak.py", "soak.fs")
PROGRAM = [l for l in script_lines(SOURCE) if l.strip()]
RESULT = re.compile(r"SOAK (\d+) (\d+) (\d+) (\d+) ")
CHUNK = 1024
KEY_HOLD_MS = 5
KEY_PERIOD_S = 0.1          # 10 keys a second: see the module's text
SNAP_S = 2
GUESTS = (1, 2, 3, 4)
ALPHABET = bytes(range(0x61, 0x61 + 26))


def pattern(start, n):
    """The pattern's bytes start .. start+n-1: 'a' + i mod 26."""
    return (ALPHABET * ((start % 26 + n) // 26 + 1))[start % 26:start % 26 + n]


def mismatches(data, start=0):
    """How many bytes of data differ from the pattern from start on."""
    want = pattern(start, len(data))
    return 0 if data == want else sum(1 for a, b in zip(data, want) if a != b)


def disk(directory):
    """An IDE disk image holding soak.fs as H3sm blocks (block 1 = the disk's
    first KiB, 16 lines of 64 characters; comment lines left out); its path and
    the number of blocks."""
    lines = [l for l in PROGRAM if not l.startswith("\\")]
    assert all(len(l) <= 64 for l in lines), "soak.fs: a code line longer than 64"
    blocks = [lines[i:i + 16] for i in range(0, len(lines), 16)]
    data = b"".join("".join(l.ljust(64) for l in b).ljust(1024).encode() for b in blocks)
    path = os.path.join(str(directory), "soak-disk.img")
    with open(path, "wb") as f:
        f.write(data.ljust(1 << 20, b"\0"))
    return path, len(blocks)


def machine(directory):
    """The Machine(...) options of the soak (the console on VGA, the disk with
    soak.fs, QEMU tracing its PS/2 queue into directory), the number of blocks
    and the trace's path."""
    path, nblocks = disk(directory)
    trace = os.path.join(str(directory), "ps2-trace.log")
    extra = ["-trace", "ps2_put_keycode", "-trace", "ps2_read_data", "-D", trace]
    return dict(drives=[path], timeout=30, extra=extra), nblocks, trace


def qemu_key_drops(trace):
    """Key presses QEMU dropped on the host: its PS/2 queue (16 bytes) replayed
    from the trace. A put (a set 2 code, translated to set 1: F0 only marks the
    next code as a release) is queued unless the queue is full; a read takes one
    (the ACKs of the keyboard's setup are not traced, so the replay never goes
    below 0). Returns (presses dropped, releases dropped)."""
    queued = presses = releases = 0
    release = False
    with open(trace) as f:
        for l in f:
            if l.startswith("ps2_read_data"):
                queued = max(0, queued - 1)
            elif l.startswith("ps2_put_keycode"):
                if l.split()[-1] == "0xf0":
                    release = True
                    continue
                if queued >= 16:
                    releases += release
                    presses += not release
                else:
                    queued += 1
                release = False
    return presses, releases


def screen_reply(m, command, regex, timeout=30):
    """Type command on the console's keyboard; the match of regex right after
    the command's echo on the screen."""
    m.sendkeys(command + "\n", hold_ms=KEY_HOLD_MS)
    return m.wait_screen(re.escape(command) + r" " + regex, timeout)


def owner_memory(m):
    """please memory from the owner at the console: (free, largest, processes)."""
    found = screen_reply(m, 'PLEASE" memory" DROP .REPLY', r"(\d+) (\d+) (\d+)\s+ok")
    return tuple(int(x) for x in found.groups())


def loading(console):
    """please loading from a guest: {pid: (user, missed, wait_ms)}."""
    out = console.type('PLEASE" loading" DROP .REPLY')
    rows = {}
    for l in out.splitlines()[1:]:
        r = re.match(r"\s*(\d+) (\S+)\s+\d+\.\d% +\d+ +(\d+) +(\d+)$", l)
        if r:
            rows[int(r.group(1))] = (r.group(2), int(r.group(3)), int(r.group(4)))
    assert rows and "idle" in out.splitlines()[-1], out
    return rows


def screen_tail(rows, sent):
    """The owner's display after its report: the pattern rows right above the
    SOAK line, joined, must be the last bytes of the pattern up to sent."""
    at = max(i for i, r in enumerate(rows) if r.startswith("SOAK "))
    shown = ""
    for r in reversed(rows[:at]):
        if not re.fullmatch(r"[a-z]+", r):
            break
        shown = r + shown
    good = len(shown) > 0 and shown.encode() == pattern(sent - len(shown), len(shown))
    return len(shown), good


def owner_login(m):
    m.wait_screen(r"Ha3sm login:\s*$", 60)
    m.sendkeys("root\n")
    m.wait_screen(r"password:\s*$", 20)
    m.sendkeys("ha3sm\n")
    m.wait_screen(r"H3sm .* bytes free", 60)


def run(m, seconds, nblocks, trace=None, log=print):
    """The soak on a Machine booted with machine()'s options.
    Returns figures ({1..4: each guest's, 0: the owner's}), please memory
    before and after, and please loading's table taken before the guests left."""
    owner_login(m)
    screen_reply(m, "1 %d THRU 1 2 + ." % nblocks, r"3\s+ok", 60)
    for n in GUESTS:
        wait_prompt(m.line(n))
    before = owner_memory(m)
    guests = {n: login(m.line(n), "guest%d" % n, "guest") for n in GUESTS}
    for c in guests.values():
        outs = c.run(PROGRAM)
        assert not [o for o in outs if o.strip()], outs
    sent, marks, snaps = {}, {}, []
    for n, c in guests.items():
        marks[n] = len(c.line._received)
        c.line.send("OPEN .com%d SOAK\r" % n)
        c.line.expect_exact("GO\r\n", timeout=30)
    m.sendkeys("OPEN .console SOAK\n", hold_ms=KEY_HOLD_MS)
    m.wait_screen(r"^[a-z]{80}$", 30)               # the owner's pattern fills rows
    stop = time.monotonic() + seconds

    def feed(n):
        line = guests[n].line
        i = 0
        while time.monotonic() < stop:
            line.sock.sendall(pattern(i, CHUNK))
            i += CHUNK
        sent[n] = i
        time.sleep(2)
        line.sock.sendall(b"!")

    def type_keys():            # the one thread that talks QMP while the soak runs
        i, t = 0, time.monotonic()
        snap = t + SNAP_S
        while time.monotonic() < stop:
            m.sendkey(chr(0x61 + i % 26), hold_ms=KEY_HOLD_MS)
            i += 1
            t += KEY_PERIOD_S
            if time.monotonic() >= snap:
                snaps.append(m.screen_bytes()[0::2])
                snap += SNAP_S
            time.sleep(max(0, t - time.monotonic()))
        sent[0] = i
        time.sleep(2)
        m.sendkeys("!", hold_ms=KEY_HOLD_MS)

    threads = [threading.Thread(target=feed, args=(n,)) for n in GUESTS]
    threads.append(threading.Thread(target=type_keys))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    figures = {}
    for n, c in guests.items():
        c.line.expect(RESULT, timeout=120)
        got, lost, bad, out = (int(x) for x in c.line.match.groups())
        c.line.expect(r"  ok\r\n", timeout=30)
        data = bytes(c.line._received[marks[n]:])   # from before the command was typed
        data = data[data.index(b"GO\r\n") + 4:]
        data = data[:data.index(b"\r\nSOAK ")]
        figures[n] = dict(host_sent=sent[n], received=got, lost=lost, bad=bad,
                          session_sent=out, host_got=len(data),
                          host_bad=mismatches(data))
        log("COM%d: %s" % (n, figures[n]))
    found = m.wait_screen(r"^SOAK (\d+) (\d+) (\d+) (\d+)\n\s*ok$", 120)
    got, lost, bad, out = (int(x) for x in found.groups())
    shown, tail_good = screen_tail(m.screen_text(), out)
    dropped = qemu_key_drops(trace)[0] if trace else 0
    figures[0] = dict(keys_typed=sent[0], qemu_dropped=dropped, received=got, lost=lost,
                      bad=bad, session_sent=out,
                      screen_tail=shown, screen_tail_good=tail_good, snapshots=len(snaps),
                      screen_moved=sum(1 for a, b in zip(snaps, snaps[1:]) if a != b))
    log("console: %s" % figures[0])
    m.sendkey("ret")            # the keys typed after SOAK began sit in the line editor too
    screen_reply(m, "7 6 * .", r"42\s+ok")
    time.sleep(0.5)
    for c in guests.values():   # so do the bytes after the '!' on the lines
        c.line.send("\r")
        c.line.expect(r"(  ok|undefined word)\r\n", timeout=30)
    table = loading(guests[1])
    log("loading: %s" % table)
    for c in guests.values():
        bye(c)
    after = owner_memory(m)
    return figures, before, after, table


def check(figures, before, after, table):
    """What the soak must show; a list of what did not hold (empty: it passed)."""
    bad = []
    for n, f in figures.items():
        if n == 0:
            if f["received"] + f["lost"] != f["keys_typed"] - f["qemu_dropped"]:
                bad.append("console keys: %s" % f)
            if f["bad"] != 0 and not f["qemu_dropped"]:
                bad.append("console keys: %s" % f)
            if not f["screen_tail_good"] or f["screen_tail"] < 320:
                bad.append("console screen is not the pattern's tail: %s" % f)
            if f["snapshots"] < 2 or f["screen_moved"] != f["snapshots"] - 1:
                bad.append("console screen stood still: %s" % f)
        elif (f["received"] + f["lost"] != f["host_sent"] or f["bad"] or f["host_bad"]
              or f["host_got"] != f["session_sent"]):
            bad.append("COM%d: %s" % (n, f))
    if [r for r in table.values() if r[1] != 0] or len(table) < 5:
        bad.append("missed Cycles: %s" % table)
    if (after[0], after[2]) != (before[0], before[2]):
        bad.append("memory %s before, %s after" % (before, after))
    return bad
