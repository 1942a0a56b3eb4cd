"""The reflex (issue 7, docs/reflex.md): one periodic hard-realtime routine on the NMI.

PIT channel 0 times it, the I/O APIC delivers each expiry as an NMI, and
asm/reflex.asm runs the routine whatever the CPU is doing. Owners control it with
please: install (count, tone <hz>, sample <port>, or a native routine copied from
their memory), start <period> [<runs>], stop (the report), calibrate. The .reflex
device gets one byte per run, so its count is the number of runs.

Exactness is checked under QEMU -icount shift=0,sleep=off, where the TSC counts
instructions and the PIT runs on the same virtual clock: the kernel's model of the
expiries (t0 + (k * divisor + 1) PIT clocks) must account for every run, with none
lost, and the latency and jitter come out in instructions.

Run: /usr/bin/python3 -m pytest -q tests/test_reflex.py
"""
import re
import time
from fractions import Fraction

import pytest

from test_h3sm_kernel import Console

PIT = 1193182
DIV10K = 119                                    # 10 kHz: 10027 Hz, 99,733.318 ns
PERIOD = Fraction(DIV10K * 10**9, PIT)          # ns = instructions under icount
REPORT = re.compile(r"stopped (?P<why>.*?): runs (?P<runs>\d+) of (?P<exp>\d+) expiries, "
                    r"lost (?P<lost>\d+), late (?P<late>\d+)(; latency mean (?P<mean>-?[\d.]+) "
                    r"worst (?P<worst>-?\d+) \(at [0-9a-f]+\) best (?P<best>-?\d+) jitter "
                    r"(?P<jitter>\d+) .*?; executing: (?P<busyn>\d+) runs(, worst (?P<busyworst>-?\d+))?"
                    r"; halted: (?P<haltn>\d+) runs(, worst (?P<haltworst>-?\d+))?"
                    r".*?; span (?P<span>\d+))?")
P61 = (": P61 ( --- b ) [ $8D C, $6D C, $FC C, $89 C, $5D C, $00 C, $31 C, $DB C, "
       "$E4 C, $61 C, $88 C, $C3 C, ] ;")
# the .reflex device (it exists from the first install on) through a 4096-byte ring:
# RX@ receives, RX. prints the newest n bytes received, oldest first
RING_WORDS = [
    "OPEN .reflex CONSTANT RXID  4096 RING RXR",
    ": RXB ( i --- b ) 4095 AND RXR RING-DATA + C@ ;",
    ": RX@ ( --- count ) RXR RXID RING-RECEIVE DROP RXR RING-COUNT @ ;",
    ": RX. ( n --- ) RXR RING-COUNT @ SWAP - RXR RING-COUNT @ SWAP ?DO I RXB . LOOP ;",
]


def please(c, msg, timeout=60):
    """A please message from the console; (result, reply)."""
    out = c.type('PLEASE" %s" . .REPLY' % msg, timeout=timeout)
    res, _, reply = out.partition(" ")
    return int(res), reply


def report(reply):
    m = REPORT.search(reply)
    assert m, reply
    return {k: (v if k == "why" or v is None else float(v)) for k, v in m.groupdict().items()}


def count(c):
    """The .reflex device's count: every run ever, as `please open` gives it."""
    return int(c.type("OPEN .reflex DROP THROUGHPUT @ ."))


def wait_runs(c, n, timeout=120):
    deadline = time.time() + timeout
    while count(c) < n:
        assert time.time() < deadline, "the reflex did not reach %d runs" % n
        time.sleep(0.5)


def native(c, name, code):
    """A native routine as the body of a CREATEd word; its address in the segment."""
    c.type("CREATE %s %s" % (name, " ".join("$%02X C," % b for b in code)))
    return int(c.type("%s ." % name))


# QEMU counting instructions; -d nochain makes every translation block return to
# QEMU's loop, where it looks at its timers, so an expiry is never handled late
# because host I/O came while blocks ran chained (docs/reflex.md, "Measuring")
ICOUNT = {"icount": True, "extra": ["-d", "nochain"]}


@pytest.fixture
def root(boot):
    """root at the console on COM1, QEMU counting instructions."""
    return Console(boot(append="console=com1", **ICOUNT).line(1))


