"""Stream devices on the booted kernel, driven from H3sm at the console
(docs/streams.md, docs/calls.md): the serial lines both ways through SEND and
RECEIVE, .keyboard, .display, .clock, .speaker, and lapping reported exactly.

Sends whose refusal is not the point wait up to 2 Cycles (names.conf may make a
device refuse every 2^N-th lock request). Most tests type at the console on COM1 (Console from test_h3sm_kernel); the ones
that need the console on VGA type on the PS/2 keyboard (sendkey) and read the
screen. Every boot says login=off, so no login session shares the serial lines
(a kernel without that option names it as unknown and goes on).
Run: /usr/bin/python3 -m pytest -q tests/test_streams.py
"""
import re
import time

import pytest

from test_h3sm_kernel import Console

COM1_APPEND = "console=com1 login=off"
VGA_APPEND = "console=vga login=off"

# Receive from the line in LID into the ring in LIN, send from the ring in LOUT.
ECHO_WORDS = [
    "VARIABLE LID  VARIABLE LIN  VARIABLE LOUT",
    ": GETC ( --- c|-1 ) LIN @ LID @ RING-RECEIVE DROP LIN @ RING> ;",
    ": WAITC ( --- c|-1 ) 5000 0 DO GETC DUP 0< 0= IF UNLOOP EXIT THEN DROP REST LOOP -1 ;",
    ": ECHO ( n --- sent ) 0 ?DO WAITC DUP 0< IF DROP LEAVE THEN LOUT @ >RING LOOP"
    " LOUT @ LID @ 2 RING-SEND ;",
]

# in al, 0x61: the PC speaker's gate (bit 0) and enable (bit 1); the console's
# instance is an owner and runs at IOPL 3
P61 = ": P61 ( --- b ) [ $8D C, $6D C, $FC C, $89 C, $5D C, $00 C, $31 C, $DB C, " \
      "$E4 C, $61 C, $88 C, $C3 C, ] ;"


def pattern(i):
    return i % 251 + 1


def pattern_bytes(n):
    return bytes(pattern(i) for i in range(n))


PATTERN_WORDS = [
    ": PAT ( i --- b ) 251 MOD 1+ ;",
    "VARIABLE CK-RING  VARIABLE CK-AT",
    # consume n bytes of the ring; how many differ from PAT(start), PAT(start+1), ...
    ": CHECK ( ring start n --- bad ) ROT CK-RING ! SWAP CK-AT ! 0 SWAP 0 ?DO"
    " CK-RING @ RING> CK-AT @ I + PAT <> - LOOP ;",
]


@pytest.fixture
def console(boot):
    m = boot(append=COM1_APPEND)
    c = Console(m.line(1))
    c.machine = m
    return c


def define(console, lines):
    for text in lines:
        out = console.type(text)
        assert out == "", (text, out)


def ints(text):
    return [int(x) for x in text.split()]


# ---- the serial lines, both ways --------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 4])
def test_serial_round_trip(console, n):
    m = console.machine
    define(console, ECHO_WORDS)
    define(console, ["OPEN .com%d LID !  256 RING IN%d  256 RING OUT%d  IN%d LIN !  OUT%d LOUT !"
            % (n, n, n, n, n)])
    assert console.type("LID @ 0<> .") == "-1 "
    for text in ("ping COM%d" % n,
                 "".join(chr(32 + (i * 7 + n) % 95) for i in range(200))):
        m.line(n).send(text)                       # host -> line -> RECEIVE
        out = console.type("%d ECHO . LIN @ RING-COUNT @ . LIN @ RING-LOST ." % len(text))
        assert ints(out)[0] == -1
        m.line(n).expect_exact(text, timeout=10)   # RING-SEND -> line -> host
    assert console.type("1 2 + .") == "3 "


def flat_screen(m):
    """The 2000 characters of the screen in one string, no line breaks, nothing cut."""
    return bytes(b or 0x20 for b in m.screen_bytes()[0::2]).decode("cp437")


class Keyboard:
    """H3sm at the VGA console, typed on the PS/2 keyboard. Each line gets a marker
    appended (9000 k + .) whose output cannot be in the typed text; what the line
    printed before the marker is returned. Keys go in small groups, each group
    only once the line editor has echoed the one before: QEMU's queue of pending
    input events is short, and it drops what does not fit."""

    CHUNK = 12

    def __init__(self, m):
        self.m = m
        self.k = 0
        m.wait_screen(r"ready\.", 30)

    def _wait(self, what, ok, timeout):
        deadline = time.time() + timeout
        while True:
            found = ok(flat_screen(self.m))
            if found:
                return found
            if time.time() > deadline:
                raise AssertionError("the screen did not show %r; it shows:\n%s"
                                     % (what, self.m.screen()))
            time.sleep(0.05)

    def type(self, text, timeout=30):
        self.k += 1
        tail = "9000 %d + ." % self.k
        line = text + " " + tail
        for i in range(0, len(line), self.CHUNK):
            self.m.sendkeys(line[i:i + self.CHUNK], hold_ms=10)
            typed = line[:i + self.CHUNK].rstrip()
            self._wait(typed, lambda s: s.rstrip().endswith(typed), timeout)
        self.m.sendkey("ret", hold_ms=10)
        pat = re.compile(re.escape(tail) + r" (.*?)9%03d\s+ok" % self.k)
        return self._wait(tail, pat.search, timeout).group(1).strip()


