"""soak.py: the soak (issue 9), shared by tests/test_soak.py (a short run in
make test) and tools/soak.py (make soak, 10 minutes).

Booted with console=com1: the owner on the console (COM1) and guests on COM2,
COM3 and COM4 (with console=com1 the fourth serial line is the console). Each
session types tests/soak.fs and runs SOAK on its own terminal; the host sends
each line the pattern 'a' + i mod 26 as fast as the line takes it for the
duration, pauses, then sends '!'; the session checks every byte it receives
against its position (bytes lost to lapping, as receive reports them, advance
the position) and sends the same pattern back as fast as it can. The figures
per session: bytes the host sent, bytes received + bytes reported lost (must
match exactly), bad bytes (must be 0), bytes the session sent and bytes the
host got with the right pattern (must match exactly). please memory before the
guests log in and after they all log out must match.
"""
import re
import threading
import time

from test_h3sm_kernel import Console, script_lines
from test_login import bye, login, memory, wait_prompt

PROGRAM = [l for l in script_lines(__file__.replace("soak.py", "soak.fs")) if l.strip()]
RESULT = re.compile(r"SOAK (\d+) (\d+) (\d+) (\d+) ")
CHUNK = 256


def pattern(start, n):
    return bytes(0x61 + (i % 26) for i in range(start, start + n))


def run(m, seconds, log=print):
    owner = Console(m.line(1))
    for n in (2, 3, 4):
        wait_prompt(m.line(n))
    before = memory(owner)
    sessions = {1: owner}
    for n in (2, 3, 4):
        sessions[n] = login(m.line(n), "guest%d" % (n - 1), "guest")
    for c in sessions.values():
        outs = c.run(PROGRAM)
        assert not [o for o in outs if o.strip()], outs
    names = {1: ".console", 2: ".com2", 3: ".com3", 4: ".com4"}
    sent = {}
    marks = {}
    for n, c in sessions.items():
        marks[n] = len(c.line._received)
        c.line.send("OPEN %s SOAK\r" % names[n])
        c.line.expect_exact("GO\r\n", timeout=30)
    stop = time.monotonic() + seconds

    def feed(n):
        line = sessions[n].line
        i = 0
        while time.monotonic() < stop:
            line.sock.sendall(pattern(i, CHUNK))
            i += CHUNK
        sent[n] = i
        time.sleep(2)
        line.sock.sendall(b"!")

    threads = [threading.Thread(target=feed, args=(n,)) for n in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    figures = {}
    for n, c in sessions.items():
        c.line.expect(RESULT, timeout=120)
        got, lost, bad, out = (int(x) for x in c.line.match.groups())
        c.line.expect(r"  ok\r\n", timeout=30)
        data = bytes(c.line._received[marks[n]:])   # from before the command was typed
        data = data[data.index(b"GO\r\n") + 4:]
        data = data[:data.index(b"\r\nSOAK ")]
        figures[n] = dict(host_sent=sent[n], received=got, lost=lost, bad=bad,
                          session_sent=out, host_got=len(data),
                          host_bad=sum(1 for a, b in zip(data, pattern(0, len(data))) if a != b))
        log("COM%d: %s" % (n, figures[n]))
    time.sleep(0.5)
    for n in sessions:      # what came after the '!' may sit in the line editor
        sessions[n].line.send("\r")
        sessions[n].line.expect(r"(  ok|undefined word)\r\n", timeout=30)
    for n in (2, 3, 4):
        bye(sessions[n])
    after = memory(owner)
    return figures, before, after