def test_guests_cannot_touch_the_reflex(boot):
    m = boot(append="console=com1")
    root = Console(m.line(1))
    guest = Console(m.line(2), user="guest1", password="guest", ready=False)
    for msg in ("install count", "start 10000", "stop", "calibrate", "install tone 440"):
        res, reply = please(guest, msg)
        assert (res, reply) == (0, "error: %s is for owners only" % msg.split()[0]), (msg, reply)
    assert please(root, "install count") == (1, "ok: count")
    # addressed to the device, a guest's answer is the same as for a device that does not
    # exist: a guest does not see the reflex, and the answer says nothing of it
    assert please(guest, "#.reflex start 10000") == please(guest, "#.nosuch start 10000") \
        == (0, "error: no such device")
    assert guest.type("OPEN .reflex .") == "0 "
    assert please(guest, "stop") == (0, "error: stop is for owners only")
    assert root.type("OPEN .reflex 0<> .") == "-1 "
    # another device takes none of these
    assert please(root, "#.console start 10000") == (0, "error: only the reflex takes start")


def test_runs_over_a_known_interval_match_the_period_exactly(root):
    assert please(root, "install count") == (1, "ok: count")
    for line in RING_WORDS:
        assert root.type(line) == ""
    before = count(root)
    res, reply = please(root, "start 10000")
    assert (res, reply) == (1, "ok: period 99733.318 ns (PIT divisor 119, 10027 Hz)")
    time.sleep(1)
    res, reply = please(root, "stop")
    f = report(reply)
    assert res == 1 and f["why"] == "by stop", reply
    # every expiry between the start and the stop ran once: none lost, none extra
    assert f["runs"] == f["exp"] > 1000 and f["lost"] == 0 and f["late"] == 0, reply
    assert count(root) - before == f["runs"]
    # the CPU idles at its prompt: the NMIs wake it from HLT, where QEMU's clock
    # (sleep=off) may have moved on by itself; a run that found it executing was
    # on time (docs/reflex.md)
    assert f["busyn"] == 0 or f["busyworst"] <= 300, reply
    # a run limit: exactly that many, each a period after the one before
    before = count(root)
    assert please(root, "start 10kHz 5000")[0] == 1
    wait_runs(root, before + 5000)
    f = report(please(root, "stop")[1])
    assert f["why"] == "after its 5000 runs" and f["runs"] == f["exp"] == 5000, f
    assert abs(f["span"] - 4999 * PERIOD) <= 1 + f["worst"] - f["best"], f
    assert f["busyn"] + f["haltn"] == 5000, f
    assert count(root) - before == 5000
    # the device's bytes are the run numbers' low bytes, one a run, no gaps
    assert int(root.type("RX@ .")) == count(root)
    assert [int(x) for x in root.type("8 RX.").split()] == [(5000 - 8 + i) % 256 for i in range(8)]


def test_a_busy_cpu_takes_the_nmi_on_time(root):
    """The console spins in a loop while the reflex runs: every expiry finds the CPU
    executing, and the NMI comes at once (0 or 1 instruction under icount)."""
    assert please(root, "install count")[0] == 1
    root.type(": SPIN ( n --- ) 0 DO LOOP ;")
    assert please(root, "start 10000 3000")[0] == 1
    root.type("200000000 SPIN", timeout=600)             # 0.6 s of virtual time and more
    wait_runs(root, 3000)
    f = report(please(root, "stop")[1])
    assert f["runs"] == f["exp"] == 3000 and f["lost"] == 0, f
    assert f["busyn"] >= 2900, f
    assert 0 <= f["best"] and f["busyworst"] <= 300 and f["jitter"] <= 300, f


def test_a_faulting_reflex_is_stopped_and_reported(root):
    for name, code, what in (("UD", [0x0F, 0x0B], "invalid opcode at +0"),
                             ("DZ", [0x31, 0xC9, 0xF7, 0xF1, 0xC3], "divide error at +2"),
                             ("OFFEND", [0x90], "breakpoint at +2")):   # runs off its end
        addr = native(root, name, code)
        res, reply = please(root, "install %d %d" % (addr, len(code)))
        assert res == 1 and reply.startswith("ok: %d bytes at $" % len(code)), reply
        assert please(root, "start 1khz")[0] == 1
        root.line.expect_exact("reflex: stopped by a fault: %s in the routine" % what, timeout=60)
        assert root.type("6 7 * .") == "42 "             # the system goes on
        f = report(please(root, "stop")[1])
        assert f["why"] == "by a fault: %s in the routine" % what and f["runs"] == 0, f
        assert f["lost"] == 1, f                         # the run that faulted