def test_serial_round_trip_on_com1_when_the_console_is_vga(boot):
    m = boot(append=VGA_APPEND)
    kb = Keyboard(m)
    for text in ECHO_WORDS:
        assert kb.type(text) == ""
    assert kb.type("OPEN .com1 LID ! 64 RING IN1 64 RING OUT1 IN1 LIN ! OUT1 LOUT !") == ""
    text = "ping COM1 by keyboard"
    m.line(1).send(text)
    out = kb.type("%d ECHO . LIN @ RING-COUNT @ ." % len(text))
    assert ints(out) == [-1, len(text)]
    m.line(1).expect_exact(text, timeout=10)


# ---- .keyboard ------------------------------------------------------------------

KEYBOARD_WORDS = [
    "OPEN .keyboard CONSTANT KB  64 RING KR",
    ": KWAIT ( n --- ) 5000 0 DO KR KB RING-RECEIVE DROP KR RING-COUNT @ OVER < 0= IF LEAVE THEN"
    " REST LOOP DROP ;",
    ": KDUMP ( --- ) BEGIN KR RING> DUP 0< 0= WHILE . REPEAT DROP ;",
]


def test_keyboard_is_read_by_receive(console):
    m = console.machine
    define(console, KEYBOARD_WORDS)
    m.sendkeys("Hi, kbd!\n")
    m.sendkey("up")                 # an escape sequence, whole
    typed = b"Hi, kbd!\n\x1b[A"
    out = console.type("%d KWAIT KR RING-COUNT @ . KR RING-LOST . KDUMP" % len(typed))
    assert ints(out) == [len(typed), 0] + list(typed)
    # a ring smaller than what waits is lapped: the oldest bytes are counted lost
    out = console.type("8 RING K8 K8 KB RING-RECEIVE . K8 RING-COUNT @ . K8 RING-LOST ."
                       " K8 RING> . K8 RING> .")
    assert ints(out) == [-1, len(typed), len(typed) - 8] + list(typed[-8:-6])


def test_keyboard_and_console_share_the_keys(boot):
    """console=vga: the line editor and a .keyboard reader both get every key."""
    m = boot(append=VGA_APPEND)
    kb = Keyboard(m)
    first = "OPEN .keyboard CONSTANT KB 1024 RING KR"
    assert kb.type(first) == ""
    second = "KR KB RING-RECEIVE . KR RING-COUNT @ . KR RING-LOST ."
    out = ints(kb.type(second))
    # everything typed so far, both lines with their markers and Enter
    typed = len(first + " 9000 1 + .\n") + len(second + " 9000 2 + .\n")
    assert out == [-1, typed, 0]
    # the bytes are the keys: the start of the first line
    assert kb.type("KR RING-DATA 14 TYPE") == "OPEN .keyboard"
    assert kb.type("1 2 + .") == "3"


# ---- .display -------------------------------------------------------------------

DISPLAY_WORDS = [
    "OPEN .display CONSTANT DP  256 RING DR",
    ": CSI ( --- ) 27 DR >RING [CHAR] [ DR >RING ;",
    ": D\" ( \"text<quote>\" --- ) [CHAR] \" PARSE DR S>RING ;",
    ": DSEND ( --- sent ) DR DP 2 RING-SEND ;",
]


def test_display_draws_and_obeys_escape_sequences(console):
    m = console.machine
    define(console, DISPLAY_WORDS)
    assert "Ha3sm" in m.screen()                    # the banner, before
    out = console.type('CSI D" 2J" CSI D" 5;10HHello" CSI D" 1;31mRed" CSI D" 0m!" DSEND .')
    assert out == "-1 "
    rows = m.screen_text()
    assert rows[:4] == [""] * 4 and "Ha3sm" not in m.screen()
    assert rows[4] == " " * 9 + "HelloRed!"
    attrs = m.screen_bytes()[4 * 160 + 1::2]
    assert list(attrs[9:17]) == [0x07] * 5 + [0x0C] * 3   # default, then bright red
    assert attrs[17] == 0x07
    # malformed sequences are swallowed, never drawn; a sequence may span two sends
    out = console.type('CSI D" 99;99;99;99999999999Z" D" ok" 27 DR >RING D" [" DSEND .'
                       ' D" 3;1HSplit" DSEND .')
    assert out == "-1 -1 "
    rows = m.screen_text()
    assert rows[4] == " " * 9 + "HelloRed!ok"
    assert rows[2] == "Split"
    assert "\x1b" not in m.screen() and "Z" not in m.screen()
    assert console.type("DR DP RING-RECEIVE .") == "0 "   # send only


