"""fuzz_calls.py: the call fuzzer's driver (issue 9), shared by
tests/test_fuzz_calls.py (a short run in make test) and tools/fuzz_calls.py
(make fuzz-calls, the full run).

The owner logs in on the console (COM1), a second guest on COM3 as a bystander;
the fuzzing guest works on COM2. tests/fuzz/calls.fs is typed into the guest,
then "<seed> <n> FUZZ" runs n calls with that seed. Meanwhile the owner and the
bystander are asked to compute something at least every 2 seconds and must
answer within ANSWER_S each time. A fault in the guest logs it out
("[logged out: ...]"): the driver logs in again, types the program again and
goes on with the next seed.

The fuzzer's reads and receives may land anywhere in its own segment (rarely:
its code, its dictionary, its terminal ring), so a guest can also break itself
without faulting: a loop of its own making, or a wait for something that never
comes. When its line shows nothing for STALL_S, the guest is "stuck": the owner
ends it with please kill, which must log it out within ANSWER_S (if it does not,
that is a hang), and the next seed runs on the same line.

The figures: calls made (counted from the guest's own reports, every 1000
calls), seeds, logouts, guests stuck (each ended by the owner; also a guest
whose FUZZ the fuzzer itself wrote over, answered "FUZZ: undefined word"), kernel panics,
hangs (the kernel or another session not answering, or a kill not taking), the
checksum of the kernel's code and read-only data (please checksum) before and
after.
"""
import re
import time

import pexpect

from test_h3sm_kernel import PROMPT, Console, script_lines
from test_login import login, wait_prompt, memory, bye

PROGRAM = [l for l in script_lines(__file__.replace("fuzz_calls.py", "fuzz/calls.fs"))
           if l.strip()]
PROGRESS = re.compile(r"FZ(END)? (\d+) (\d+) (-?\d+) (-?\d+)\r\n")
LOGGED_OUT = re.compile(r"\[logged out: ([^\]\r\n]*)\]")
PANIC = re.compile(r"PANIC")
# the fuzzer's own words written over: the command is answered by an error
BROKEN = re.compile(r"\d+ \d+ FUZZ \r\n(FUZZ: [^\r\n]*)\r\n")
ANSWER_S = 10          # another session must answer within this
STALL_S = 60           # no progress report for this long: the guest is stuck or a hang
PROCESS = r"^\s*(\d+) \S+\s+\S+\s+\d+\s+\d+ \.com%d\r?$"   # please processes: the line's pid


def checksum(owner):
    out = owner.type('PLEASE" checksum" . .REPLY')
    m = re.fullmatch(r"-?1 ([0-9a-f]{8}) (\d+)", out.strip())
    assert m, out
    return m.group(1), int(m.group(2))


class Figures(dict):
    def __str__(self):
        return ("calls %(calls)d in %(seeds)d seeds (%(successes)d succeeded), "
                "guest logouts %(logouts)d, guests stuck %(stuck)d (ended by the owner), kernel panics "
                "%(panics)d, hangs %(hangs)d, other sessions answered %(answers)d "
                "times (slowest %(slowest).2f s), checksum %(sum_before)s -> "
                "%(sum_after)s over %(sum_bytes)d bytes, please memory %(memory_before)s -> "
                "%(memory_after)s, %(seconds).0f s" % self)


def start(m, log=print):
    """On a machine booted with console=com1: the owner on COM1, the bystander
    guest2 on COM3; COM2 and COM4 at their prompts. Returns (owner, bystander)."""
    owner = Console(m.line(1))
    for n in (2, 3, 4):
        wait_prompt(m.line(n))
    other = login(m.line(3), "guest2", "guest")
    return owner, other


def _enter(line, raw=True):
    """Log guest1 in on a line at its (consumed) prompt and type the program
    (raw=False: without the raw traps)."""
    g = login(line, "guest1", "guest")
    outs = g.run(PROGRAM + ([] if raw else ["0 RAWS !"]), timeout=30)
    bad = [o for o in outs if o.strip()]
    assert not bad, "the fuzzer did not load: %r" % bad
    return g