def test_an_overrunning_reflex_is_stopped_and_reported(boot):
    m = boot(append="console=com1", **ICOUNT)
    root = Console(m.line(1))
    guest = Console(m.line(2), user="guest1", password="guest", ready=False)
    # runs 200 times, then spins: its next expiry finds it still running
    code = [0x3D, 200, 0, 0, 0,        # cmp eax, 200
            0x72, 0x02,                # jb +2: return
            0xEB, 0xFE,                # jmp $
            0xC3]                      # ret
    addr = native(root, "LATE", code)
    assert please(root, "install %d %d" % (addr, len(code)))[0] == 1
    assert please(root, "start 10000")[0] == 1
    root.line.expect_exact("reflex: stopped by an overrun at +7 in the routine: runs 200 of 201"
                           " expiries, lost 1", timeout=60)
    assert root.type("6 7 * .") == "42 "
    assert guest.type("2 3 * .") == "6 "                 # and so do the others
    assert report(please(root, "stop")[1])["why"] == "by an overrun at +7 in the routine"


def test_a_native_routine_runs_once_a_period(root):
    # inc dword [edx] (its scratch); mov al, 7; ret: the ring gets 7s
    code = [0xFF, 0x02, 0xB0, 0x07, 0xC3]
    addr = native(root, "SEVEN", code)
    res, reply = please(root, "install %d %d" % (addr, len(code)))
    assert res == 1, reply
    for line in RING_WORDS:
        assert root.type(line) == ""
    root.type("RX@ DROP")
    assert please(root, "start 20000 777")[0] == 1         # 20 kHz
    wait_runs(root, 777)
    f = report(please(root, "stop")[1])
    assert f["runs"] == f["exp"] == 777 and f["lost"] == 0, f
    assert root.type("RX@ .") == "777 "
    assert root.type("4 RX.") == "7 7 7 7 "
    # install copied it: the word may change, the reflex keeps the copy
    root.type("0 SEVEN C!  0 SEVEN 2 + C!")
    assert please(root, "start 20000 10")[0] == 1
    wait_runs(root, 787)
    assert report(please(root, "stop")[1])["why"] == "after its 10 runs"
    assert root.type("RX@ . 4 RX.") == "787 7 7 7 7 "


def test_the_tone_demo_toggles_the_speaker_at_its_frequency(root):
    assert please(root, "install tone 440") == (1, "ok: tone 440 Hz")
    for line in RING_WORDS + [P61]:
        assert root.type(line) == ""
    root.type("RX@ DROP")
    assert please(root, "start 10000 4000")[0] == 1
    wait_runs(root, 4000)
    f = report(please(root, "stop")[1])
    assert f["runs"] == 4000 and f["lost"] == 0, f
    # the ring holds the speaker's data bit after each run: a 440 Hz square wave
    # is 880 toggles a second; the routine adds step = 2*440*119*2^32 / PIT a run
    bits = [int(x) for x in root.type("RX@ DROP 4000 RX.").split()]
    assert set(bits) == {0, 2}
    step = (2 * 440 * DIV10K << 32) // PIT
    want = sum(1 for k in range(1, 4000) if (k * step >> 32) != ((k + 1) * step >> 32))
    assert sum(1 for a, b in zip(bits, bits[1:]) if a != b) == want
    assert int(root.type("P61 .")) & 3 == 0              # stop left the speaker off


def test_the_sample_demo_hears_the_speaker_timer(root):
    # .speaker plays 1000 Hz on PIT channel 2; the reflex reads port $61 at
    # 10 kHz: its bit 5 is channel 2's output, a square wave of 1000 Hz
    root.type("OPEN .speaker CONSTANT SPK  64 RING SR")
    root.type(': CMD ( a u --- ) SR S>RING 10 SR >RING SR SPK 2 RING-SEND DROP ;')
    root.type('S" 1000 5000" CMD')
    assert please(root, "install sample $61") == (1, "ok: sample port $61")
    for line in RING_WORDS:
        assert root.type(line) == ""
    root.type("RX@ DROP")
    assert please(root, "start 10000 2000")[0] == 1
    wait_runs(root, 2000)
    root.type('S" 0" CMD')
    bits = [int(x) >> 5 & 1 for x in root.type("RX@ DROP 2000 RX.").split()]
    edges = sum(1 for a, b in zip(bits, bits[1:]) if a != b)
    # 2000 samples at 10027 Hz are 0.1995 s: 399 edges of a 1000 Hz square wave
    assert 397 <= edges <= 401, edges