# ---- .clock ---------------------------------------------------------------------

CLOCK_WORDS = [
    "OPEN .clock CONSTANT CK  1024 RING CKR",
    ": CB ( i --- b ) 1023 AND CKR RING-DATA + C@ ;",
    # receive; the ring's count, its lost count, the newest byte
    ": TICK ( --- count lost byte ) CKR CK RING-RECEIVE DROP CKR RING-COUNT @ CKR RING-LOST"
    " CKR RING-COUNT @ 1- CB ;",
    # among the 1024 bytes held, those not one more (mod 256) than the one before
    ": GAPS ( --- n ) 0 CKR RING-COUNT @ DUP 1023 - DO I CB I 1- CB - 255 AND 1 <> - LOOP ;",
]


def test_clock_counts_ticks_and_laps_visibly(console):
    define(console, CLOCK_WORDS)
    c1, lost1, b1 = ints(console.type("TICK ROT . SWAP . ."))
    t1 = time.time()
    time.sleep(1.5)
    c2, lost2, b2 = ints(console.type("TICK ROT . SWAP . ."))
    t2 = time.time()
    d = c2 - c1
    # the PIT ticks 1000 times a second; allow for a slow host
    assert 1000 * 1.5 * 0.8 <= d <= 1000 * (t2 - t1 + 1.0), (d, t2 - t1)
    # one byte a tick: the newest byte moved on by exactly the count
    assert (b2 - b1) % 256 == d % 256
    # more than the device ring (1024) came between the two receives: lapped,
    # and exactly the overwritten ticks are reported lost
    assert lost2 - lost1 == d - 1024
    assert console.type("GAPS .") == "0 "
    # the ticks between two receives in one line, a known 100 Cycles apart
    out = ints(console.type(": RESTS 0 ?DO REST LOOP ; TICK 2DROP 100 RESTS TICK 2DROP SWAP - ."))
    assert 90 <= out[0] <= 150, out
    assert console.type("CKR CK 0 RING-SEND .") == "0 "   # receive only


# ---- .speaker -------------------------------------------------------------------

SPEAKER_WORDS = [
    P61,
    "OPEN .speaker CONSTANT SPK  256 RING SR",
    ": CMD ( a u --- sent ) SR S>RING 10 SR >RING SR SPK 2 RING-SEND ;",
    ": ON? ( --- f ) P61 3 AND 3 = ;",
    "OPEN .clock CONSTANT CK  64 RING CKR",
    ": NOW ( --- ticks ) CKR CK RING-RECEIVE DROP CKR RING-COUNT @ ;",
    ": WAIT-OFF ( --- ticks ) NOW 20000 0 DO ON? 0= IF LEAVE THEN REST LOOP NOW SWAP - ;",
    ": WAIT-ON ( --- ticks ) NOW 20000 0 DO ON? IF LEAVE THEN REST LOOP NOW SWAP - ;",
    ": AFTER ( ticks --- ) NOW + BEGIN REST NOW OVER < 0= UNTIL DROP ;",
]


def near(ticks, want, slack=5):
    """Ticks measured from when the waiting word starts, which is a few ticks after
    the tone did (the line prints its results first): a little short is expected."""
    return want - slack <= ticks <= want + slack


def test_speaker_tone_starts_and_stops_on_its_own(console):
    define(console, SPEAKER_WORDS)
    assert console.type("ON? .") == "0 "
    sent, on, ticks, after = ints(console.type('S" 440 200" CMD . ON? . WAIT-OFF . ON? .'))
    assert (sent, on, after) == (-1, -1, 0)
    assert near(ticks, 200), ticks
    # notes and rests queue: on 100, off 50, on 100
    out = ints(console.type('S" 440 100" CMD DROP S" 0 50" CMD DROP S" 880 100" CMD DROP'
                            ' WAIT-OFF . WAIT-ON . WAIT-OFF . ON? .'))
    assert near(out[0], 100) and near(out[1], 50) and near(out[2], 100) and out[3] == 0, out
    # "0" silences at once and forgets what was queued
    out = ints(console.type('S" 440 5000" CMD DROP S" 660 5000" CMD DROP ON? .'
                            ' S" 0" CMD . ON? . 300 AFTER ON? .'))
    assert out == [-1, -1, 0, 0]