def run(m, owner, other, total, per_seed=20000, seed=1, log=print, raw=True):
    f = Figures(calls=0, seeds=0, successes=0, logouts=0, stuck=0, panics=0, hangs=0,
                answers=0, slowest=0.0, reasons={}, seconds=0.0)
    t0 = time.monotonic()
    f["sum_before"], f["sum_bytes"] = checksum(owner)
    f["memory_before"] = memory(owner)
    fuzzline = 2
    g = _enter(m.line(fuzzline), raw)
    k = 0

    def others_answer():
        nonlocal k
        k += 1
        for who, c in (("owner", owner), ("guest2", other)):
            a = time.monotonic()
            try:
                out = c.type("%d %d * ." % (k, k + 7), timeout=ANSWER_S)
            except pexpect.TIMEOUT:
                f["hangs"] += 1
                raise AssertionError("%s did not answer within %d s" % (who, ANSWER_S))
            assert out == "%d " % (k * (k + 7)), (who, out)
            f["answers"] += 1
            f["slowest"] = max(f["slowest"], time.monotonic() - a)

    def end_stuck():
        """The owner ends the guest on the fuzzing line; it must go within ANSWER_S."""
        out = owner.type('PLEASE" processes" DROP .REPLY', timeout=ANSWER_S)
        pid = re.search(PROCESS % fuzzline, out, re.M)
        assert pid, "no process on COM%d:\n%s" % (fuzzline, out)
        assert owner.type('PLEASE" kill %s" . .REPLY' % pid.group(1)).strip() == "-1 ok"
        try:
            line.expect(r"\[logged out: ended by process", timeout=ANSWER_S)
        except pexpect.TIMEOUT:
            f["hangs"] += 1
            raise AssertionError("the stuck guest on COM%d did not end within %d s of "
                                 "please kill" % (fuzzline, ANSWER_S))

    while f["calls"] < total:
        n = min(per_seed, total - f["calls"])
        line = g.line
        line.send("%d %d FUZZ\r" % (seed, n))
        done = 0
        last = time.monotonic()
        asked = last
        heard = len(line.log())
        ended = False
        while True:
            # after FZEND the next command waits for the prompt: a guest that broke
            # itself may fault before it, and a command typed then would be the
            # login prompt's name
            i = line.expect([PROGRESS, LOGGED_OUT, pexpect.TIMEOUT, PROMPT, BROKEN], timeout=1)
            if i == 3:
                if ended:
                    break
                i = 2
            if i == 4:                   # its dictionary lost FUZZ: as good as stuck
                others_answer()
                f["stuck"] += 1
                log("seed %d: answered %r; the owner ends it" % (seed, line.match.group(1)))
                end_stuck()
                i = 1
                break
            now = time.monotonic()
            if len(line.log()) != heard:
                # the line is still receiving: a send of a big ring to the guest's
                # own terminal goes out at the host's pace (nothing is dropped),
                # which is work, not a stuck guest
                heard = len(line.log())
                last = now
            if i == 0:
                done = int(line.match.group(2))
                last = now
                if line.match.group(1):
                    f["successes"] += int(line.match.group(3))
                    ended = True
            elif i == 1:
                f["logouts"] += 1
                why = re.sub(r" at [0-9a-f]+$", "", line.match.group(1))
                f["reasons"][why] = f["reasons"].get(why, 0) + 1
                log("seed %d: logged out after %d+ calls: %s"
                    % (seed, done, line.match.group(1)))
                break
            if now - asked > 2:
                others_answer()
                asked = time.monotonic()
            if PANIC.search(m.line(1).log()):
                f["panics"] += 1
                raise AssertionError("kernel panic:\n" + m.line(1).log()[-2000:])
            if now - last > STALL_S:
                others_answer()          # the kernel answers: the guest is stuck
                f["stuck"] += 1
                log("seed %d: stuck after %d calls%s; the owner ends it; its line's last "
                    "bytes: %r" % (seed, done, " (after FZEND)" if ended else "",
                                   line.log()[-120:]))
                end_stuck()
                i = 1
                break
        f["calls"] += done
        f["seeds"] += 1
        seed += 1
        if i == 3:
            continue
        wait_prompt(line)
        # a guest that broke its own code may fault at its prompt before the
        # next command arrives; the login prompt then takes that line as a name
        if line.expect_exact(["password: ", pexpect.TIMEOUT], timeout=1) == 0:
            line.send("\r")
            wait_prompt(line)
        g = _enter(m.line(fuzzline), raw)
    others_answer()
    bye(g)
    f["memory_after"] = memory(owner)
    f["sum_after"], _ = checksum(owner)
    f["seconds"] = time.monotonic() - t0
    return f