def test_calibrate_measures_the_timer_against_the_tsc(root):
    res, reply = please(root, "calibrate", timeout=120)
    assert res == 1, reply
    # under icount a TSC tick is a nanosecond: the period in ticks is the period in ns
    assert reply.startswith("calibrated: period 99733.318 ns (PIT divisor 119, 10027 Hz);"
                            " 99733.318 TSC ticks a period;"), reply
    assert reply.endswith("; system tick 1000 Hz"), reply
    entry = int(re.search(r"entry (\d+)", reply).group(1))
    assert 10 <= entry <= 40, reply                     # the NMI entry's own instructions
    res, reply = please(root, "calibrate 1khz", timeout=120)
    assert res == 1 and re.search(r"period 999847\.467 ns \(PIT divisor 1193, 1000 Hz\); "
                                  r"999847\.4\d\d TSC ticks a period", reply), reply


BAD = [
    ("install", "install count | tone"),
    ("install tone 0", "tone <hz>: 1 to 25000"),
    ("install sample 70000", "sample <port>"),
    ("install 4000000000 16", "the routine is not in your memory"),
    ("install 100 0", "a routine is 1 to 1024 bytes"),
    ("install 100 2000", "a routine is 1 to 1024 bytes"),
    ("start", "start <period> [<runs>]"),
    ("start 5", "start <period> [<runs>]"),            # below 19 Hz: the PIT cannot
    ("start 60khz", "start <period> [<runs>]"),        # above 49,716 Hz
    ("start 10000 0", "the runs: a number, 1 or more"),
    ("start 1000 furlongs", "the runs: a number, 1 or more"),
    ("stop now", "stop takes nothing"),
    ("calibrate 3", "calibrate [<period>]"),
]


def test_bad_messages_are_refused(boot):
    root = Console(boot(append="console=com1").line(1))
    for msg, why in BAD:
        res, reply = please(root, msg)
        assert res == 0 and reply.startswith("error: " + why), (msg, reply)
    assert please(root, "install count") == (1, "ok: count")    # and it still works


def test_one_thing_at_a_time_while_it_runs(root):
    assert please(root, "stop") == (0, "error: the reflex has not run")
    assert please(root, "start 1000")[0] == 1
    for msg in ("start 1000", "install count", "calibrate"):
        assert please(root, msg) == (0, "error: the reflex is running: stop it first"), msg
    assert report(please(root, "stop")[1])["why"] == "by stop"
    # stop again: the same report, nothing more
    assert report(please(root, "stop")[1])["why"] == "by stop"


def test_the_tick_follows_the_reflex_and_comes_back(root):
    """The system tick stays on PIT channel 0: at the reflex's rate while it runs."""
    root.type("OPEN .clock CONSTANT CK  64 RING CKR")
    root.type(": NOW ( --- ticks ) CKR CK RING-RECEIVE DROP CKR RING-COUNT @ ;")
    root.type(": RESTS ( n --- ) 0 ?DO REST LOOP ;")
    base = int(root.type("NOW 200 RESTS NOW SWAP - ."))
    t0 = int(root.type("NOW ."))
    assert please(root, "start 10000 10027")[0] == 1       # one second of reflex
    wait_runs(root, 10027)
    please(root, "stop")
    # a tick per run while it ran (and a few at 1 kHz around it)
    assert int(root.type("NOW .")) - t0 >= 10027
    after = int(root.type("NOW 200 RESTS NOW SWAP - ."))
    assert after <= 3 * base + 10, (base, after)


def test_the_floppy_image_runs_a_reflex(boot):
    """The booted image: GRUB from the floppy, its second entry (console on COM1)."""
    m = boot(floppy=True, **ICOUNT)
    m.wait_screen(r"Ha3sm, console on COM1", 60)
    m.sendkey("down")
    m.sendkey("ret")
    root = Console(m.line(1))
    assert please(root, "install count") == (1, "ok: count")
    assert please(root, "start 10khz 2000")[0] == 1
    wait_runs(root, 2000)
    f = report(please(root, "stop")[1])
    assert f["why"] == "after its 2000 runs" and f["runs"] == f["exp"] == 2000 and f["lost"] == 0, f