@pytest.mark.parametrize("bad", [
    "440", "abc", "440 200 7", "19 200", "20001 200", "440 0", "440 60001",
    "-440 200", "440 2x0", "4400000 20", "440  200ms", "", "   ", "0 0", "1",
    "440 200" + " " * 30, "x" * 200,
])
def test_speaker_ignores_malformed_commands(console, bad):
    define(console, SPEAKER_WORDS)
    out = console.type('S" %s" CMD . ON? . 3 AFTER ON? .' % bad)
    assert ints(out) == [-1, 0, 0], bad
    # the next command is read afresh; a command may be split across sends
    out = console.type('S" 44" SR S>RING SR SPK 2 RING-SEND . S" 0 100" CMD . ON? . WAIT-OFF .')
    sent1, sent2, on, ticks = ints(out)
    assert (sent1, sent2, on) == (-1, -1, -1) and near(ticks, 100), out
    assert console.type("1 2 + .") == "3 "


def test_speaker_survives_binary_garbage(console):
    define(console, SPEAKER_WORDS)
    out = console.type(": JUNK 256 0 DO I 7 * 255 AND SR >RING LOOP ; JUNK SR SPK 2 RING-SEND ."
                       " 10 SR >RING SR SPK 2 RING-SEND . ON? .")
    assert ints(out) == [-1, -1, 0]
    assert ints(console.type('S" 523 50" CMD . ON? . WAIT-OFF .'))[:2] == [-1, -1]
    assert console.type("SR SPK RING-RECEIVE .") == "0 "   # send only


# ---- lapping, exactly -------------------------------------------------------------

def test_flooded_line_reports_exactly_what_was_lost(console):
    """3000 bytes arrive on COM2 and nobody receives. The 16550 driver holds what
    its 1024-byte ring cannot take in the chip (QEMU waits), so a serial line
    itself loses nothing; lapping shows in two ways, both exact:
    - a reader whose ring is smaller than what arrived (256 of 1024: 768 lost);
    - a reader that the device ring lapped while another reader received
      (the device ring holds 1024; 3000 came through it: 1976 lost).
    The bytes kept are always the newest ones."""
    m = console.machine
    define(console, PATTERN_WORDS)
    define(console, [
        "OPEN .com2 CONSTANT L2  256 RING SMALL  1024 RING SLOW  4096 RING SYNC",
        ": PUMP ( n --- ) 20000 0 DO SYNC L2 RING-RECEIVE DROP SYNC RING-COUNT @ OVER < 0= IF"
        " LEAVE THEN REST LOOP DROP ;",
    ])
    m.line(2).sock.sendall(pattern_bytes(3000))
    time.sleep(1.5)                 # the driver's ring fills: 1024 bytes wait in it
    out = console.type("SMALL L2 RING-RECEIVE . SMALL RING-COUNT @ . SMALL RING-LOST ."
                       " SMALL 768 256 CHECK . SMALL RING> .")
    assert ints(out) == [-1, 1024, 768, 0, -1]
    # another reader, in step with SMALL from here, pumps the rest through the
    # device ring, at most 1024 bytes a receive: it keeps up and loses nothing
    define(console, ["1024 SYNC RING-COUNT !  1024 SYNC RING-MARK !"])
    out = console.type("3000 PUMP SYNC RING-COUNT @ . SYNC RING-LOST . SYNC 1024 1976 CHECK .")
    assert ints(out) == [3000, 0, 0]
    # SLOW never received: the device ring lapped it
    out = console.type("SLOW L2 RING-RECEIVE . SLOW RING-COUNT @ . SLOW RING-LOST ."
                       " SLOW 1976 1024 CHECK . SLOW RING> .")
    assert ints(out) == [-1, 3000, 1976, 0, -1]


def test_unconsumed_bytes_overwritten_are_reported(console):
    """Every byte that came through a ring is either consumed or counted lost."""
    m = console.machine
    define(console, PATTERN_WORDS)
    define(console, [
        "OPEN .com2 CONSTANT L2  64 RING R64",
        ": UPTO ( n --- ) 5000 0 DO R64 L2 RING-RECEIVE DROP R64 RING-COUNT @ OVER < 0= IF"
        " LEAVE THEN REST LOOP DROP ;",
        ": DRAIN ( --- n ) 0 BEGIN R64 RING> 0< 0= WHILE 1+ REPEAT ;",
    ])
    m.line(2).sock.sendall(pattern_bytes(40))
    assert console.type("40 UPTO R64 RING-COUNT @ .") == "40 "
    m.line(2).sock.sendall(pattern_bytes(40))
    out = ints(console.type("80 UPTO R64 RING-COUNT @ . DRAIN . R64 RING-LOST ."))
    count, consumed, lost = out
    assert count == 80
    assert consumed + lost == 80, out
